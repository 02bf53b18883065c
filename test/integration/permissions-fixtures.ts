/**
 * One organization with a person of every kind (DESIGN §4) and a document of every
 * collection, each named so a test can write what each person must see as a table.
 */
import { newId, randomToken } from '../../shared/ids';
import { COLLECTION_NAMES, type CollectionName, type ContactRole, type WireDoc } from '../../shared/schemas';
import type { PullResponse, PushResponse, PushRow } from '../../shared/sync';
import { CATALOG_ORG, getDoc } from '../../server/store/docs';
import { upsertMachine } from '../../server/store/machines';
import type { TestServer } from '../helpers/server';
import type { Fixture } from '../helpers/collection-kit';
import { pullPath, pushPath } from '../helpers/sync-api';

export const PEOPLE = [
  'orgAdmin',
  'teamAdminA',
  'primaryLicensee',
  'primaryTechnical',
  'primaryBilling',
  'orderContactX',
  'notificationsOnly',
  'disabledContact',
  'licenseHolder',
  'stranger',
  'partner',
  'anonymous',
] as const;
export type PersonName = (typeof PEOPLE)[number];

export const COLLECTIONS: readonly CollectionName[] = COLLECTION_NAMES;

export type World = Awaited<ReturnType<typeof buildWorld>>;

/**
 * Who plays each role: by default the person named after it (the org admin is "ada"). A
 * second organization built with another cast on the same `tag` has the same people in other
 * roles — one account, many organizations (DESIGN §3).
 */
export type Cast = Partial<Record<PersonName, string>>;

/** The people of a world, each named after the role they play in the first one. */
export const PEOPLE_NAMES = PEOPLE.filter((p) => p !== 'anonymous').map((p) => (p === 'orgAdmin' ? 'ada' : p));

/**
 * Names → ids of every fixture document, and a session cookie per role (none for anonymous).
 * `cast` says who plays which role (see Cast); `productId` (`product2Id`) reuses a catalog product as P (P2) (the
 * catalog is every organization's, so two worlds on one server share it).
 */
