import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { Rejection } from '../../shared/sync';
import type { Principal } from '../auth/principal';

/** May this person write this change? (Role rules; field rules live in field-rules.ts.) */
export function authorizePush<C extends CollectionName>(
  p: Principal,
  collection: C,
  before: WireDoc<C> | undefined,
  after: WireDoc<C>,
): Omit<Rejection, 'id'> | null {
  void before;
  const orgOfDoc = collection === 'organizations' ? after.id : (after as { orgId?: string }).orgId;
  if (!p.orgId || orgOfDoc !== p.orgId) return { code: 'not-allowed', message: 'This document belongs to another organization' };
  if (p.member?.isOrgAdmin) return null;
  return { code: 'not-allowed', message: `You may not change ${collection}` };
}
