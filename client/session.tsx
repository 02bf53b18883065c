/**
 * The signed-in person's two contexts (DESIGN §5 "Tabs, accounts and organizations"):
 * - the account (useAccount): who they are and their organizations (/api/me), their licenses
 *   in every organization (/api/me/licenses), both live; the organization open now; sign-out.
 *   Reachable without any organization (a pure invitee's My licenses).
 * - the organization (useSession): one organization's local database and its sync, and what
 *   the person may do there. Screens of an organization take it from here; tests provide one
 *   with a memory database.
 */
import { createContext, useContext, type Accessor, type JSX } from 'solid-js';
import { orgPath } from '../shared/links';
import type { AllotDatabase, SyncHandle, SyncStatus } from './db';
import type { Me, MyLicense, MyOrganization, MyWaitlistPlace } from './api';
import { accessOf, type Access } from './access';

/** One organization's session: its local database, its sync and the person's access there. */
export interface Session {
  account: Me['account'];
  /** The organization: its id, and its name as /api/me last said. */
  org: { readonly id: string; readonly name: string };
  access: Access;
  db: AllotDatabase;
  sync: SyncHandle | null;
  status: Accessor<SyncStatus | undefined>;
  /** The app URL of `path` in this organization (`/o/:orgId/…`, shared/links.ts). */
  href(path: string): string;
  signOut(): Promise<void>;
}

/** The signed-in account, whatever organization (if any) is open. */
export interface AccountSession {
  me: Accessor<Me>;
  /** Every license the person holds, in every organization; undefined until first known. */
  licenses: Accessor<MyLicense[] | undefined>;
  /** The waitlists the person is on, in every organization, with their place in line (DESIGN §6 Waitlist). */
  waiting: Accessor<MyWaitlistPlace[]>;
  /** Reads the licenses again now (after a machine was deactivated, or when My licenses opens). */
  refreshLicenses(): Promise<void>;
  /** The organization session open now (undefined while none is, or while it opens). */
  current: Accessor<Session | undefined>;
  /** The organization the app shows (the URL's, else the last used one); null when none. */
  currentOrgId: Accessor<string | null>;
  /** Opens `orgId`'s session (closing the one open before); the URL already names it. */
  enterOrg(orgId: string): void;
  /** The error that kept an organization's database from opening, in words. */
  orgError: Accessor<string | null>;
  /** While the organization opening upgrades this device's copy (once, after an update of Allot): the share done, 0–100; else null. */
  upgrading: Accessor<number | null>;
  signOut(): Promise<void>;
  /** The account was renamed (PATCH /api/me answered the new /api/me). */
  renamed(me: Me): void;
}

const SessionContext = createContext<Session>();
const AccountContext = createContext<AccountSession>();

export function SessionProvider(props: { value: Session; children: JSX.Element }) {
  // A session is made once per organization opened and holds its own signals: it is not replaced.
  // eslint-disable-next-line solid/reactivity
  return <SessionContext.Provider value={props.value}>{props.children}</SessionContext.Provider>;
}

export function AccountProvider(props: { value: AccountSession; children: JSX.Element }) {
  // Made once per sign-in; its fields are accessors.
  // eslint-disable-next-line solid/reactivity
  return <AccountContext.Provider value={props.value}>{props.children}</AccountContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside an organization');
  return s;
}

/** The organization session when inside one (the shell also renders outside any). */
export function useOptionalSession(): Session | undefined {
  return useContext(SessionContext);
}

export function useAccount(): AccountSession {
  const a = useContext(AccountContext);
  if (!a) throw new Error('useAccount outside the signed-in app');
  return a;
}

export function makeSession(input: {
  account: Me['account'];
  org: MyOrganization | Accessor<MyOrganization>;
  db: AllotDatabase;
  sync?: SyncHandle | null;
  status?: Accessor<SyncStatus | undefined>;
  signOut?: () => Promise<void>;
}): Session {
  const entry = typeof input.org === 'function' ? input.org : () => input.org as MyOrganization;
  const id = entry().id;
  return {
    account: input.account,
    org: {
      id,
      get name() {
        return entry().name;
      },
    },
    access: accessOf(input.account.id, entry),
    db: input.db,
    sync: input.sync ?? null,
    status: input.status ?? (() => undefined),
    href: (path) => orgPath(id, path),
    signOut: input.signOut ?? (async () => {}),
  };
}
