import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { Rejection } from '../../shared/sync';
import { canChange } from '../../shared/permissions';
import { personOf, type Principal } from '../auth/principal';

/** May this person write this change? Role rules from shared/permissions.ts; field rules are each collection's (server/collections/). */
export function authorizePush<C extends CollectionName>(
  p: Principal,
  collection: C,
  before: WireDoc<C> | undefined,
  after: WireDoc<C>,
): Omit<Rejection, 'id'> | null {
  return canChange(personOf(p), collection, before as Record<string, unknown> | undefined, after as Record<string, unknown>);
}
