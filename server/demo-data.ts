import { newId, randomToken } from '../shared/ids';
import type { CollectionName, ContactRole, WireDoc } from '../shared/schemas';
import type { AppDeps } from './app-env';
import { materializeOrder } from './collections/orders';
import { createOrganization } from './orgs/create-organization';
import { ensureAccount } from './auth/signin';
import { loadCatalog, productId, syncCatalog } from './catalog';
import { publicUrl } from './config';
import { orgTx } from './store/docs';

export interface DemoOptions {
  /** Seats of the main order's first product (the team the invitation draws from). Default 10. */
  licenses?: number;
  /** Extra contacts beyond the role holders and order contacts. Default 0. */
  contacts?: number;
  orgName?: string;
  adminEmail?: string;
  /** Queue the admin's sign-in email (default true). */
  signIn?: boolean;
}

export interface Demo {
  orgId: string;
  orgName: string;
  adminEmail: string;
  adminMemberId: string;
  teamIds: { platform: string; mobile: string };
  orderIds: string[];
  invitation: { id: string; token: string; url: string };
  counts: { contacts: number; licenses: number };
  /**
   * A second organization where the demo's org admin is the primary billing contact and holds
   * a license (DESIGN §3: one account, many organizations), with its own org admin.
   */
  partner: { orgId: string; orgName: string; adminEmail: string; licenseId: string };
}

const DAY = 86_400_000;


/**
 * A demo organization: one contact per role plus order-specific contacts, two teams, two
 * orders with their licenses (two of them already claimed through the invitation),
 * invoices, a quote and an invitation link. And a partner organization in which the same
 * org admin is the primary billing contact and holds a license (see Demo.partner).
 */