export async function buildWorld(s: TestServer, tag = newId().slice(0, 6), opts: { cast?: Cast; productId?: string; product2Id?: string; name?: string } = {}) {
  const person = (role: string) => opts.cast?.[role as PersonName] ?? (role === 'orgAdmin' ? 'ada' : role);
  /** The address of whoever plays `role` here (or of a person by name: 'ada'). */
  const mail = (role: string) => `${person(role).toLowerCase()}-${tag}@acme.test`;
  const org = await s.createOrg(opts.name ?? `Acme ${tag}`, mail('orgAdmin'));
  const orgId = org.orgId;
  const ids = new Map<string, string>();
  const name = (id: string) => [...ids].find(([, v]) => v === id)?.[0] ?? `?${id.slice(0, 8)}`;
  const mk = (n: string) => {
    const id = newId();
    ids.set(n, id);
    return id;
  };
  ids.set('org', orgId);
  ids.set('admin', org.memberId);

  let P: string;
  if (opts.productId) ids.set('P', (P = opts.productId));
  else {
    P = mk('P');
    await s.put(CATALOG_ORG, 'products', [{ id: P, code: `P-${tag}`, name: 'Rocket IDE' }]);
  }
  const A = mk('A');
  const B = mk('B');
  await s.put(orgId, 'teams', [
    { id: A, orgId, name: 'Team A' },
    { id: B, orgId, name: 'Team B' },
  ]);

  const cookies = {} as Record<PersonName, string | undefined>;
  cookies.orgAdmin = org.cookie;
  for (const p of PEOPLE) if (p !== 'orgAdmin' && p !== 'anonymous') cookies[p] = await s.signIn(mail(p), p);
  const account = (p: PersonName) => s.accountId(mail(p));

  const tina = mk('tina');
  await s.put(orgId, 'members', [
    {
      id: tina,
      orgId,
      accountId: await account('teamAdminA'),
      email: mail('teamAdminA'),
      name: 'Tina',
      isOrgAdmin: false,
      adminOfTeamIds: [A],
      disabled: false,
    },
  ]);
  // A partner (DESIGN §4) who placed order Y on the organization's behalf.
  const pat = mk('pat');
  await s.put(orgId, 'members', [
    { id: pat, orgId, accountId: await account('partner'), email: mail('partner'), name: 'Pat', isOrgAdmin: false, adminOfTeamIds: [], disabled: false, isPartner: true },
  ]);

  const X = mk('X');
  const Y = mk('Y');
  const order = (id: string, teamId: string, reference: string, placedByMemberId = org.memberId) => ({
    id,
    orgId,
    reference,
    placedAt: '2026-01-01T00:00:00.000Z',
    teamId,
    licensee: { name: 'Lee', email: mail('primaryLicensee') },
    licenseeContactId: '',
    billingContactId: '',
    lines: [{ productId: P, quantity: 2 }],
    validUntil: '2099-12-31T00:00:00.000Z',
    materializedAt: '2026-01-01T00:00:00.000Z',
    placedByMemberId,
  });
  await s.put(orgId, 'orders', [order(X, A, 'PO-X'), order(Y, B, 'PO-Y', pat)]);

  const contact = (n: string, person: PersonName, roles: ContactRole[], over: Partial<Fixture<'contacts'>> = {}): Fixture<'contacts'> => ({
    id: mk(n),
    orgId,
    name: person,
    email: mail(person),
    roles,
    orderIds: [],
    disabled: false,
    source: 'manual',
    ...over,
  });
  await s.put(orgId, 'contacts', [
    contact('cLic', 'primaryLicensee', ['primaryLicensee']),
    contact('cTech', 'primaryTechnical', ['primaryTechnical']),
    contact('cBill', 'primaryBilling', ['primaryBilling']),
    contact('cOrd', 'orderContactX', [], { orderIds: [X], source: 'order' }),
    contact('cNotif', 'notificationsOnly', ['unpaidInvoices', 'newQuotes']),
    contact('cDis', 'disabledContact', ['primaryLicensee', 'primaryBilling'], { disabled: true }),
  ]);

  const IA = mk('IA');
  const IB = mk('IB');
  const invitation = (id: string, teamId: string) => ({
    id,
    orgId,
    teamId,
    productId: P,
    token: randomToken(),
    allowedDomains: [],
    createdByMemberId: org.memberId,
  });
  await s.put(orgId, 'invitations', [invitation(IA, A), invitation(IB, B)]);

  const zed = { accountId: newId(), email: `zed-${tag}@elsewhere.test`, name: 'Zed' };
  const hank = { accountId: await account('licenseHolder'), email: mail('licenseHolder'), name: 'Hank' };
  const LA = mk('LA');
  const LAh = mk('LAh');
  const LB = mk('LB');
  const license = (id: string, orderId: string, teamId: string, holder?: typeof zed, via?: string): Fixture<'licenses'> => ({
    id,
    orgId,
    orderId,
    teamId,
    productId: P,
    status: holder ? 'assigned' : 'available',
    validUntil: '2099-12-31T00:00:00.000Z',
    ...(holder ? { assignee: holder, assignedAt: '2026-02-01T00:00:00.000Z', assignedVia: via } : {}),
  });
  await s.put(orgId, 'licenses', [license(LA, X, A), license(LAh, X, A, zed, IA), license(LB, Y, B, hank, IB)]);
  const acceptance = (n: string, inv: string, teamId: string, lic: string, who: typeof zed) => ({
    id: mk(n),
    orgId,
    invitationId: inv,
    teamId,
    productId: P,
    licenseId: lic,
    account: { id: who.accountId, email: who.email, name: who.name },
    acceptedAt: '2026-02-01T00:00:00.000Z',
  });
  await s.put(orgId, 'acceptances', [acceptance('AccA', IA, A, LAh, zed), acceptance('AccB', IB, B, LB, hank)]);
  // Machines are server-only rows (DESIGN §14), read through GET /api/orgs/:orgId/machines.
  const machine = (n: string, licenseId: string, who: typeof zed) =>
    upsertMachine(s.store.db, {
      id: mk(n),
      org_id: orgId,
      license_id: licenseId,
      account_id: who.accountId,
      name: `${who.name}'s laptop`,
      first_seen_at: '2026-02-02T00:00:00.000Z',
      last_seen_at: '2026-02-03T00:00:00.000Z',
      deactivated_at: null,
    });
  await machine('MA', LAh, zed);
  await machine('MB', LB, hank);

  const invoice = (n: string, orderId: string) => ({
    id: mk(n),
    orgId,
    orderId,
    number: `INV-${n}`,
    amountCents: 10_000,
    currency: 'EUR',
    issuedAt: '2026-01-02T00:00:00.000Z',
    dueAt: '2026-02-02T00:00:00.000Z',
  });
  await s.put(orgId, 'invoices', [invoice('InvX', X), invoice('InvY', Y)]);
  await s.put(orgId, 'quotes', [
    {
      id: mk('Q1'),
      orgId,
      number: 'Q-1',
      lines: [{ productId: P, quantity: 5 }],
      totalCents: 50_000,
      currency: 'EUR',
      requestedByMemberId: org.memberId,
      createdAt: '2026-01-03T00:00:00.000Z',
      validUntil: '2026-03-03T00:00:00.000Z',
    },
  ]);
  await s.put(orgId, 'notifications', [
    { id: mk('N1'), orgId, topic: 'order-placed', recipients: [mail('orgAdmin')], subject: 'Order PO-X placed', status: 'sent', attempts: 1 },
  ]);

  // Waitlists and refused claims (DESIGN §6) of a product with no licenses, so no push below serves them.
  let P2: string;
  if (opts.product2Id) ids.set('P2', (P2 = opts.product2Id));
  else {
    P2 = mk('P2');
    await s.put(CATALOG_ORG, 'products', [{ id: P2, code: `P2-${tag}`, name: 'Rocket CLI' }]);
  }
  await s.put(orgId, 'waitlistEntries', [
    { ...waitlistEntry(mk('WA'), IA, A, P2, zed, 1), orgId },
    { ...waitlistEntry(mk('WB'), IB, B, P2, zed, 2), orgId },
  ]);
  const refused = (n: string, inv: string, teamId: string) => ({
    id: mk(n),
    orgId,
    invitationId: inv,
    teamId,
    productId: P2,
    email: `late-${tag}@elsewhere.test`,
    code: 'no-assets-left',
    firstAt: '2026-02-03T00:00:00.000Z',
    lastAt: '2026-02-03T00:00:00.000Z',
    attempts: 1,
  });
  await s.put(orgId, 'refusedClaims', [refused('RA', IA, A), refused('RB', IB, B)]);
  await s.put(orgId, 'auditEvents', [
    {
      id: mk('E1'),
      orgId,
      at: '2026-02-03T00:00:00.000Z',
      kind: 'update',
      actorAccountId: '',
      actorEmail: mail('ada'),
      actorName: 'Ada',
      collection: 'teams',
      docId: A,
      changes: [{ field: 'name', before: '"A"', after: '"Team A"' }],
      summary: 'Changed a team',
    },
  ]);

  /** The member id (or, without one, the account id) a person's new quote names. */
  const requester = async (p: PersonName) =>
    p === 'orgAdmin' ? org.memberId : p === 'teamAdminA' ? tina : p === 'partner' ? pat : p === 'anonymous' ? 'nobody' : await account(p);

  return {
    s,
    org,
    orgId,
    tag,
    ids,
    id: (n: string) => {
      const v = ids.get(n);
      if (!v) throw new Error(`no fixture called ${n}`);
      return v;
    },
    name,
    mk,
    mail,
    cookies,
    account,
    requester,
    zed,
    hank,
    current: <C extends CollectionName>(collection: C, id: string) => getDoc(s.store.db, collection, id),
  };
}

