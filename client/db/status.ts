/**
 * Sync status for the always-visible indicator of DESIGN §11.
 *
 * The UI binds to `handle.status$` (an RxJS BehaviorSubject<SyncStatus>; in Solid:
 * `const status = from(handle.status$)`), or calls `handle.onStatus(fn)` which calls
 * `fn` at once and on every change and returns an unsubscribe function.
 *
 * - `online`: the browser says it is online AND the last request reached the server.
 * - `pending`: local changes not yet accepted by the server (documents, all collections).
 * - `lastSyncedAt`: ISO time of the last request the server answered successfully while
 *   nothing was waiting to push; null before the first.
 * - `initialSyncDone` / `progress`: the first full pull of this session (progress bar:
 *   `progress.collectionsDone / progress.collectionsTotal`, with `docsReceived`).
 * - `outdated`: the server answered 426: the app must reload (sync has stopped).
 * - `signedOut`: the server answered 401: the session is gone.
 * - `replicating`: false in a tab that is not the leader (another tab syncs for it; its
 *   own counters then stay at their initial values).
 */
import { BehaviorSubject } from 'rxjs';

export interface SyncStatus {
  online: boolean;
  replicating: boolean;
  pending: number;
  pendingByCollection: Record<string, number>;
  lastSyncedAt: string | null;
  initialSyncDone: boolean;
  progress: { collectionsDone: number; collectionsTotal: number; docsReceived: number };
  outdated: boolean;
  signedOut: boolean;
  /** Notices written in this session (the list itself is `db.notices`). */
  noticesAdded: number;
  lastError: string | null;
}

export function initialStatus(collectionsTotal: number): SyncStatus {
  return {
    online: typeof navigator === 'undefined' ? true : navigator.onLine !== false,
    replicating: false,
    pending: 0,
    pendingByCollection: {},
    lastSyncedAt: null,
    initialSyncDone: false,
    progress: { collectionsDone: 0, collectionsTotal, docsReceived: 0 },
    outdated: false,
    signedOut: false,
    noticesAdded: 0,
    lastError: null,
  };
}

export interface StatusModel {
  status$: BehaviorSubject<SyncStatus>;
  get(): SyncStatus;
  set(patch: Partial<SyncStatus> | ((s: SyncStatus) => Partial<SyncStatus>)): void;
  subscribe(fn: (s: SyncStatus) => void): () => void;
}

export function createStatusModel(collectionsTotal: number): StatusModel {
  const status$ = new BehaviorSubject<SyncStatus>(initialStatus(collectionsTotal));
  return {
    status$,
    get: () => status$.getValue(),
    set(patch) {
      const cur = status$.getValue();
      const p = typeof patch === 'function' ? patch(cur) : patch;
      const changed = (Object.keys(p) as (keyof SyncStatus)[]).some((k) => p[k] !== cur[k]);
      if (changed) status$.next({ ...cur, ...p });
    },
    subscribe(fn) {
      const sub = status$.subscribe(fn);
      return () => sub.unsubscribe();
    },
  };
}
