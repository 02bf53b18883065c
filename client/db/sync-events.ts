/**
 * What the sync learns about the server, turned into status (status.ts) and, for the two
 * answers the app must act on, into calls to it: 426 (outdated: reload) and 401 (signed out).
 * The transport, the live stream, the replications and the network watch all report here,
 * so each answer means the same wherever it arrives.
 */
import type { PendingChanges } from './pending';
import type { StatusModel } from './status';

export const isNavigatorOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;

export interface SyncEvents {
  /** The server answered (anything): online unless the browser says otherwise, and signed in. */
  reached(): void;
  /** The server answered a pull, push or live event: also "last synced" when nothing waits to be pushed. */
  synced(): void;
  /** No answer at all (network down, connection dropped): offline, with the reason. */
  unreachable(err: unknown): void;
  /** An answer that is an error (`message` is shown as the last error). */
  failed(message: string): void;
  /** HTTP 426: the server runs a newer schema. Said once; the app is told and sync stops. */
  outdated(): void;
  /** HTTP 401: the session ended. Said once until the server is reached signed in again. */
  signedOut(): void;
  /** The browser's `online` / `offline` events. */
  network(online: boolean): void;
}

export interface SyncEventHooks {
  /** After the status says outdated: tell the app and stop syncing. */
  onOutdated(): void;
  onSignedOut?: () => void;
}

export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createSyncEvents(model: StatusModel, pending: PendingChanges, hooks: SyncEventHooks): SyncEvents {
  const reached = () => model.set({ online: isNavigatorOnline(), signedOut: false });
  return {
    reached,
    synced() {
      reached();
      if (pending.count() === 0) model.set({ lastSyncedAt: new Date().toISOString(), lastError: null });
    },
    unreachable(err) {
      model.set({ online: false, lastError: messageOf(err) });
    },
    failed(message) {
      model.set({ lastError: message });
    },
    outdated() {
      if (model.get().outdated) return;
      model.set({ outdated: true, lastError: 'This app is out of date; reload it' });
      hooks.onOutdated();
    },
    signedOut() {
      if (model.get().signedOut) return;
      model.set({ signedOut: true, online: isNavigatorOnline(), lastError: 'Signed out' });
      hooks.onSignedOut?.();
    },
    network(online) {
      model.set({ online });
    },
  };
}
