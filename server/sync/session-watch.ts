import type { Clock } from '../clock';
import type { Store } from '../store/open-store';
import { liveSessionHashes } from '../store/sessions';
import { isAtOrBefore } from '../../shared/dates';

/** How often the live connections' sessions are checked against the database. */
export const SESSION_CHECK_MS = 2_000;

/** The session a long-lived connection was opened with. */
export interface WatchedSession {
  /** The stored id of the session (the hash of its secret). */
  idHash: string;
  /** When it ends, ISO 8601. */
  expiresAt: string;
}

export interface SessionWatch {
  /** Calls `onEnd` once when the session ends; returns the way to stop watching. */
  watch(session: WatchedSession, onEnd: () => void): () => void;
  /** This process ended the session (logout): its connections end now, not at the next check. */
  ended(idHash: string): void;
  /** Checks every watched session now (the timer does it every `intervalMs`). */
  check(): Promise<void>;
  count(): number;
  close(): void;
}

/**
 * Ends long-lived connections (live streams) with their session (issue 13, DESIGN §8): at
 * once for a logout in this process, and within `intervalMs` for a logout or revocation in
 * any process (the session row is gone) or the session's expiry by `clock`. One query per
 * check for all the connections of the process, and none while nothing is watched. A check
 * the database does not answer ends nothing (the next one asks again).
 */
export function createSessionWatch(store: Store, clock: Clock, intervalMs = SESSION_CHECK_MS): SessionWatch {
  const watchers = new Map<string, { expiresAt: string; ends: Set<() => void> }>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let checking: Promise<void> | null = null;

  function end(idHash: string) {
    const w = watchers.get(idHash);
    if (!w) return;
    watchers.delete(idHash);
    for (const f of w.ends) f();
    if (!watchers.size) stopTimer();
  }

  function stopTimer() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  async function runCheck() {
    const now = clock.now();
    for (const [idHash, w] of [...watchers]) if (isAtOrBefore(w.expiresAt, now)) end(idHash);
    const hashes = [...watchers.keys()];
    if (!hashes.length) return;
    let live: Set<string>;
    try {
      live = await liveSessionHashes(store.db, hashes, now.toISOString());
    } catch {
      return;
    }
    for (const h of hashes) if (!live.has(h)) end(h);
  }

  function check(): Promise<void> {
    if (!checking) checking = runCheck().finally(() => (checking = null));
    return checking;
  }

  return {
    watch(session, onEnd) {
      let w = watchers.get(session.idHash);
      if (!w) watchers.set(session.idHash, (w = { expiresAt: session.expiresAt, ends: new Set() }));
      const once = () => onEnd();
      w.ends.add(once);
      if (!timer) {
        timer = setInterval(() => void check(), intervalMs);
        timer.unref?.();
      }
      return () => {
        const cur = watchers.get(session.idHash);
        if (!cur) return;
        cur.ends.delete(once);
        if (!cur.ends.size) watchers.delete(session.idHash);
        if (!watchers.size) stopTimer();
      };
    },
    ended: end,
    check,
    count: () => [...watchers.values()].reduce((n, w) => n + w.ends.size, 0),
    close() {
      stopTimer();
      watchers.clear();
    },
  };
}
