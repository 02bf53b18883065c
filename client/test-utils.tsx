/**
 * Test harness for screens: a real RxDB database on memory storage, a session as /api/me
 * would describe it, and a memory router at the screen's path.
 */
import { MemoryRouter, Route, createMemoryHistory } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import type { JSX } from 'solid-js';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { newId } from '../shared/ids';
import type { License, Member, Order } from '../shared/schemas';
import type { Me } from './api';
import { openDatabase, type AllotDatabase } from './db';
import { makeSession, SessionProvider, type Session } from './session';
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

export function meAs(member: Member | null, extra: Partial<Me> = {}): Me {
  return {
    account: { id: ME_ACCOUNT, email: 'ada@acme.test', name: 'Ada Admin' },
    org: { id: ORG_ID, name: 'Acme Corp' },
    member,
    contactRoles: [],
    contactOrderIds: [],
    ...extra,
  };
}

/** Server-made fixtures carry a seq; offline-made ones carry 0. */
export const stored = { seq: 1, updatedAt: '2025-01-01T00:00:00.000Z' };

export function renderScreen(opts: {
  db: AllotDatabase;
  me?: Me;
  path: string;
  /** A function, so the routes are made inside the rendered tree (Solid owns their computations). */
  routes: () => JSX.Element;
  session?: Partial<Session>;
}) {
  const session = { ...makeSession({ me: opts.me ?? meAs(adminMember()), db: opts.db }), ...opts.session };
  const history = createMemoryHistory();
  history.set({ value: opts.path });
  const result = render(() => (
    <MemoryRouter
      history={history}
      root={(p) => (
        <SessionProvider value={session}>
          {p.children}
          <ToastRegion />
        </SessionProvider>
      )}
    >
      {opts.routes()}
      <Route path="*" component={() => <p>Elsewhere</p>} />
    </MemoryRouter>
  ));
  return { ...result, history, session };
}

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
