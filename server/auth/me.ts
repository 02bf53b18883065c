import type { Kysely } from 'kysely';
import type { MeResponse } from '../../shared/api';
import { findDoc } from '../store/docs';
import type { DB } from '../store/schema';
import type { Principal } from './principal';

/**
 * The `GET /api/me` answer (shared/api.ts): who is signed in, their organization and what
 * they are in it — built from the same principal the sync endpoints authorize with, so the
 * client shows exactly what it will be allowed.
 */
export async function meAnswer(db: Kysely<DB>, p: Principal): Promise<MeResponse> {
  const org = p.orgId ? await findDoc(db, 'organizations', p.orgId) : undefined;
  let member: MeResponse['member'] = null;
  if (p.member) {
    const { _deleted: _d, ...rest } = p.member as Principal['member'] & { _deleted?: boolean };
    member = rest;
  }
  return {
    account: { id: p.account.id, email: p.account.email, name: p.account.name },
    org: org && !org._deleted ? { id: org.id, name: org.name } : null,
    member,
    contactRoles: [...new Set(p.contacts.flatMap((x) => x.roles))],
    contactOrderIds: [...new Set(p.contacts.flatMap((x) => x.orderIds))],
    holdsLicense: p.holdsLicense,
  };
}
