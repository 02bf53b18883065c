/**
 * "Last synced" outlives a reload (issue 16 §8): after an offline reload the bar says when this
 * device last heard from the server, not "Not synced yet". Kept in localStorage per local
 * database (one per account and organization); where there is no localStorage (Node, some
 * private modes) it lasts as long as the page.
 */
import type { StatusModel } from './status';

const keyOf = (dbName: string) => `allot:last-synced:${dbName}`;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Puts the remembered time into `model` and remembers each new one; returns the function that stops. */
export function rememberLastSynced(model: StatusModel, dbName: string): () => void {
  const store = storage();
  if (!store) return () => {};
  const saved = store.getItem(keyOf(dbName));
  if (saved && !Number.isNaN(Date.parse(saved)) && !model.get().lastSyncedAt) model.set({ lastSyncedAt: saved });
  let last = saved;
  return model.subscribe((s) => {
    if (!s.lastSyncedAt || s.lastSyncedAt === last) return;
    last = s.lastSyncedAt;
    try {
      store.setItem(keyOf(dbName), s.lastSyncedAt);
    } catch {
      // Full or refused storage: the bar still shows it for this page.
    }
  });
}
