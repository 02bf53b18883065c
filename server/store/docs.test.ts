import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_FIELDS, INDEXED_FIELDS } from '../../shared/doc-fields';
import { fieldValue } from '../../shared/permissions';
import { newId } from '../../shared/ids';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import { openStore, type Store } from './open-store';
import {
  CATALOG_ORG,
  changesAfter,
  columnsOf,
  countDocs,
  currentSeq,
  docExists,
  findDoc,
  firstDoc,
  listDocs,
  missingIds,
  orgTx,
  pullDocs,
} from './docs';

/** The documents repository (server/store/docs.ts) on a real SQLite database. */
describe('documents repository', () => {
  let store: Store;
  const now = new Date('2026-03-01T10:00:00.000Z');
  const acme = newId();
  const globex = newId();
  const teamA = newId();
  const teamB = newId();
  const put = <C extends CollectionName>(orgId: string, collection: C, docs: Record<string, unknown>[]) =>
    orgTx(store, orgId, now, async (w) => {
      const out: WireDoc<C>[] = [];
      for (const d of docs) out.push(await w.put(collection, { orgId, _deleted: false, ...d } as unknown as Omit<WireDoc<C>, 'seq' | 'updatedAt'>));
      return out;
    });
  const license = (over: Record<string, unknown>) => ({ id: newId(), orderId: 'o1', teamId: teamA, productId: 'p1', status: 'available', validUntil: '2027-01-01', ...over });

  beforeAll(async () => {
    store = await openStore({ sqliteFile: ':memory:' });
    await put(acme, 'contacts', [
      { id: 'c1', name: 'Ada', email: 'ada@acme.test', roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual' },
      { id: 'c2', name: 'Ben', email: 'ben@acme.test', roles: ['newQuotes'], orderIds: [], disabled: false, source: 'manual' },
      { id: 'c3', name: 'Gone', email: 'gone@acme.test', roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual', _deleted: true },
    ]);
    await put(globex, 'contacts', [{ id: 'c4', name: 'Ada', email: 'ada@acme.test', roles: [], orderIds: [], disabled: false, source: 'manual' }]);
    await put(acme, 'members', [{ id: 'm1', accountId: 'a1', email: 'Mixed@Acme.test', name: 'M', isOrgAdmin: true, adminOfTeamIds: [], disabled: false }]);
    await put(acme, 'licenses', [license({ id: 'l1' }), license({ id: 'l2', teamId: teamB }), license({ id: 'l3', status: 'assigned', assignee: { accountId: 'a9', email: 'h@x.test', name: 'H' } })]);
    await orgTx(store, CATALOG_ORG, now, (w) => w.put('products', { id: 'p1', code: 'P1', name: 'Rocket', _deleted: false }));
  });
  afterAll(async () => {
    await store?.close();
  });

  it('keeps each field of shared/doc-fields.ts in its column, the way permissions read it', () => {
    const doc = { id: 'l', teamId: 't', productId: 'p', orderId: 'o', status: 'assigned', token: 'tok', assignee: { accountId: 'acc' }, assignedVia: 'inv', accountId: '', email: 'e@x.test' };
    expect(columnsOf('licenses', doc)).toEqual({
      team_id: 't',
      product_id: 'p',
      order_id: 'o',
      status: 'assigned',
      token: null,
      assignee_account_id: 'acc',
      invitation_id: 'inv',
      account_id: null,
      email: 'e@x.test',
    });
    expect(columnsOf('invitations', { id: 'i', token: 'tok' }).token).toBe('tok');
    expect(columnsOf('acceptances', { id: 'a', invitationId: 'inv', account: { id: 'acc' } })).toMatchObject({ invitation_id: 'inv', assignee_account_id: 'acc' });
    expect(INDEXED_FIELDS).not.toContain('id');
    const columns = columnsOf('licenses', doc);
    for (const f of ['teamId', 'orderId', 'assigneeAccountId', 'accountId'] as const) expect(fieldValue(doc, f), f).toBe(columns[DOC_FIELDS[f].column]);
    expect(fieldValue(doc, 'id')).toBe('l');
  });

  it('finds a document by id, deleted or not', async () => {
    expect(await findDoc(store.db, 'contacts', 'c3')).toMatchObject({ id: 'c3', _deleted: true, seq: expect.any(Number), updatedAt: now.toISOString() });
    expect(await findDoc(store.db, 'contacts', 'nope')).toBeUndefined();
  });

  it('lists, counts and finds live documents by field, organization and exceptions', async () => {
    expect((await listDocs(store.db, { collection: 'contacts', org: acme }, { orderBy: 'id' })).map((d) => d.id)).toEqual(['c1', 'c2']);
    expect((await listDocs(store.db, { collection: 'contacts', org: acme, withDeleted: true }, { orderBy: 'id' })).map((d) => d.id)).toEqual(['c1', 'c2', 'c3']);
    expect((await listDocs(store.db, { collection: 'contacts', where: { email: 'ada@acme.test' } }, { orderBy: 'id' })).map((d) => d.id)).toEqual(['c1', 'c4']);
    expect((await listDocs(store.db, { collection: 'contacts', where: { email: 'ada@acme.test' }, org: { not: acme } })).map((d) => d.id)).toEqual(['c4']);
    expect(await countDocs(store.db, { collection: 'licenses', org: acme, where: { teamId: [teamA, teamB] } })).toBe(3);
    expect(await countDocs(store.db, { collection: 'licenses', org: acme, where: { teamId: [] } })).toBe(0);
    expect(await countDocs(store.db, { collection: 'licenses', where: { status: 'available' }, exceptId: 'l1' })).toBe(1);
    expect((await firstDoc(store.db, { collection: 'licenses', where: { assigneeAccountId: 'a9' } }))?.id).toBe('l3');
    expect(await docExists(store.db, { collection: 'members', emailCaseless: 'mixed@acme.test' })).toBe(true);
    expect(await docExists(store.db, { collection: 'members', where: { email: 'mixed@acme.test' } })).toBe(false);
    expect((await listDocs(store.db, { collection: 'contacts', org: acme, mentionsAny: ['primaryBilling'] })).map((d) => d.id)).toEqual(['c1']);
    expect((await listDocs(store.db, { collection: 'licenses', org: acme }, { orderBy: 'id', limit: 1, offset: 1 })).map((d) => d.id)).toEqual(['l2']);
  });

  it('names the ids that are no live document of the organization (of the catalog, for products)', async () => {
    expect(await missingIds(store.db, { collection: 'contacts', org: acme }, ['c1', 'c3', 'c4', 'c1', ''])).toEqual(['c3', 'c4']);
    expect(await missingIds(store.db, { collection: 'products', org: acme }, ['p1', 'p2'])).toEqual(['p2']);
    expect(await missingIds(store.db, { collection: 'products', org: acme }, [])).toEqual([]);
  });

  it('pulls in seq order, filtered by scope conditions on the columns, with the tombstones of what left a reader', async () => {
    const before = await currentSeq(store.db, acme);
    const all = await pullDocs(store.db, acme, 'licenses', 0, 100);
    expect(all.docs.map((d) => d.id)).toEqual(['l1', 'l2', 'l3']);
    const teamAOnly = await pullDocs(store.db, acme, 'licenses', 0, 100, { scope: [{ field: 'teamId', values: [teamA] }], audiences: [`teamId:${teamA}`] });
    expect(teamAOnly.docs.map((d) => d.id)).toEqual(['l1', 'l3']);
    // l1 moves to team B: team A's readers get it back deleted, in seq order.
    const l1 = (await findDoc(store.db, 'licenses', 'l1'))!;
    await put(acme, 'licenses', [{ ...l1, teamId: teamB }]);
    const after = await pullDocs(store.db, acme, 'licenses', teamAOnly.lastSeq, 100, { scope: [{ field: 'teamId', values: [teamA] }], audiences: [`teamId:${teamA}`] });
    expect(after.docs).toMatchObject([{ id: 'l1', _deleted: true, teamId: teamA }]);
    expect(after.lastSeq).toBeGreaterThan(before);
    expect((await pullDocs(store.db, acme, 'products', 0, 10)).docs.map((d) => d.id)).toEqual(['p1']);
  });

  it('reads an organization’s changes after a change number, every collection', async () => {
    const seq = await currentSeq(store.db, acme);
    await put(acme, 'teams', [{ id: 't-new', name: 'New' }]);
    const changes = await changesAfter(store.db, acme, seq, 10);
    expect(changes.map((c) => [c.collection, c.doc.id, c.doc.seq])).toEqual([['teams', 't-new', seq + 1]]);
  });

  it('gives every write of one organization the next change number, in one transaction', async () => {
    const seq = await currentSeq(store.db, globex);
    const written = await put(globex, 'teams', [{ id: newId(), name: 'One' }, { id: newId(), name: 'Two' }]);
    expect(written.map((d) => d.seq)).toEqual([seq + 1, seq + 2]);
    expect(await currentSeq(store.db, globex)).toBe(seq + 2);
    await expect(
      orgTx(store, globex, now, async (w) => {
        await w.put('teams', { id: newId(), orgId: globex, name: 'Rolled back', _deleted: false });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await currentSeq(store.db, globex)).toBe(seq + 2);
  });
});
