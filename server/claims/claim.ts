import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { domainAllowed } from '../../shared/addresses';
import { invitationExpired, licenseValidOn } from '../../shared/dates';
import { fail, ok, type ErrorCode, type Result } from '../../shared/errors';
import { newOrderedId } from '../../shared/ids';
import type { License, WireDoc } from '../../shared/schemas';
import type { InvitationEligibility, InvitationInfo, InvitationStatus } from '../../shared/invitation-info';
import { isInvitationToken } from '../../shared/tokens';
import type { AppDeps } from '../app-env';
import type { Account } from '../auth/session';
import { publicUrl } from '../config';
import { notifyLicenseClaimed } from '../notify/events';
import type { DB } from '../store/schema';
import type { Store } from '../store/open-store';
import { actorOf, auditValue, changesOf, recordAudit, type AuditClient } from '../audit/record';
import { countDocs, findDoc, firstDoc, groupedOrgTx, listDocs, listDocsTogether, orgTx, type OrgWriter } from '../store/docs';

/** The live invitation with this token, read outside any transaction (to learn its organization). */
export async function invitationByToken(db: Kysely<DB>, token: string): Promise<WireDoc<'invitations'> | undefined> {
  if (!isInvitationToken(token)) return undefined;
  return firstDoc(db, { collection: 'invitations', where: { token } });
}

/** Per store, what a claim needs to know of an invitation before its transaction: by token, its id and organization. */
const refsByToken = new WeakMap<Store, Map<string, { id: string; orgId: string }>>();

/** Invitations whose id and organization a store keeps by token (the least recently found forgotten first). */
const REFS_KEPT = 10_000;

/**
 * The id and organization of the live invitation with this token (claimLicense), read once
 * and kept: an invitation never moves to another organization and a token is never given to
 * another invitation, and the claim's transaction reads the invitation itself and checks it
 * (still live, still this token) before anything else. A token that finds nothing is not kept.
 */
async function invitationRef(store: Store, token: string): Promise<{ id: string; orgId: string } | undefined> {
  let refs = refsByToken.get(store);
  if (!refs) refsByToken.set(store, (refs = new Map()));
  const kept = refs.get(token);
  if (kept) {
    refs.delete(token);
    refs.set(token, kept);
    return kept;
  }
  const inv = await invitationByToken(store.db, token);
  if (!inv || inv._deleted) return undefined;
  const ref = { id: inv.id, orgId: inv.orgId };
  refs.set(token, ref);
  if (refs.size > REFS_KEPT) refs.delete(refs.keys().next().value!);
  return ref;
}

/** Acceptances of an invitation (claims made through it, revoked ones included), optionally of one account. */
export async function acceptancesOf(db: Kysely<DB>, invitationId: string, accountId?: string): Promise<WireDoc<'acceptances'>[]> {
  return listDocs(db, { collection: 'acceptances', where: { invitationId, ...(accountId ? { assigneeAccountId: accountId } : {}) } });
}

export const countAcceptances = (db: Kysely<DB>, invitationId: string): Promise<number> =>
  countDocs(db, { collection: 'acceptances', where: { invitationId } });

/** The license of the invitation's product in its team that this account holds, if any. */
const heldQuery = (inv: WireDoc<'invitations'>, accountId: string) =>
  ({ collection: 'licenses', where: { teamId: inv.teamId, productId: inv.productId, assigneeAccountId: accountId, status: 'assigned' } }) as const;

/** The account's acceptances of the invitation (revoked ones included). */
const mineQuery = (invitationId: string, accountId: string) => ({ collection: 'acceptances', where: { invitationId, assigneeAccountId: accountId } }) as const;

/**
 * The available licenses of a product in a team (the pool a claim takes from, in id order):
 * the status in the statement's text, so that the index of available licenses serves it
 * (migration 0006).
 */
const poolQuery = (orgId: string, teamId: string, productId: string) =>
  ({ collection: 'licenses', org: orgId, where: { teamId, productId }, literal: { status: 'available' } }) as const;

