import { sql, type Kysely } from 'kysely';
import type { DB } from './schema';

/**
 * The `rate_limits` table (migration 0003): hit counts per bucket and fixed window, shared by
 * every server process on one PostgreSQL (DESIGN §9), so a limit holds however requests are
 * spread across instances.
 */
export interface RateCounters {
  /**
   * Sliding-window hits (DESIGN §8), decided in turn: each counts a hit for its `bucket` in
   * `window` while the hits there stay below ⌊limit − previous·weight⌋, `previous` being the
   * hits of window − 1 and `weight` (0…1] the share of that window the sliding window still
   * covers. The first refused hit ends the turn: it and the hits after it are not counted.
   * Returns one answer per hit decided (up to the refused one): whether it was counted, the
   * window's hits before it (`current`) and the previous window's hits.
   *
   * Turns asked while the counters' previous group's transaction is on its way are decided together in
   * the next one (as many as hold at most MAX_GROUP_BUCKETS buckets; the rest in the ones after),
   * in the order asked, as if asked one after another. Rejects with the database's error
   * (nothing of that group counted): a bucket's lock not had within LOCK_WAIT is 55P03
   * `lock_not_available`, answered `busy` (server/http.ts).
   */
  slidingHits(hits: readonly HitAsk[]): Promise<SlidingHit[]>;
  /** Forgets the windows of buckets starting with `prefix` older than `window`. */
  forgetBefore(prefix: string, window: number): Promise<void>;
}

export interface HitAsk {
  bucket: string;
  window: number;
  limit: number;
  weight: number;
}

export interface SlidingHit {
  counted: boolean;
  /** Hits in the window before this one was decided (it is not among them). */
  current: number;
  /** Hits in the previous window. */
  previous: number;
}

interface Turn {
  hits: readonly HitAsk[];
  resolve: (r: SlidingHit[]) => void;
  reject: (err: unknown) => void;
}

/** What a (bucket, window) row holds: its hits and its previous window's. */
interface Seen {
  current: number;
  previous: number;
}

/** Bucket and window as one key of a Map. */
const keyOf = (bucket: string, window: number) => `${window}\u0000${bucket}`;

/** Deadlocks (not expected: locks are taken in one order) a group is decided again after, before it fails. */
const MAX_TRIES = 5;
/**
 * The advisory-lock class of rate-limit buckets: `pg_advisory_xact_lock(class, hashtext(bucket))`.
 * The two-key form's locks never meet the one-key ones organization transactions take.
 */
export const RATE_LOCK_CLASS = 0x7261; // 'ra'
/**
 * The most buckets (so advisory locks) one group's transaction takes. PostgreSQL keeps every
 * lock of every transaction in one shared table of max_locks_per_transaction (64 by default) ×
 * max_connections slots (PostgreSQL docs, "Lock Management"): a group of thousands of distinct
 * addresses (a flood, or the turns that piled up while a lock was waited for) filled it, failed
 * with `out of shared memory` (53200) and, while it held them, failed any other transaction on
 * that server needing a lock. Turns beyond this wait for the next group, in the order asked.
 */
export const MAX_GROUP_BUCKETS = 64;
/**
 * How long a group waits for a bucket's lock (`lock_timeout`) before it fails as `busy` (55P03,
 * a 503 to try again), and how long PostgreSQL lets a group's transaction sit idle waiting for
 * its process (`idle_in_transaction_session_timeout`) before it ends that session, so its locks.
 * A group holds its locks for a few milliseconds; without these, a process frozen or cut off
 * (paused VM, lost host, partition: its connection stays open until TCP keepalive, hours) while
 * it held a busy bucket's lock held up every hit of every instance behind it.
 */
const LOCK_WAIT = '2s';
const IDLE_IN_GROUP = '5s';

interface Row {
  bucket: string;
  window: number;
  /** Hits the row held when the group's lock was taken, and its previous window's. */
  base: Seen;
  /** Running count while deciding. */
  hits: number;
  added: number;
}

/** Decides every turn of a group, in order, from `base` (hits per row before the group). */
function decideTurns(turns: readonly Turn[], rows: Map<string, Row>): SlidingHit[][] {
  return turns.map((turn) => {
    const answers: SlidingHit[] = [];
    for (const h of turn.hits) {
      const row = rows.get(keyOf(h.bucket, h.window))!;
      // A group straddling two windows: the earlier window's hits, this group's included, are
      // the later one's previous.
      const before = rows.get(keyOf(h.bucket, h.window - 1));
      const previous = before ? before.hits : row.base.previous;
      const counted = row.hits < Math.floor(h.limit - previous * h.weight);
      answers.push({ counted, current: row.hits, previous });
      if (!counted) break;
      row.hits += 1;
      row.added += 1;
    }
    return answers;
  });
}

