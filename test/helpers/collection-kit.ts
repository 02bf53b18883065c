/**
 * The write path without HTTP, for the unit tests beside server/collections/: a real SQLite
 * database in memory, the app's dependencies, an organization with its org admin, and ways to
 * run one collection's rules (or the whole push pipeline) inside orgTx.
 */
import { pino } from 'pino';
import { createApp } from '../../server/app';
import { manualClock } from '../../server/clock';
import { parseConfig } from '../../server/config';
import { logMailer } from '../../server/mail/mailer';
import { openStore } from '../../server/store/open-store';
import { CATALOG_ORG, listDocs, orgTx, type OrgWriter } from '../../server/store/docs';
import { listOutbox } from '../../server/store/outbox';
import { ensureAccount } from '../../server/auth/signin';
import { principalIn, type Principal } from '../../server/auth/principal';
import { pushRows } from '../../server/sync/push';
import { rulesOf, type PushContext } from '../../server/collections';
import { newId } from '../../shared/ids';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { PushRow } from '../../shared/sync';

/** A document as written by a fixture: the server's fields are filled in by put. */
export type Fixture<C extends CollectionName> = Omit<WireDoc<C>, 'seq' | 'updatedAt' | '_deleted'> & { _deleted?: boolean };

export const PUBLIC_URL = 'http://allot.test';

export async function collectionKit() {
  const store = await openStore({ sqliteFile: ':memory:' });
  const clock = manualClock(new Date('2026-03-01T10:00:00.000Z'));
  const logger = pino({ level: 'silent' });
  const config = parseConfig({ PUBLIC_URL, LOG_LEVEL: 'silent' });
  const built = createApp({ store, mailer: logMailer(logger), clock, config, logger });
  const deps = built.deps;
  const now = () => clock.now();

  /** Writes documents as the server would. */
  async function put<C extends CollectionName>(orgId: string, collection: C, docs: Fixture<C>[]): Promise<WireDoc<C>[]> {
    return orgTx(store, orgId, now(), async (w) => {
      const out: WireDoc<C>[] = [];
      for (const d of docs) out.push(await w.put(collection, { _deleted: false, ...d } as Omit<WireDoc<C>, 'seq' | 'updatedAt'>));
      return out;
    });
  }

  /** A product of the catalog. */
  async function product(name = 'Rocket IDE'): Promise<string> {
    const id = `product-${newId().slice(0, 8)}`;
    await orgTx(store, CATALOG_ORG, now(), (w) => w.put('products', { id, code: id.slice(8), name, _deleted: false }));
    return id;
  }

  /** A recorded (already materialized) order of one product seat in an organization. */
  async function order(orgId: string, productId: string, over: Partial<Fixture<'orders'>> = {}): Promise<WireDoc<'orders'>> {
    const [made] = await put(orgId, 'orders', [
      {
        id: newId(),
        orgId,
        reference: 'PO-1',
        placedAt: '2026-03-01',
        teamId: '',
        licenseeContactId: '',
        billingContactId: '',
        lines: [{ productId, quantity: 1 }],
        validUntil: '2027-03-01',
        materializedAt: '2026-03-01T10:00:00.000Z',
        ...over,
      },
    ]);
    return made;
  }

  /** An organization with one org admin (a verified account), and that admin's principal. */
  async function org(name = 'Acme', adminEmail = `admin-${newId().slice(0, 8)}@acme.test`) {
    const orgId = newId();
    const memberId = newId();
    const account = await ensureAccount(store.db, adminEmail, now().toISOString(), { verified: true, name: 'Ada Admin' });
    await put(orgId, 'organizations', [{ id: orgId, orgId, name }]);
    await put(orgId, 'members', [
      { id: memberId, orgId, accountId: account.id, email: account.email, name: 'Ada Admin', isOrgAdmin: true, adminOfTeamIds: [], disabled: false },
    ]);
    const admin = await principalOf(account.email, orgId);
    return { orgId, memberId, account, admin };
  }

  /** The principal of an address (a verified account, made if new) in one organization. */
  async function principalOf(email: string, orgId: string): Promise<Principal> {
    const account = await ensureAccount(store.db, email, now().toISOString(), { verified: true });
    const p = await principalIn(store.db, account, orgId);
    if (!p) throw new Error(`${email} has no reach in ${orgId}`);
    return p;
  }

  /** A new document's wire state as a client sends it (seq 0, updatedAt ''). */
  const fresh = <C extends CollectionName>(doc: Fixture<C>): WireDoc<C> => ({ seq: 0, updatedAt: '', _deleted: false, ...doc }) as unknown as WireDoc<C>;

  /** Runs `fn` with a push context of one collection in the organization's transaction. */
  function inTx<C extends CollectionName, T>(
    principal: Principal & { orgId: string },
    before: WireDoc<C> | undefined,
    after: WireDoc<C>,
    fn: (ctx: PushContext<C>) => Promise<T>,
  ): Promise<T> {
    return orgTx(store, principal.orgId, now(), (w: OrgWriter) => fn({ w, principal, before, after, deps }));
  }

  /** One collection's check, as the push pipeline runs it. */
  const check = <C extends CollectionName>(collection: C, principal: Principal & { orgId: string }, before: WireDoc<C> | undefined, after: WireDoc<C>) =>
    inTx(principal, before, after, async (ctx) => (await rulesOf(collection).check?.(ctx)) ?? null);

  /** The whole push pipeline for rows of one collection. */
  const push = <C extends CollectionName>(principal: Principal, collection: C, rows: PushRow[]) => pushRows(deps, principal, collection, rows);

  /** A push row creating `doc`, or changing `before` into `doc`. */
  const row = (doc: Record<string, unknown>, before?: Record<string, unknown>): PushRow => ({
    ...(before ? { assumedMasterState: before } : {}),
    newDocumentState: doc,
  });

  const docs = <C extends CollectionName>(orgId: string, collection: C, withDeleted = false) =>
    listDocs(store.db, { collection, org: orgId, withDeleted });

  const outbox = (topic?: string) => listOutbox(store.db).then((rows) => rows.filter((r) => !topic || r.topic === topic));

  async function close() {
    built.close();
    await store.close();
  }

  return { store, clock, deps, put, product, order, org, principalOf, fresh, inTx, check, push, row, docs, outbox, close };
}

export type CollectionKit = Awaited<ReturnType<typeof collectionKit>>;
