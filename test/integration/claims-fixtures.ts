import { newId, randomToken } from '../../shared/ids';
import { CATALOG_ORG, listDocs } from '../../server/store/docs';
import { listOutbox } from '../../server/store/outbox';
import type { CollectionName } from '../../shared/schemas';
import type { TestServer } from '../helpers/server';
import type { Fixture } from '../helpers/collection-kit';

/** An organization with a team holding `seats` available licenses of one product, and an invitation for them. */
export async function claimFixture(
  s: TestServer,
  opts: { seats: number; invitation?: Record<string, unknown>; adminEmail?: string; orgName?: string } = { seats: 1 },
) {
  const org = await s.createOrg(opts.orgName ?? 'Acme', opts.adminEmail ?? `admin-${newId().slice(0, 8)}@acme.test`);
  const productId = newId();
  await s.put(CATALOG_ORG, 'products', [{ id: productId, code: `P${productId.slice(0, 6)}`, name: 'Rocket IDE' }]);
  const teamId = newId();
  await s.put(org.orgId, 'teams', [{ id: teamId, orgId: org.orgId, name: 'Launch' }]);
  const orderId = newId();
  const licenses = Array.from({ length: opts.seats }, () => ({
    id: newId(),
    orgId: org.orgId,
    orderId,
    teamId,
    productId,
    status: 'available' as const,
    validUntil: '2099-12-31',
  }));
  if (licenses.length) await s.put(org.orgId, 'licenses', licenses);
  const invitation = await addInvitation(s, org, teamId, productId, opts.invitation);
  return { org, productId, teamId, orderId, licenses, invitation };
}

export async function addInvitation(
  s: TestServer,
  org: { orgId: string; memberId: string },
  teamId: string,
  productId: string,
  over: Record<string, unknown> = {},
) {
  // Written straight to the store, as the server would: the token is the server's to make (DESIGN §6).
  const [inv] = await s.put(org.orgId, 'invitations', [
    {
      id: newId(),
      orgId: org.orgId,
      teamId,
      productId,
      name: 'Spring cohort',
      token: randomToken(),
      allowedDomains: [],
      createdByMemberId: org.memberId,
      ...over,
    } as Fixture<'invitations'>,
  ]);
  return { ...inv, token: inv.token! };
}

export const claim = (s: TestServer, token: string, cookie?: string) =>
  s.request(`/api/invitations/${token}/claim`, { method: 'POST', cookie, body: {} });

export async function outboxRows(s: TestServer, topic?: string) {
  return (await listOutbox(s.store.db)).filter((r) => !topic || r.topic === topic);
}

export async function liveDocs<C extends CollectionName>(s: TestServer, collection: C, orgId: string) {
  return listDocs(s.store.db, { collection, org: orgId });
}

/** A pushed order of `quantities` seats of the fixture's product into its team (the order-size test and `npm run bench`'s big order). */
export const seatsOrder = (f: Awaited<ReturnType<typeof claimFixture>>, quantities: number[]) => ({
  id: newId(),
  orgId: f.org.orgId,
  reference: `BIG-${newId().slice(0, 4)}`,
  placedAt: new Date().toISOString(),
  teamId: f.teamId,
  licensee: { name: 'Lena', email: 'lena@acme.test' },
  licenseeContactId: '',
  billingContactId: '',
  lines: quantities.map((quantity) => ({ productId: f.productId, quantity })),
  validUntil: '2099-12-31',
  seq: 0,
  updatedAt: '',
});