/** The pool's first page: short, as the first available license is nearly always valid (and each one read is parsed). */
const FIRST_POOL_PAGE = 8;

/** The first available license of a product in a team that is still valid today (in id order). */
export const availableLicense = (w: OrgWriter, teamId: string, productId: string, now: Date) => firstValidAvailable(w.tx, w.orgId, teamId, productId, now);

/** Whether the invitation's team holds a license of its product that a claim could take now (a read, outside any claim). */
const hasAvailableLicense = async (db: Kysely<DB>, inv: WireDoc<'invitations'>, now: Date) =>
  (await firstValidAvailable(db, inv.orgId, inv.teamId, inv.productId, now)) !== undefined;

/** `firstPage`: the pool's first `limit` licenses when already read (the claim's one read, claimReads). */
async function firstValidAvailable(
  db: Kysely<DB>,
  orgId: string,
  teamId: string,
  productId: string,
  now: Date,
  firstPage?: { licenses: WireDoc<'licenses'>[]; limit: number },
) {
  const pool = poolQuery(orgId, teamId, productId);
  for (let offset = 0, page = firstPage?.limit ?? FIRST_POOL_PAGE; ; offset += page, page = 100) {
    const found = offset === 0 && firstPage ? firstPage.licenses : await listDocs(db, pool, { orderBy: 'id', limit: page, offset });
    // A license past its last valid day is not handed out.
    const valid = found.find((l) => licenseValidOn(l.validUntil, now));
    if (valid || found.length < page) return valid;
  }
}

/** What a claim reads before it decides, in one statement (listDocsTogether): the license held, the acceptances, the pool's first page. */
interface ClaimReads {
  held: WireDoc<'licenses'> | undefined;
  mine: WireDoc<'acceptances'>[];
  pool: WireDoc<'licenses'>[];
}

/** `poolLimit`: how much of the pool to read (0: none, the group's page has a license to give). */
async function claimReads(w: OrgWriter, inv: WireDoc<'invitations'>, accountId: string, poolLimit: number): Promise<ClaimReads> {
  const parts = [
    { query: heldQuery(inv, accountId), page: { limit: 1 } },
    { query: mineQuery(inv.id, accountId) },
    ...(poolLimit ? [{ query: poolQuery(w.orgId, inv.teamId, inv.productId), page: { orderBy: 'id', limit: poolLimit } } as const] : []),
  ] as const;
  const [held, mine, pool = []] = await listDocsTogether(w.tx, parts);
  return { held: held[0], mine, pool };
}

/**
 * The pool's licenses (one team and product) as this transaction read them, shared by the
 * claims of its group (w.memo): each claim hands out the next one still valid, so a group of
 * claims on one pool reads it once, not once each. `writtenAt` is how much of w.written the
 * page has accounted for: a license of the page written there that no claim of the page took
 * (by other work sharing the transaction), or a piece rolled back (w.written shrinks), throws
 * the page away, to be read again by the next claim. (A license that joined the pool meanwhile
 * is not in the page: it waits for a later read, as one made after the read would.)
 */
interface PoolPage {
  licenses: WireDoc<'licenses'>[];
  /** How many the next read takes: FIRST_POOL_PAGE, doubled (up to 64) each time a group reads again, so a group of many claims on one pool reads it a few times, and one of a few claims parses no more than it hands out. */
  limit: number;
  ids: Set<string>;
  next: number;
  writtenAt: number;
  taken: Set<string>;
}

const poolPageOf = (w: OrgWriter, inv: WireDoc<'invitations'>) =>
  w.memo(`pool:${inv.teamId}\n${inv.productId}`, async (): Promise<PoolPage> => ({ licenses: [], limit: FIRST_POOL_PAGE, ids: new Set(), next: 0, writtenAt: w.written.length, taken: new Set() }));

/** Sets the page to what was read, or empties it. */
function refill(w: OrgWriter, page: PoolPage, licenses: WireDoc<'licenses'>[]) {
  page.licenses = licenses;
  page.ids = new Set(licenses.map((l) => l.id));
  page.next = 0;
  page.writtenAt = w.written.length;
}

