/**
 * Test harness for screens: a real RxDB database on memory storage, a session as /api/me
 * would describe it, and a memory router at the screen's path.
 */
import { MemoryRouter, Route, createMemoryHistory } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import { createSignal, type JSX } from 'solid-js';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { newId } from '../shared/ids';
import type { License, Member, Order } from '../shared/schemas';
import type { AccountInfo } from '../shared/api';
import { orgPath } from '../shared/links';
import type { MyLicense, MyOrganization } from './api';
import { openDatabase, type AllotDatabase } from './db';
import { AccountProvider, makeSession, SessionProvider, type AccountSession, type Session } from './session';
import { ToastRegion } from './ui/toast';

/**
 * jsdom computes no CSS animations and reports animation-name as '' rather than a browser's
 * 'none'; Kobalte's presence then waits forever for a closing animation. Report 'none'.
 */
const patched = typeof window === 'undefined' ? undefined : (window as Window & { __allotNoAnimations?: boolean });
if (patched && !patched.__allotNoAnimations) {
  patched.__allotNoAnimations = true;
  const computed = window.getComputedStyle.bind(window);
  window.getComputedStyle = ((el: Element, pseudo?: string | null) => {
    const style = computed(el, pseudo);
    if (!style.animationName) Object.defineProperty(style, 'animationName', { value: 'none' });
    return style;
  }) as typeof window.getComputedStyle;
  // jsdom has no layout, so no scrolling: the router's scroll to the top on navigation is a
  // no-op here rather than a "Not implemented" line in every test's output.
  window.scrollTo = (() => {}) as typeof window.scrollTo;
}

export const ORG_ID = 'org-acme';
export const ME_ACCOUNT = 'acct-ada';
export const ME_MEMBER = 'member-ada';

export async function memoryDb(): Promise<AllotDatabase> {
  return openDatabase({ name: `t${newId().replace(/-/g, '').slice(0, 20)}`, storage: getRxStorageMemory(), multiInstance: false });
}

export function adminMember(over: Partial<Member> = {}): Member {
  return {
    id: ME_MEMBER,
    orgId: ORG_ID,
    accountId: ME_ACCOUNT,
    email: 'ada@acme.test',
    name: 'Ada Admin',
    isOrgAdmin: true,
    adminOfTeamIds: [],
    disabled: false,
    seq: 1,
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

/** Who the screen is shown to: the account and their entry for the organization (as /api/me gives it). */
export interface TestMe {
  account: AccountInfo;
  org: MyOrganization;
}

/** The person as `member` (null: not a member) with `extra` roles in Acme Corp. */
export function meAs(member: Member | null, extra: Partial<MyOrganization> = {}): TestMe {
  const m = member && !member.disabled ? member : null;
  return {
    account: { id: ME_ACCOUNT, email: 'ada@acme.test', name: 'Ada Admin' },
    org: {
      id: ORG_ID,
      name: 'Acme Corp',
      isOrgAdmin: !!m?.isOrgAdmin,
      adminOfTeamIds: m?.adminOfTeamIds ?? [],
      roles: [],
      holdsLicense: false,
      memberId: m?.id ?? null,
      orderIds: [],
      ...extra,
    },
  };
}

/** Server-made fixtures carry a seq; offline-made ones carry 0. */
export const stored = { seq: 1, updatedAt: '2025-01-01T00:00:00.000Z' };

/** An account session around `session` (the shell's context), with the given organizations and licenses. */
export function accountAround(
  session: Session | undefined,
  me: TestMe,
  over: { organizations?: MyOrganization[]; licenses?: MyLicense[] | undefined; currentOrgId?: string | null; upgrading?: number | null } = {},
): AccountSession {
  const [licenses] = createSignal<MyLicense[] | undefined>('licenses' in over ? over.licenses : []);
  const [account, setAccount] = createSignal(me.account);
  return {
    me: () => ({ account: account(), organizations: over.organizations ?? [me.org] }),
    renamed: (next) => setAccount(next.account),
    licenses,
    waiting: () => [],
    refreshLicenses: async () => {},
    current: () => session,
    currentOrgId: () => ('currentOrgId' in over ? (over.currentOrgId ?? null) : (session?.org.id ?? null)),
    enterOrg: () => {},
    orgError: () => null,
    upgrading: () => over.upgrading ?? null,
    signOut: async () => {},
  };
}

/**
 * Renders `routes` at `path` with a session of `me` in Acme Corp. Screens of an organization
 * live under `/o/:orgId` as in the app, so `routes` and `path` are placed there unless
 * `outsideOrg` (the account's pages: My licenses, the join page).
 */
export function renderScreen(opts: {
  db: AllotDatabase;
  me?: TestMe;
  path: string;
  /** A function, so the routes are made inside the rendered tree (Solid owns their computations). */
  routes: () => JSX.Element;
  session?: Partial<Session>;
  account?: Partial<AccountSession>;
  outsideOrg?: boolean;
}) {
  const me = opts.me ?? meAs(adminMember());
  const session: Session = { ...makeSession({ account: me.account, org: me.org, db: opts.db }), ...opts.session };
  const account: AccountSession = { ...accountAround(session, me), ...opts.account };
  const history = createMemoryHistory();
  history.set({ value: opts.outsideOrg ? opts.path : orgPath(ORG_ID, opts.path) });
  const result = render(() => (
    <MemoryRouter
      history={history}
      root={(p) => (
        <AccountProvider value={account}>
          <SessionProvider value={session}>
            {p.children}
            <ToastRegion />
          </SessionProvider>
        </AccountProvider>
      )}
    >
      {opts.outsideOrg ? opts.routes() : <Route path="/o/:orgId">{opts.routes()}</Route>}
      <Route path="*" component={() => <p>Elsewhere</p>} />
    </MemoryRouter>
  ));
  return { ...result, history, session, account };
}

/** A path inside the test organization, as the app's links write it. */
export const inOrg = (path: string) => orgPath(ORG_ID, path);

export const fx = {
  product: (id: string, name: string) => ({ id, code: id.toUpperCase(), name, ...stored }),
  team: (id: string, name: string) => ({ id, orgId: ORG_ID, name, ...stored }),
  license: (id: string, over: Partial<License> = {}): License => ({
    id,
    orgId: ORG_ID,
    orderId: 'order-1',
    teamId: 'team-a',
    productId: 'product-ij',
    status: 'available',
    validUntil: '2999-12-31T23:59:59.999Z',
    ...stored,
    ...over,
  }),
  order: (id: string, reference: string, over: Partial<Order> = {}): Order => ({
    id,
    orgId: ORG_ID,
    reference,
    placedAt: '2025-01-01T00:00:00.000Z',
    teamId: 'team-a',
    licensee: { name: 'Lena Licensee', email: 'lena@acme.test' },
    licenseeContactId: '',
    billingContactId: '',
    lines: [{ productId: 'product-ij', quantity: 3 }],
    validUntil: '2999-12-31T23:59:59.999Z',
    ...stored,
    ...over,
  }),
};

export const holder = (accountId: string, name: string) => ({
  status: 'assigned' as const,
  assignee: { accountId, email: `${name.toLowerCase()}@acme.test`, name },
  assignedAt: '2025-02-01T00:00:00.000Z',
  assignedVia: 'inv-1',
});
