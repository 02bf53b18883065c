import type { Contact, ContactRole, Member, Topic } from './schemas';

/**
 * Who receives each topic (DESIGN §4 and §7). Contact roles reach the contacts holding them;
 * the other sources are people an event names: the creator of the invitation that was claimed,
 * the holder whose license was revoked, the organization's admins, the person signing in.
 */
export interface TopicRoute {
  roles: readonly ContactRole[];
  orgAdmins?: boolean;
  invitationCreator?: boolean;
  holder?: boolean;
  account?: boolean;
}

export const TOPIC_ROUTES: Record<Topic, TopicRoute> = {
  'sign-in': { roles: [], account: true },
  'license-claimed': { roles: ['primaryLicensee'], invitationCreator: true },
  'license-revoked': { roles: [], holder: true },
  'licenses-expiring': { roles: ['primaryLicensee'] },
  'order-placed': { roles: [], orgAdmins: true },
  'invoice-overdue': { roles: ['unpaidInvoices', 'primaryBilling'] },
  'quote-created': { roles: ['newQuotes', 'primaryBilling'] },
  'security-privacy': { roles: ['securityPrivacy', 'primaryTechnical'] },
  'data-protection': { roles: ['dataProtection', 'primaryLicensee'] },
  // DESIGN §6 Waitlist: the waiting person, when a license is handed to them or they no longer qualify.
  'license-ready': { roles: [], holder: true },
  'waitlist-skipped': { roles: [], holder: true },
  // The new member themself: `account` is the person added.
  'member-added': { roles: [], account: true },
  'machine-activated': { roles: [], holder: true },
  // An order's own contacts (ORDER_MAILS below name which): no role brings these.
  'license-certificate': { roles: [] },
  'invoice-issued': { roles: [] },
  'invoice-paid': { roles: [] },
};

/** Topics an org admin composes by hand and sends to the topic's contacts. */
export const BULLETIN_TOPICS = ['security-privacy', 'data-protection'] as const;
export type BulletinTopic = (typeof BULLETIN_TOPICS)[number];

export const TOPIC_NAMES: Record<Topic, string> = {
  'sign-in': 'Sign-in link',
  'license-claimed': 'License claimed',
  'license-revoked': 'License revoked',
  'licenses-expiring': 'Licenses expiring',
  'order-placed': 'Order placed',
  'invoice-overdue': 'Unpaid invoices',
  'quote-created': 'New quotes',
  'security-privacy': 'Security and privacy updates',
  'data-protection': 'Data protection',
  'license-ready': 'License ready (waitlist)',
  'waitlist-skipped': 'Taken off a waitlist',
  'member-added': 'New member welcome',
  'machine-activated': 'New machine activated',
  'license-certificate': 'License certificate',
  'invoice-issued': 'Invoice',
  'invoice-paid': 'Receipt',
};

export interface Recipient {
  email: string;
  name: string;
}

type Deletable = { _deleted?: boolean };

export interface RecipientSources {
  contacts?: readonly (Pick<Contact, 'email' | 'name' | 'roles' | 'disabled'> & Deletable)[];
  members?: readonly (Pick<Member, 'id' | 'email' | 'name' | 'isOrgAdmin' | 'disabled'> & Deletable)[];
  /** The member who created the claimed invitation (license-claimed). */
  invitationCreatorMemberId?: string;
  /** The person whose license was revoked (license-revoked), who waited for one (license-ready, waitlist-skipped), or whose product activated on a new machine (machine-activated). */
  holder?: Recipient;
  /** The person signing in (sign-in), or the member just added (member-added). */
  account?: Recipient;
}

const normal = (email: string) => email.trim().toLowerCase();

/**
 * The people a topic's email goes to: disabled or deleted contacts and members get nothing,
 * and each address appears once however many reasons it has to be there.
 */
export function recipientsFor(topic: Topic, src: RecipientSources): Recipient[] {
  const route = TOPIC_ROUTES[topic];
  const out = new Map<string, Recipient>();
  const add = (email: string | undefined, name: string) => {
    if (!email) return;
    const key = normal(email);
    if (key && !out.has(key)) out.set(key, { email: key, name });
  };
  const liveMembers = (src.members ?? []).filter((m) => !m.disabled && !m._deleted);
  if (route.account && src.account) add(src.account.email, src.account.name);
  if (route.holder && src.holder) add(src.holder.email, src.holder.name);
  if (route.invitationCreator && src.invitationCreatorMemberId) {
    const creator = liveMembers.find((m) => m.id === src.invitationCreatorMemberId);
    if (creator) add(creator.email, creator.name);
  }
  if (route.orgAdmins) for (const m of liveMembers) if (m.isOrgAdmin) add(m.email, m.name);
  if (route.roles.length) {
    for (const c of src.contacts ?? []) {
      if (c.disabled || c._deleted) continue;
      if (c.roles.some((r) => route.roles.includes(r))) add(c.email, c.name);
    }
  }
  return [...out.values()];
}

/**
 * Emails about one order that go to that order's own contacts (DESIGN §4 order-specific contact
 * row, §7; seed: "The licensee receives your license certificate, while the billing contact
 * receives the invoice for the order"): whatever other roles those contacts hold, and nobody else.
 */
export const ORDER_MAILS = {
  'license-certificate': { name: 'License certificate', to: 'licensee' },
  'invoice-issued': { name: 'Invoice', to: 'billing' },
  'invoice-paid': { name: 'Receipt', to: 'billing' },
} as const satisfies Partial<Record<Topic, { name: string; to: 'licensee' | 'billing' }>>;
export type OrderMail = keyof typeof ORDER_MAILS;

type OrderContactRef = Pick<Contact, 'email' | 'name' | 'disabled'> & Deletable & { id: string };

/**
 * The order's licensee or billing contact (billing defaults to the licensee, seed: "By default,
 * your billing contact is the same as your licensee"), or nobody when that contact is disabled
 * or gone: an order's emails reach that order's contacts only, never another order's.
 */
export function orderContactRecipients(
  order: { licenseeContactId: string; billingContactId: string },
  to: 'licensee' | 'billing' | 'both',
  contacts: readonly OrderContactRef[],
): Recipient[] {
  const ids = new Set<string>();
  if (to !== 'billing' && order.licenseeContactId) ids.add(order.licenseeContactId);
  if (to !== 'licensee') ids.add(order.billingContactId || order.licenseeContactId);
  const out = new Map<string, Recipient>();
  for (const c of contacts) {
    if (!ids.has(c.id) || c.disabled || c._deleted) continue;
    const key = normal(c.email);
    if (key && !out.has(key)) out.set(key, { email: key, name: c.name });
  }
  return [...out.values()];
}