/** The page's next license still valid today, once the page is known to be current (see PoolPage). */
function nextInPage(w: OrgWriter, page: PoolPage, now: Date): WireDoc<'licenses'> | undefined {
  const since = page.writtenAt <= w.written.length ? w.written.slice(page.writtenAt) : null;
  if (!since || since.some(({ collection, doc }) => collection === 'licenses' && page.ids.has(doc.id) && !page.taken.has(doc.id))) refill(w, page, []);
  page.writtenAt = w.written.length;
  // A license past its last valid day is not handed out.
  while (page.next < page.licenses.length && !licenseValidOn(page.licenses[page.next].validUntil, now)) page.next += 1;
  return page.licenses[page.next];
}

export const stripWire = ({ _deleted, ...doc }: WireDoc<'licenses'>): License => doc;

type Refused = { ok: false; code: ErrorCode; message: string; details?: unknown };

/** The refusals of the claim table decided without a read (DESIGN §6, in its order): no such link, disabled, expired, an address not allowed. */
function refusedUnread(inv: WireDoc<'invitations'> | undefined, account: Account, now: Date): Refused | null {
  if (!inv || inv._deleted) return fail('invitation-not-found', 'This invitation link does not exist');
  if (inv.disabledAt) return fail('invitation-disabled', 'This invitation has been disabled');
  if (invitationExpired(inv, now)) return fail('invitation-expired', 'This invitation has expired');
  // Only a proven address counts: anyone can type an address they do not own.
  if (inv.allowedDomains.length > 0 && (!account.emailVerifiedAt || !domainAllowed(account.email, inv.allowedDomains))) {
    return fail('domain-not-allowed', `This invitation is for addresses at ${inv.allowedDomains.join(', ')}`, { allowedDomains: inv.allowedDomains });
  }
  return null;
}

/**
 * Where a person stands with an invitation, seats aside (DESIGN §6, the claim table in its
 * order): refused by the first failing check, already holding the license, or free to take one.
 * The waitlist joins and hands out through the same checks.
 */
export type Standing = { kind: 'refused'; refusal: Refused } | { kind: 'holds'; license: WireDoc<'licenses'> } | { kind: 'may-claim' };

export async function standingOf(
  w: OrgWriter,
  inv: WireDoc<'invitations'> | undefined,
  account: Account,
  now: Date,
  known?: Pick<ClaimReads, 'held' | 'mine'>,
): Promise<Standing> {
  const refused = (r: Refused): Standing => ({ kind: 'refused', refusal: r });
  const plain = refusedUnread(inv, account, now);
  if (plain || !inv) return refused(plain ?? fail('invitation-not-found', 'This invitation link does not exist'));
  const held = known ? known.held : await firstDoc(w.tx, heldQuery(inv, account.id));
  if (held) return { kind: 'holds', license: held };
  const mine = known ? known.mine : await listDocs(w.tx, mineQuery(inv.id, account.id));
  if (mine.some((a) => a.revokedAt)) {
    return refused(fail('revoked-cannot-reclaim', 'Your license from this invitation was revoked; ask the admin for a new one'));
  }
  if (inv.maxClaims !== undefined && (await countAcceptances(w.tx, inv.id)) >= inv.maxClaims) {
    return refused(fail('invitation-used-up', 'This invitation has been used as many times as allowed'));
  }
  return { kind: 'may-claim' };
}

/**
 * Gives `lic` to the account through the invitation (DESIGN §6): the license assigned, the
 * acceptance recorded, the invitation's creator told — in the writer's transaction.
 */
