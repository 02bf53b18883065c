import { describe, expect, it } from 'vitest';
import { ORDER_MAILS, orderContactRecipients, recipientsFor, TOPIC_ROUTES } from './notifications';
import { TOPICS, type ContactRole } from './schemas';

const contact = (email: string, roles: ContactRole[], over: { disabled?: boolean; _deleted?: boolean } = {}) => ({
  email,
  name: email.split('@')[0],
  roles,
  disabled: false,
  ...over,
});
const member = (id: string, email: string, isOrgAdmin: boolean, disabled = false) => ({
  id,
  email,
  name: email.split('@')[0],
  isOrgAdmin,
  disabled,
});

const emails = (r: { email: string }[]) => r.map((x) => x.email).sort();

describe('recipientsFor', () => {
  it('has a route for every topic', () => {
    for (const t of TOPICS) expect(TOPIC_ROUTES[t]).toBeDefined();
  });

  it('sends each topic to its roles and primary role', () => {
    const contacts = [
      contact('unpaid@a.test', ['unpaidInvoices']),
      contact('billing@a.test', ['primaryBilling']),
      contact('quotes@a.test', ['newQuotes']),
      contact('sec@a.test', ['securityPrivacy']),
      contact('tech@a.test', ['primaryTechnical']),
      contact('dp@a.test', ['dataProtection']),
      contact('lic@a.test', ['primaryLicensee']),
      contact('order-only@a.test', []),
    ];
    expect(emails(recipientsFor('invoice-overdue', { contacts }))).toEqual(['billing@a.test', 'unpaid@a.test']);
    expect(emails(recipientsFor('quote-created', { contacts }))).toEqual(['billing@a.test', 'quotes@a.test']);
    expect(emails(recipientsFor('security-privacy', { contacts }))).toEqual(['sec@a.test', 'tech@a.test']);
    expect(emails(recipientsFor('data-protection', { contacts }))).toEqual(['dp@a.test', 'lic@a.test']);
    expect(emails(recipientsFor('order-placed', { contacts }))).toEqual([]);
  });

  it('leaves out disabled and deleted contacts', () => {
    const contacts = [
      contact('on@a.test', ['securityPrivacy']),
      contact('off@a.test', ['securityPrivacy'], { disabled: true }),
      contact('gone@a.test', ['securityPrivacy'], { _deleted: true }),
    ];
    expect(emails(recipientsFor('security-privacy', { contacts }))).toEqual(['on@a.test']);
  });

  it('lists an address once, case-insensitively', () => {
    const contacts = [
      contact('Pat@A.test', ['unpaidInvoices']),
      contact('pat@a.test', ['primaryBilling']),
      contact('pat@a.test ', ['unpaidInvoices', 'primaryBilling']),
    ];
    expect(recipientsFor('invoice-overdue', { contacts })).toEqual([{ email: 'pat@a.test', name: 'Pat' }]);
  });

  it('sends license-claimed to the invitation creator and primary licensees', () => {
    const members = [member('m1', 'creator@a.test', false), member('m2', 'admin@a.test', true)];
    const contacts = [contact('lic@a.test', ['primaryLicensee']), contact('creator@a.test', ['primaryLicensee'])];
    expect(emails(recipientsFor('license-claimed', { members, contacts, invitationCreatorMemberId: 'm1' }))).toEqual([
      'creator@a.test',
      'lic@a.test',
    ]);
    const disabledCreator = [member('m1', 'creator@a.test', false, true)];
    expect(recipientsFor('license-claimed', { members: disabledCreator, invitationCreatorMemberId: 'm1' })).toEqual([]);
  });

  it('sends order-placed to the enabled org admins only', () => {
    const members = [
      member('m1', 'a1@a.test', true),
      member('m2', 'a2@a.test', true, true),
      member('m3', 'team@a.test', false),
    ];
    expect(emails(recipientsFor('order-placed', { members }))).toEqual(['a1@a.test']);
  });

  it('sends license-revoked to the holder and sign-in to the account', () => {
    const holder = { email: 'Holder@x.test', name: 'H' };
    expect(recipientsFor('license-revoked', { holder, contacts: [contact('lic@a.test', ['primaryLicensee'])] })).toEqual([
      { email: 'holder@x.test', name: 'H' },
    ]);
    expect(recipientsFor('sign-in', { account: holder, holder })).toEqual([{ email: 'holder@x.test', name: 'H' }]);
  });
});

describe('orderContactRecipients', () => {
  const c = (id: string, email: string, over: { disabled?: boolean; _deleted?: boolean } = {}) => ({ id, email, name: id, disabled: false, ...over });
  const contacts = [c('lic', 'Lic@A.test'), c('bill', 'bill@a.test'), c('other', 'other@a.test'), c('off', 'off@a.test', { disabled: true })];

  it("reaches the order's own licensee or billing contact, nobody else's", () => {
    const order = { licenseeContactId: 'lic', billingContactId: 'bill' };
    expect(orderContactRecipients(order, 'licensee', contacts)).toEqual([{ email: 'lic@a.test', name: 'lic' }]);
    expect(orderContactRecipients(order, 'billing', contacts)).toEqual([{ email: 'bill@a.test', name: 'bill' }]);
    expect(emails(orderContactRecipients(order, 'both', contacts))).toEqual(['bill@a.test', 'lic@a.test']);
  });

  it('sends billing mail to the licensee when billing defaulted to them, and nothing to a disabled or deleted contact', () => {
    expect(orderContactRecipients({ licenseeContactId: 'lic', billingContactId: '' }, 'billing', contacts)).toEqual([{ email: 'lic@a.test', name: 'lic' }]);
    expect(orderContactRecipients({ licenseeContactId: 'off', billingContactId: 'off' }, 'both', contacts)).toEqual([]);
    expect(orderContactRecipients({ licenseeContactId: 'gone', billingContactId: '' }, 'both', [c('gone', 'g@a.test', { _deleted: true })])).toEqual([]);
  });

  it('logs each order email under a topic of the notifications schema', () => {
    // Each is a topic of its own in the notification log.
    for (const mail of Object.keys(ORDER_MAILS) as (keyof typeof ORDER_MAILS)[]) expect(TOPICS).toContain(mail);
  });
});
