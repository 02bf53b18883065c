/**
 * An existing single-organization database from before accounts spanned organizations
 * (test/fixtures/single-org-before-many-orgs.db: `npm run cli -- demo --licenses 6 --contacts 3`
 * run by Allot as of commit 6f43719, schema 3) opens, migrates and works: nothing is lost, the
 * org admin, a contact and a license holder each find the organization on /api/me and sync it
 * by its path, and the license holder's license is under /api/me/licenses.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { listDocs } from '../../server/store/docs';
import { COLLECTION_NAMES } from '../../shared/schemas';
import type { MeResponse, MyLicensesResponse } from '../../shared/api';
import { createRow, pullAll, pushOutcome } from './permissions-fixtures';

const FIXTURE = fileURLToPath(new URL('../fixtures/single-org-before-many-orgs.db', import.meta.url));

/** What the fixture held when it was made (sqlite3: select collection, count(*) from docs group by collection). */
const HELD = { acceptances: 2, contacts: 12, invitations: 1, invoices: 2, licenses: 14, members: 1, orders: 2, organizations: 1, products: 3, quotes: 1, teams: 2 };

describe('a database made before organizations were named', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ sqliteCopyOf: FIXTURE });
  });
  afterAll(async () => s?.close());

  it('keeps every document', async () => {
    const counts: Record<string, number> = {};
    for (const c of COLLECTION_NAMES) {
      const n = (await listDocs(s.store.db, { collection: c })).length;
      if (n) counts[c] = n;
    }
    expect(counts).toEqual(HELD);
  });

  it('its org admin, a contact and a license holder each find the organization and sync it', async () => {
    const [org] = await listDocs(s.store.db, { collection: 'organizations' });
    expect(org.name).toBe('Northwind Traders');

    const admin = await s.signIn('admin@northwind.test');
    const me = (await s.request('/api/me', { cookie: admin })).json as MeResponse;
    expect(me.organizations).toEqual([expect.objectContaining({ id: org.id, name: 'Northwind Traders', isOrgAdmin: true })]);
    expect((await pullAll(s, 'licenses', admin, org.id)).docs).toHaveLength(HELD.licenses);
    const contact = { id: crypto.randomUUID(), orgId: org.id, name: 'New', email: 'new@northwind.test', roles: [], orderIds: [], disabled: false, source: 'manual' };
    expect((await pushOutcome(s, 'contacts', [createRow(contact)], admin, org.id)).outcome).toBe('ok');

    const barbara = await s.signIn('barbara@northwind.test');
    const billing = (await s.request('/api/me', { cookie: barbara })).json as MeResponse;
    expect(billing.organizations).toEqual([expect.objectContaining({ id: org.id, roles: ['primaryBilling'], isOrgAdmin: false })]);
    expect((await pullAll(s, 'invoices', barbara, org.id)).docs).toHaveLength(HELD.invoices);

    const lin = await s.signIn('lin@northwind.test');
    const held = (await s.request('/api/me/licenses', { cookie: lin })).json as MyLicensesResponse;
    expect(held.licenses).toEqual([
      expect.objectContaining({ organization: { id: org.id, name: 'Northwind Traders' }, team: { name: 'Platform' }, machines: [] }),
    ]);
    expect((await pullAll(s, 'licenses', lin, org.id)).docs.map((l) => l.assignee?.email)).toEqual(['lin@northwind.test']);
  });
});