export async function assignLicense(
  w: OrgWriter,
  deps: AppDeps,
  inv: WireDoc<'invitations'>,
  account: Account,
  lic: WireDoc<'licenses'>,
): Promise<{ license: WireDoc<'licenses'>; acceptance: WireDoc<'acceptances'> }> {
  const license = await w.put(
    'licenses',
    {
      ...lic,
      status: 'assigned',
      assignee: { accountId: account.id, email: account.email, name: account.name },
      assignedAt: w.now,
      assignedVia: inv.id,
    },
    lic,
  );
  const acceptance = await w.put(
    'acceptances',
    {
      id: newOrderedId(),
      orgId: w.orgId,
      invitationId: inv.id,
      teamId: inv.teamId,
      productId: inv.productId,
      licenseId: lic.id,
      account: { id: account.id, email: account.email, name: account.name },
      acceptedAt: w.now,
      _deleted: false,
    },
    null,
  );
  await notifyLicenseClaimed(w, publicUrl(deps.config), { invitation: inv, claimant: account, acceptanceId: acceptance.id });
  return { license, acceptance };
}

/** The id of the refused-claim record of one invitation, address and reason (one document each). */
const refusalId = (invitationId: string, email: string, code: string) =>
  `rc-${createHash('sha256').update(`${invitationId}\n${email}\n${code}`).digest('hex').slice(0, 36)}`;

/**
 * Keeps a refused claim with its invitation (DESIGN §6 Refused attempts: who — the address
 * only —, when, why) and appends its audit event, in the claim's transaction.
 */
async function recordRefusal(w: OrgWriter, inv: WireDoc<'invitations'>, account: Account, r: Refused, client?: AuditClient): Promise<Refused> {
  const id = refusalId(inv.id, account.email, r.code);
  const prev = await w.get('refusedClaims', id);
  const live = prev && !prev._deleted ? prev : undefined;
  await w.put(
    'refusedClaims',
    {
      id,
      orgId: w.orgId,
      invitationId: inv.id,
      teamId: inv.teamId,
      productId: inv.productId,
      email: account.email,
      code: r.code,
      firstAt: live?.firstAt ?? w.now,
      lastAt: w.now,
      attempts: Math.min((live?.attempts ?? 0) + 1, 1_000_000),
      _deleted: false,
    },
    prev ?? null,
  );
  await recordAudit(w, {
    kind: 'claim-refused',
    actor: actorOf(account),
    collection: 'invitations',
    docId: inv.id,
    summary: `Claim refused: ${r.message}`,
    changes: [{ field: 'code', after: auditValue(r.code) }],
    related: [{ collection: 'refusedClaims', id }],
    ...(client ? { client } : {}),
  });
  return r;
}

/**
 * Hands one license of the invitation's product in its team to the signed-in person (DESIGN §6).
 * Every check and every write happens in one transaction holding the organization's change
 * counter, which serializes the organization's writers on SQLite and PostgreSQL alike, so the
 * last license cannot go to two people. Claims of one organization that arrive together share
 * that transaction (groupedOrgTx: one fsync or COMMIT for all), each checked in turn against
 * the ones before it and answered once it is durable; `alone` gives the claim a transaction of
 * its own. A refusal is kept with the invitation (Refused attempts); a claim or a refusal
 * appends its audit event (DESIGN §15).
 */
export async function claimLicense(
  deps: AppDeps,
  input: { token: string; account: Account; client?: AuditClient },
  opts: { alone?: boolean } = {},
): Promise<Result<License>> {
  const found = await invitationRef(deps.store, input.token);
  if (!found) return fail('invitation-not-found', 'This invitation link does not exist');
  // A claim's reads come before its writes, and read nothing it writes: its documents go in one statement (OrgWriter.deferring).
  const run = (w: OrgWriter) => w.deferring(() => claimIn(w, deps, found.id, input));
  return opts.alone ? orgTx(deps.store, found.orgId, deps.clock.now(), run) : groupedOrgTx(deps.store, found.orgId, () => deps.clock.now(), run);
}

