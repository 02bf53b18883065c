import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { startAuthKit, type AuthKit } from '../test/helpers/auth-kit';
import { CONTACT_ROLES, isCollectionName, wireSchema, type CollectionName, type WireDoc } from '../shared/schemas';
import { loadDemo } from './demo-data';
import { changesAfter, findDoc } from './store/docs';
import { accountByEmail, ensureAccountRow } from './store/accounts';
import { meAnswer, myLicenses } from './auth/me';

describe('demo data', () => {
  let kit: AuthKit;
  beforeAll(async () => {
    kit = await startAuthKit();
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('builds a whole organization whose every document passes its schema', async () => {
    const demo = await loadDemo(kit.deps, { licenses: 12, contacts: 6, signIn: false });
    const docs = await changesAfter(kit.store.db, demo.orgId, 0, 100_000);
    for (const { collection, doc } of docs) {
      expect(isCollectionName(collection)).toBe(true);
      const r = v.safeParse(wireSchema(collection), doc);
      expect(r.success, `${collection} ${JSON.stringify(r.issues?.map((i) => [v.getDotPath(i), i.message]))}`).toBe(true);
    }
    const of = <C extends CollectionName>(c: C) => docs.filter((d) => d.collection === c).map((d) => d.doc as WireDoc<C>);
    const contacts = of('contacts');
    expect(new Set(contacts.flatMap((c) => c.roles))).toEqual(new Set(CONTACT_ROLES));
    expect(contacts.some((c) => c.roles.length === 0 && c.orderIds.includes(demo.orderIds[0]))).toBe(true);
    expect(new Set(contacts.map((c) => c.email)).size).toBe(contacts.length);
    expect(contacts).toHaveLength(demo.counts.contacts);
    expect(of('teams')).toHaveLength(2);
    expect(of('licenses')).toHaveLength(12 + 5 + 3);
    expect(of('licenses').filter((l) => l.status === 'assigned')).toHaveLength(2);
    expect(of('acceptances')).toHaveLength(2);
    expect(of('invoices').length).toBeGreaterThanOrEqual(2);
    expect(of('quotes').length).toBeGreaterThanOrEqual(1);
    const [inv] = of('invitations');
    expect(inv.token).toBe(demo.invitation.token);
    expect(demo.invitation.url).toBe(`http://localhost/join/${demo.invitation.token}`);
    expect(of('members')).toMatchObject([{ email: 'admin@northwind.test', isOrgAdmin: true }]);
    // Products come from the catalog the orders point at.
    for (const l of of('licenses')) expect(await findDoc(kit.store.db, 'products', l.productId)).toBeDefined();

    // The invitation is live on the public page.
    const page = await kit.call(`/api/invitations/${demo.invitation.token}`);
    expect(page.status).toBe(200);
  });

  it('has one person in two organizations: admin of the demo, primary billing contact and license holder of the partner', async () => {
    const demo = await loadDemo(kit.deps, { licenses: 3, signIn: false, orgName: 'Second Northwind' });
    const account = (await accountByEmail(kit.store.db, demo.adminEmail))!;
    // Contacts act once the address is proven: as after the admin's first sign-in.
    await ensureAccountRow(kit.store.db, demo.adminEmail, new Date().toISOString(), { verified: true });
    const me = await meAnswer(kit.store.db, { ...account, emailVerifiedAt: new Date().toISOString() });
    expect(me.organizations.find((o) => o.id === demo.orgId)).toMatchObject({ name: 'Second Northwind', isOrgAdmin: true, holdsLicense: false });
    expect(me.organizations.find((o) => o.id === demo.partner.orgId)).toMatchObject({
      name: 'Fabrikam Research',
      isOrgAdmin: false,
      roles: ['primaryBilling'],
      holdsLicense: true,
    });
    const mine = await myLicenses(kit.store.db, account);
    expect(mine.licenses.filter((l) => l.organization.id === demo.partner.orgId).map((l) => l.license.id)).toEqual([demo.partner.licenseId]);
    for (const { collection, doc } of await changesAfter(kit.store.db, demo.partner.orgId, 0, 10_000)) {
      const r = v.safeParse(wireSchema(collection), doc);
      expect(r.success, `${collection} ${JSON.stringify(r.issues?.map((i) => [v.getDotPath(i), i.message]))}`).toBe(true);
    }
  });
});