/** Every document of a collection the person (by session cookie) may see in organization `orgId`; the status when refused. */
export async function pullAll<C extends CollectionName>(s: TestServer, collection: C, cookie: string | undefined, orgId: string) {
  const docs: WireDoc<C>[] = [];
  let checkpoint: unknown = null;
  for (;;) {
    const r = await s.request(pullPath(orgId, collection), { cookie, body: { checkpoint, batchSize: 1000 } });
    if (r.status !== 200) return { status: r.status, docs };
    const page = r.json as PullResponse<C>;
    docs.push(...page.documents);
    if (page.documents.length < 1000) return { status: 200, docs, checkpoint: page.checkpoint };
    checkpoint = page.checkpoint;
  }
}

/** Pushes rows into organization `orgId`; answers 'ok' per row, the rejection code, 'conflict', or the HTTP status when the request failed. */
export async function pushOutcome(s: TestServer, collection: CollectionName, rows: PushRow[], cookie: string | undefined, orgId: string) {
  const r = await s.request(pushPath(orgId, collection), { cookie, body: rows });
  if (r.status !== 200) return { outcome: String(r.status), res: r };
  const id = rows[0].newDocumentState.id;
  const answer = r.json as PushResponse;
  const rej = answer.rejected.find((x) => x.id === id);
  if (rej) return { outcome: rej.code as string, res: r };
  if (answer.conflicts.some((d) => d.id === id)) return { outcome: 'conflict', res: r };
  return { outcome: 'ok', res: r };
}

/** A row that changes a stored document (assuming exactly what the server holds). */
export async function changeRow<C extends CollectionName>(w: World, collection: C, id: string, change: (d: WireDoc<C>) => object): Promise<PushRow> {
  const stored = await w.current(collection, id);
  if (!stored) throw new Error(`${collection}/${id} is not stored`);
  return { assumedMasterState: stored, newDocumentState: { ...change(structuredClone(stored)) } };
}

/** A waiting entry (DESIGN §6 Waitlist) of a person on an invitation. */
export const waitlistEntry = (
  id: string,
  invitationId: string,
  teamId: string,
  productId: string,
  who: { accountId: string; email: string; name: string },
  rank: number,
) => ({
  id,
  orgId: '',
  invitationId,
  teamId,
  productId,
  account: { id: who.accountId, email: who.email, name: who.name },
  joinedAt: '2026-02-03T00:00:00.000Z',
  rank,
  status: 'waiting' as const,
});

/** A row that creates a document. */
export const createRow = (doc: Record<string, unknown>): PushRow => ({
  assumedMasterState: null,
  newDocumentState: { seq: 0, updatedAt: '', _deleted: false, ...doc },
});