/**
 * Decides a group under its buckets' locks, in one short transaction of three statements:
 * 1. takes an advisory lock per bucket (at most MAX_GROUP_BUCKETS), in lock-key order (so two
 *    processes never wait on each other in a cycle), after setting for this transaction only
 *    `synchronous_commit` off and how long it waits for a lock or for its process (LOCK_WAIT,
 *    IDLE_IN_GROUP);
 * 2. reads every row the group touches and the rows of their previous windows: a statement
 *    begun after the locks were granted, so it sees every count committed under them;
 * 3. writes the rows' new counts.
 * Every process counts a bucket only under its lock, so what is read stays true until commit:
 * nothing is decided twice, and a hit counted by another process at a window's turn (in the
 * window before, which this group reads as "previous") is never missed.
 *
 * `synchronous_commit` off: counts lost in a crash (the last few milliseconds of them) let a
 * few more hits through once; they are not acknowledged data, so they need not wait for the
 * WAL flush the claims themselves wait for.
 *
 * Why a group at all: at 50 claims in flight from one client address, one autocommit upsert per
 * hit queued every claim behind the hot row's lock and commit; a group costs one transaction.
 */
async function decideLocked(db: Kysely<DB>, turns: readonly Turn[]): Promise<SlidingHit[][]> {
  const rows = new Map<string, Row>();
  for (const t of turns)
    for (const h of t.hits) {
      const key = keyOf(h.bucket, h.window);
      if (!rows.has(key)) rows.set(key, { bucket: h.bucket, window: h.window, base: { current: 0, previous: 0 }, hits: 0, added: 0 });
    }
  const buckets = [...new Set([...rows.values()].map((r) => r.bucket))];
  const windows = [...rows.values()].map((r) => r.window);
  const from = Math.min(...windows) - 1;
  const to = Math.max(...windows);
  return db.transaction().execute(async (tx) => {
    // The settings are made in the filter, which is evaluated before the first lock is asked for.
    await sql`
      select count(pg_advisory_xact_lock(${RATE_LOCK_CLASS}, k))
        from (select distinct hashtext(b) as k from unnest(${buckets}::text[]) as b order by k) keys
       where set_config('synchronous_commit', 'off', true) is not null
         and set_config('lock_timeout', ${LOCK_WAIT}, true) is not null
         and set_config('idle_in_transaction_session_timeout', ${IDLE_IN_GROUP}, true) is not null`.execute(tx);
    const found = await sql<{ bucket: string; window_index: number; hits: number }>`
      select bucket, window_index, hits from rate_limits
       where bucket = any(${buckets}::text[]) and window_index between ${from} and ${to}`.execute(tx);
    const held = new Map(found.rows.map((r) => [keyOf(r.bucket, Number(r.window_index)), Number(r.hits)]));
    for (const r of rows.values()) {
      r.base = { current: held.get(keyOf(r.bucket, r.window)) ?? 0, previous: held.get(keyOf(r.bucket, r.window - 1)) ?? 0 };
      r.hits = r.base.current;
    }
    const answers = decideTurns(turns, rows);
    const changed = [...rows.values()].filter((r) => r.added > 0);
    if (changed.length > 0) {
      await sql`
        insert into rate_limits (bucket, window_index, hits)
        select * from unnest(${changed.map((r) => r.bucket)}::text[], ${changed.map((r) => r.window)}::int[], ${changed.map((r) => r.hits)}::int[])
        on conflict (bucket, window_index) do update set hits = excluded.hits`.execute(tx);
    }
    return answers;
  });
}

/** deadlock_detected: rows are locked in one order, so not expected; the group is rolled back and safe to decide again. */
const isDeadlock = (err: unknown) => String((err as { code?: unknown } | null)?.code) === '40P01';

export function rateCounters(db: Kysely<DB>): RateCounters {
  // Turns waiting for the next group, and whether a group's transaction is on its way.
  const queue: Turn[] = [];
  let running = false;
  async function decideGroup(turns: Turn[]): Promise<SlidingHit[][]> {
    for (let tries = 1; ; tries++) {
      try {
        return await decideLocked(db, turns);
      } catch (err) {
        if (!isDeadlock(err) || tries >= MAX_TRIES) throw err;
      }
    }
  }

  /** The turns of the next group: those first in the queue whose buckets number at most MAX_GROUP_BUCKETS (at least one turn). */
  function nextGroup(): Turn[] {
    const buckets = new Set<string>();
    let n = 0;
    for (; n < queue.length; n++) {
      const adds = queue[n].hits.filter((h) => !buckets.has(h.bucket)).map((h) => h.bucket);
      if (n > 0 && buckets.size + new Set(adds).size > MAX_GROUP_BUCKETS) break;
      for (const b of adds) buckets.add(b);
    }
    return queue.splice(0, n);
  }

  async function drain() {
    while (queue.length > 0) {
      const group = nextGroup();
      try {
        const answers = await decideGroup(group);
        group.forEach((t, i) => t.resolve(answers[i]));
      } catch (err) {
        // Nothing of the group was counted: each turn fails as the transaction did (a lost
        // connection answers `busy`, as any query would).
        for (const t of group) t.reject(err);
      }
    }
    running = false;
  }

  return {
    slidingHits(hits) {
      if (hits.length === 0) return Promise.resolve([]);
      return new Promise<SlidingHit[]>((resolve, reject) => {
        queue.push({ hits, resolve, reject });
        // The first turn waits one turn of the event loop, for the ones that came with it.
        if (!running) {
          running = true;
          setImmediate(() => void drain());
        }
      });
    },
    async forgetBefore(prefix, window) {
      await db
        .deleteFrom('rate_limits')
        .where('bucket', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
        .where('window_index', '<', window)
        .execute();
    },
  };
}