export async function loadDemo(deps: AppDeps, opts: DemoOptions = {}): Promise<Demo> {
  const now = deps.clock.now();
  const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const seats = opts.licenses ?? 10;
  const orgName = opts.orgName ?? 'Northwind Traders';
  const domain = 'northwind.test';
  const adminEmail = (opts.adminEmail ?? `admin@${domain}`).toLowerCase();

  // Orders point at products: make sure the catalog is in.
  const catalog = loadCatalog(deps.config.CATALOG);
  await syncCatalog(deps.store, catalog, now);
  const [p1, p2, p3] = [catalog[0], catalog[1] ?? catalog[0], catalog[2] ?? catalog[0]].map((p) => productId(p.code));

  const org = await createOrganization(
    deps,
    { name: orgName, adminEmail, adminName: 'Ada Admin' },
    { signIn: opts.signIn ?? true },
  );
  const { orgId } = org;

  // Two people who already claimed a license through the invitation.
  const claimers = await Promise.all(
    [
      ['Lin Chen', `lin@${domain}`],
      ['Sam Okafor', `sam@${domain}`],
    ].map(async ([name, email]) => ensureAccount(deps.store.db, email, now.toISOString(), { verified: true, name })),
  );

  const platform = newId();
  const mobile = newId();
  const order1 = newId();
  const order2 = newId();
  const invitationId = newId();
  const token = randomToken();
  let contactCount = 0;
  let licenseCount = 0;

  await orgTx(deps.store, orgId, now, async (w) => {
    type Fields<C extends CollectionName> = Omit<WireDoc<C>, 'orgId' | '_deleted' | 'seq' | 'updatedAt'>;
    const put = <C extends CollectionName>(c: C, d: Fields<C>) =>
      w.put(c, { orgId, _deleted: false, ...d } as Omit<WireDoc<C>, 'seq' | 'updatedAt'>);
    await put('teams', { id: platform, name: 'Platform' });
    await put('teams', { id: mobile, name: 'Mobile' });

    const roleHolders: [string, ContactRole][] = [
      ['Grace Hopper', 'primaryLicensee'],
      ['Ken Thompson', 'primaryTechnical'],
      ['Barbara Liskov', 'primaryBilling'],
      ['Radia Perlman', 'unpaidInvoices'],
      ['Edsger Dijkstra', 'newQuotes'],
      ['Margaret Hamilton', 'securityPrivacy'],
      ['Donald Knuth', 'dataProtection'],
    ];
    const contact = async (name: string, roles: ContactRole[], orderIds: string[], source: 'manual' | 'order') => {
      const id = newId();
      const email = `${name.split(' ')[0].toLowerCase()}${contactCount >= roleHolders.length + 2 ? contactCount : ''}@${domain}`;
      contactCount += 1;
      await put('contacts', { id, name, email, roles, orderIds, disabled: false, source });
      return { id, name, email };
    };
    const holders = [];
    for (const [name, role] of roleHolders) holders.push(await contact(name, [role], [], 'manual'));
    // The first order's people: order-specific contacts (no organization-wide role).
    const licensee = await contact('Alan Kay', [], [order1], 'order');
    const billing = await contact('Frances Allen', [], [order1], 'order');
    const extraRoles: ContactRole[][] = [[], ['unpaidInvoices'], ['newQuotes'], ['securityPrivacy'], ['dataProtection']];
    for (let i = 0; i < (opts.contacts ?? 0); i++) {
      await contact(`Contact ${i + 1}`, extraRoles[i % extraRoles.length], i % 5 === 0 ? [order1] : [], 'manual');
    }

    // The orders become real the way the sync server makes a recorded order real
    // (server/collections/orders.ts): their licenses, and the order on their contacts.
    const validUntil = iso(365 * DAY);
    const made1 = await materializeOrder(w, {
      id: order1,
      orgId,
      reference: 'PO-1001',
      placedAt: iso(-30 * DAY),
      teamId: platform,
      licensee: { name: licensee.name, email: licensee.email },
      billing: { name: billing.name, email: billing.email },
      licenseeContactId: licensee.id,
      billingContactId: billing.id,
      lines: [
        { productId: p1, quantity: seats },
        { productId: p2, quantity: 5 },
      ],
      validUntil,
      _deleted: false,
    });
    // The primary licensee also placed the second order: it joins her order list.
    const grace = holders[0];
    const made2 = await materializeOrder(w, {
      id: order2,
      orgId,
      reference: 'PO-1002',
      placedAt: iso(-7 * DAY),
      teamId: mobile,
      licensee: { name: grace.name, email: grace.email },
      licenseeContactId: grace.id,
      billingContactId: grace.id,
      lines: [{ productId: p3, quantity: 3 }],
      validUntil,
      _deleted: false,
    });
    licenseCount = made1.seats + made2.seats;

    // Two people already claimed a license of the first product through the invitation.
    const pool = w.written.filter(
      (x): x is { collection: 'licenses'; doc: WireDoc<'licenses'> } =>
        x.collection === 'licenses' && (x.doc as WireDoc<'licenses'>).orderId === order1 && (x.doc as WireDoc<'licenses'>).productId === p1,
    );
    const assignedAt = iso(-DAY);
    for (const [i, claimer] of claimers.slice(0, seats).entries()) {
      const lic = pool[i].doc;
      await w.put('licenses', {
        ...lic,
        status: 'assigned',
        assignee: { accountId: claimer.id, email: claimer.email, name: claimer.name },
        assignedAt,
        assignedVia: invitationId,
      });
      await put('acceptances', {
        id: newId(),
        invitationId,
        teamId: lic.teamId,
        productId: lic.productId,
        licenseId: lic.id,
        account: { id: claimer.id, email: claimer.email, name: claimer.name },
        acceptedAt: assignedAt,
      });
    }

    await put('invitations', {
      id: invitationId,
      teamId: platform,
      productId: p1,
      name: 'Platform engineers',
      token,
      expiresAt: iso(30 * DAY),
      allowedDomains: [],
      createdByMemberId: org.memberId,
    } satisfies Partial<WireDoc<'invitations'>>);

    await put('invoices', {
      id: newId(),
      orderId: order1,
      number: 'INV-2001',
      amountCents: 845_000,
      currency: 'EUR',
      issuedAt: iso(-30 * DAY),
      dueAt: iso(-16 * DAY),
      paidAt: iso(-10 * DAY),
    });
    await put('invoices', {
      id: newId(),
      orderId: order2,
      number: 'INV-2002',
      amountCents: 89_000,
      currency: 'EUR',
      issuedAt: iso(-7 * DAY),
      dueAt: iso(23 * DAY),
    });
    await put('quotes', {
      id: newId(),
      number: 'Q-3001',
      lines: [{ productId: p1, quantity: 10 }],
      totalCents: 500_000,
      currency: 'EUR',
      requestedByMemberId: org.memberId,
      createdAt: iso(-2 * DAY),
      validUntil: iso(28 * DAY),
    });
  });

  const partner = await loadPartner(deps, { adminEmail, adminAccountId: org.accountId, productId: p2, now });

  return {
    partner,
    orgId,
    orgName,
    adminEmail,
    adminMemberId: org.memberId,
    teamIds: { platform, mobile },
    orderIds: [order1, order2],
    invitation: { id: invitationId, token, url: `${publicUrl(deps.config)}/join/${token}` },
    counts: { contacts: contactCount, licenses: licenseCount },
  };
}

