/**
 * The signed-in person's context: who they are (/api/me), what they may do, their local
 * database and its sync. Screens take it from here; tests provide one with a memory database.
 */
import { createContext, useContext, type Accessor, type JSX } from 'solid-js';
import type { AllotDatabase, SyncHandle, SyncStatus } from './db';
import type { Me } from './api';
import { accessOf, type Access } from './access';

export interface Session {
  me: Me;
  access: Access;
  db: AllotDatabase;
  sync: SyncHandle | null;
  status: Accessor<SyncStatus | undefined>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session>();

export function SessionProvider(props: { value: Session; children: JSX.Element }) {
  // A session is made once per sign-in and holds its own signals (me, status): it is not replaced.
  // eslint-disable-next-line solid/reactivity
  return <SessionContext.Provider value={props.value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in area');
  return s;
}

export function makeSession(input: {
  me: Me;
  db: AllotDatabase;
  sync?: SyncHandle | null;
  status?: Accessor<SyncStatus | undefined>;
  signOut?: () => Promise<void>;
}): Session {
  return {
    me: input.me,
    access: accessOf(input.me),
    db: input.db,
    sync: input.sync ?? null,
    status: input.status ?? (() => undefined),
    signOut: input.signOut ?? (async () => {}),
  };
}