/** One claim in the writer's transaction, at the transaction's time (claimLicense). */
async function claimIn(
  w: OrgWriter,
  deps: AppDeps,
  invitationId: string,
  { token, account, client }: { token: string; account: Account; client?: AuditClient },
): Promise<Result<License>> {
  const now = new Date(w.now);
  // A claim writes no invitation: the claims of one group read it once.
  const inv = await w.memo(`invitations:${invitationId}`, () => w.get('invitations', invitationId));
  if (!inv || inv._deleted || inv.token !== token) return fail('invitation-not-found', 'This invitation link does not exist');
  // The license to hand out from what the group read of the pool; else the pool's first page is
  // read with the checks after the plain refusals, in one statement.
  const page = await poolPageOf(w, inv);
  const fromPage = nextInPage(w, page, now);
  const poolLimit = fromPage ? 0 : page.limit;
  const reads = refusedUnread(inv, account, now) ? undefined : await claimReads(w, inv, account.id, poolLimit);
  if (reads && !fromPage) {
    refill(w, page, reads.pool);
    page.limit = Math.min(page.limit * 2, 64);
  }
  const standing = await standingOf(w, inv, account, now, reads);
  if (standing.kind === 'refused') return recordRefusal(w, inv, account, standing.refusal, client);
  if (standing.kind === 'holds') return ok(stripWire(standing.license));
  let lic = fromPage ?? nextInPage(w, page, now);
  if (lic) page.next += 1;
  else {
    // None valid in the page: page on through the pool, and read it anew for the next claim.
    lic = await firstValidAvailable(w.tx, w.orgId, inv.teamId, inv.productId, now, { licenses: reads?.pool ?? [], limit: poolLimit });
    refill(w, page, []);
  }
  if (!lic) return recordRefusal(w, inv, account, fail('no-assets-left', 'No assets left'), client);
  page.taken.add(lic.id);
  const { license, acceptance } = await assignLicense(w, deps, inv, account, lic);
  await recordAudit(w, {
    kind: 'claim',
    actor: actorOf(account),
    collection: 'licenses',
    docId: license.id,
    changes: changesOf(lic, license),
    summary: `Claimed a license through ${inv.name ? `“${inv.name}”` : 'an invitation'}`,
    related: [
      { collection: 'invitations', id: inv.id },
      { collection: 'acceptances', id: acceptance.id },
    ],
    ...(client ? { client } : {}),
  });
  return ok(stripWire(license));
}

/**
 * What anyone holding the link may know about an invitation (DESIGN §6): names, expiry and
 * status — nothing else: no ids, no counts, no domains (invitationEligibility has those).
 */
export async function invitationInfo(deps: AppDeps, token: string): Promise<Result<InvitationInfo>> {
  const db = deps.store.db;
  const inv = await invitationByToken(db, token);
  if (!inv) return fail('invitation-not-found', 'This invitation link does not exist');
  const named = async (collection: 'organizations' | 'teams' | 'products', id: string) => (await findDoc(db, collection, id))?.name ?? '';
  const now = deps.clock.now();
  let status: InvitationStatus = 'active';
  if (inv.disabledAt) status = 'disabled';
  else if (invitationExpired(inv, now)) status = 'expired';
  else if (inv.maxClaims !== undefined && (await countAcceptances(db, inv.id)) >= inv.maxClaims) status = 'used-up';
  return ok({
    organization: await named('organizations', inv.orgId),
    team: await named('teams', inv.teamId),
    product: await named('products', inv.productId),
    name: inv.name ?? null,
    expiresAt: inv.expiresAt ?? null,
    status,
  });
}

/**
 * Who may claim through a link and whether a seat is free now (issue 16 §10):
 * `GET /api/invitations/:token/eligibility`. Errors: `invitation-not-found`.
 */
export async function invitationEligibility(deps: AppDeps, token: string): Promise<Result<InvitationEligibility>> {
  const inv = await invitationByToken(deps.store.db, token);
  if (!inv) return fail('invitation-not-found', 'This invitation link does not exist');
  const now = deps.clock.now();
  const open = !inv.disabledAt && !invitationExpired(inv, now);
  return ok({ allowedDomains: inv.allowedDomains, seatsLeft: open && (await hasAvailableLicense(deps.store.db, inv, now)) });
}