/**
 * "Fabrikam Research": its own org admin (admin@fabrikam.test, not signed in), a team, one
 * recorded order of three seats whose licensee and billing contact is the demo's admin — the
 * primary billing contact here — and one of its licenses held by that same person.
 */
async function loadPartner(
  deps: AppDeps,
  o: { adminEmail: string; adminAccountId: string; productId: string; now: Date },
): Promise<Demo['partner']> {
  const orgName = 'Fabrikam Research';
  const partnerAdmin = 'admin@fabrikam.test';
  const partner = await createOrganization(deps, { name: orgName, adminEmail: partnerAdmin, adminName: 'Fay Admin' }, { signIn: false });
  const iso = (ms: number) => new Date(o.now.getTime() + ms).toISOString();
  const orgId = partner.orgId;
  const licenseId = await orgTx(deps.store, orgId, o.now, async (w) => {
    const teamId = newId();
    await w.put('teams', { id: teamId, orgId, name: 'Research', _deleted: false });
    const contactId = newId();
    const person = { name: 'Ada Admin', email: o.adminEmail };
    await w.put('contacts', { id: contactId, orgId, ...person, roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual', _deleted: false });
    const orderId = newId();
    await materializeOrder(w, {
      id: orderId,
      orgId,
      reference: 'FR-501',
      placedAt: iso(-14 * DAY),
      teamId,
      licensee: person,
      billing: person,
      licenseeContactId: contactId,
      billingContactId: contactId,
      lines: [{ productId: o.productId, quantity: 3 }],
      validUntil: iso(365 * DAY),
      _deleted: false,
    });
    const seat = w.written.find(
      (x): x is { collection: 'licenses'; doc: WireDoc<'licenses'> } => x.collection === 'licenses' && (x.doc as WireDoc<'licenses'>).orderId === orderId,
    );
    if (!seat) throw new Error('the partner order made no license');
    await w.put('licenses', {
      ...seat.doc,
      status: 'assigned',
      assignee: { accountId: o.adminAccountId, email: o.adminEmail, name: 'Ada Admin' },
      assignedAt: iso(-13 * DAY),
    });
    await w.put('invoices', {
      id: newId(),
      orgId,
      orderId,
      number: 'FR-INV-77',
      amountCents: 129_000,
      currency: 'EUR',
      issuedAt: iso(-14 * DAY),
      dueAt: iso(16 * DAY),
      _deleted: false,
    });
    return seat.doc.id;
  });
  return { orgId, orgName, adminEmail: partnerAdmin, licenseId };
}
