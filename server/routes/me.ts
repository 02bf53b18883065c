import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { principalFor } from '../auth/principal';
import { requireAccount } from '../auth/session';
import { getDoc } from '../store/docs';

/**
 * Who is signed in, their organization and what they are in it — the same principal the
 * sync endpoints authorize with, so the client shows exactly what it will be allowed.
 */
export const meRoutes = new Hono<AppEnv>().get('/', requireAccount, async (c) => {
  const { store } = c.get('deps');
  const account = c.get('account')!;
  const p = await principalFor(store.db, account);
  const orgDoc = p.orgId ? await getDoc(store.db, 'organizations', p.orgId) : undefined;
  const { _deleted: _d, ...member } = (p.member ?? {}) as Record<string, unknown>;
  return c.json({
    account: { id: account.id, email: account.email, name: account.name },
    org: orgDoc && !orgDoc._deleted ? { id: orgDoc.id, name: orgDoc.name } : null,
    member: p.member ? member : null,
    contactRoles: [...new Set(p.contacts.flatMap((x) => x.roles))],
    contactOrderIds: [...new Set(p.contacts.flatMap((x) => x.orderIds))],
    holdsLicense: p.holdsLicense,
  });
});
