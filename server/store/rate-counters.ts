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
   * Turns asked while the counters' previous statement is on its way are decided together in
   * the next one, in the order asked, as if asked one after another. Rejects with the
   * database's error (nothing of that statement counted).
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

/** Rows remembered from the last statements (a guess only: every statement checks it). */
const REMEMBERED = 10_000;
/** Statements of one group that found the rows changed by another process before it gives up. */
const MAX_TRIES = 20;

interface Row {
  bucket: string;
  window: number;
  /** What the turns were decided from, checked by the statement. */
  base: Seen;
  /** Running count while deciding. */
  hits: number;
  added: number;
}

/** Decides every turn of a group, in order, from `base` (hits per row before the group). */
function decideTurns(turns: readonly Turn[], rows: Map<string, Row>): SlidingHit[][] {
  for (const r of rows.values()) {
    r.hits = r.base.current;
    r.added = 0;
  }
  return turns.map((turn) => {
    const answers: SlidingHit[] = [];
    for (const h of turn.hits) {
      const row = rows.get(keyOf(h.bucket, h.window))!;
      // A group straddling two windows: the earlier window's hits, this group's included, are
      // the later one's previous (that row is checked by the statement too, so it is exact).
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
 * Adds a group's counted hits in one statement, if and only if every row it touches still holds
 * what the hits were decided from (a compare-and-set over all of them): it locks the rows (in
 * bucket order, so two processes never wait on each other in a cycle), compares their latest
 * committed hits and their previous windows' hits with `base`, and adds only when all match.
 * Returns whether it added, and what it found for each row (to decide again from).
 *
 * Why this shape: at 50 claims in flight from one client address, one autocommit upsert per hit
 * queued every claim behind the hot row's lock and commit; a group costs one statement, and in
 * one process the rows are usually as its previous statement left them.
 * - A row another process created after this statement began is not seen by the lock and makes
 *   the insert fail (unique violation): the group is decided again.
 * - `synchronous_commit` off for this statement's transaction only: counts lost in a crash (the
 *   last few milliseconds of them) let a few more hits through once; they are not acknowledged
 *   data, so they need not wait for the WAL flush the claims themselves wait for.
 */
async function compareAndAdd(db: Kysely<DB>, rows: Row[]): Promise<{ added: boolean; seen: Seen[] }> {
  const r = await sql<{ current: number; previous: number; ok: boolean; _: string }>`
    with input as (
      select * from unnest(${rows.map((r) => r.bucket)}::text[], ${rows.map((r) => r.window)}::int[],
                           ${rows.map((r) => r.base.current)}::int[], ${rows.map((r) => r.base.previous)}::int[],
                           ${rows.map((r) => r.added)}::int[])
        with ordinality as t(bucket, window_index, expected, expected_previous, n, ord)
    ), locked as materialized (
      select r.bucket, r.window_index, r.hits from rate_limits r
       where (r.bucket, r.window_index) in (select bucket, window_index from input)
       order by r.bucket, r.window_index
       for update
    ), seen as materialized (
      select i.ord, i.bucket, i.window_index, i.n, l.hits is not null as present,
             coalesce(l.hits, 0) as current, coalesce(p.hits, 0) as previous,
             coalesce(l.hits, 0) = i.expected and coalesce(p.hits, 0) = i.expected_previous as same
        from input i
        left join locked l on l.bucket = i.bucket and l.window_index = i.window_index
        left join rate_limits p on p.bucket = i.bucket and p.window_index = i.window_index - 1
    ), verdict as materialized (
      select bool_and(same) as ok from seen
    ), added as (
      update rate_limits r set hits = r.hits + s.n
        from seen s, verdict v
       where v.ok and s.present and s.n > 0 and r.bucket = s.bucket and r.window_index = s.window_index
    ), created as (
      insert into rate_limits (bucket, window_index, hits)
      select s.bucket, s.window_index, s.n from seen s, verdict v
       where v.ok and not s.present and s.n > 0
       order by s.ord
    )
    select s.current, s.previous, v.ok, set_config('synchronous_commit', 'off', true) as _
      from seen s, verdict v
     order by s.ord`.execute(db);
  return {
    added: r.rows[0]?.ok === true,
    seen: r.rows.map((x) => ({ current: Number(x.current), previous: Number(x.previous) })),
  };
}

/**
 * A statement worth deciding again: unique_violation (a row it meant to create was created
 * meanwhile) or deadlock_detected (rows are locked in one order, so not expected; still safe).
 */
const isRace = (err: unknown) => ['23505', '40P01'].includes(String((err as { code?: unknown } | null)?.code));

export function rateCounters(db: Kysely<DB>): RateCounters {
  // Turns waiting for the next group, and whether a group's statement is on its way.
  let queue: Turn[] = [];
  let running = false;
  // What each row held after this process's last statement on it (usually still true).
  const remembered = new Map<string, Seen>();

  async function decideGroup(turns: Turn[]): Promise<SlidingHit[][]> {
    const rows = new Map<string, Row>();
    for (const t of turns)
      for (const h of t.hits) {
        const key = keyOf(h.bucket, h.window);
        if (!rows.has(key)) {
          // A row never seen is most likely new: no hits yet, nor in the window before.
          rows.set(key, { bucket: h.bucket, window: h.window, base: remembered.get(key) ?? { current: 0, previous: 0 }, hits: 0, added: 0 });
        }
      }
    const ordered = [...rows.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.window - b.window));
    for (let tries = 1; ; tries++) {
      const answers = decideTurns(turns, rows);
      let outcome: { added: boolean; seen: Seen[] } | null = null;
      try {
        outcome = await compareAndAdd(db, ordered);
      } catch (err) {
        if (!isRace(err) || tries >= MAX_TRIES) throw err;
      }
      if (outcome?.added) {
        if (remembered.size > REMEMBERED) remembered.clear();
        for (const r of ordered) {
          const before = rows.get(keyOf(r.bucket, r.window - 1));
          remembered.set(keyOf(r.bucket, r.window), { current: r.hits, previous: before ? before.hits : r.base.previous });
        }
        return answers;
      }
      if (tries >= MAX_TRIES) throw new Error(`Rate counters: the rows kept changing under ${MAX_TRIES} statements`);
      // Another process changed a row: decide again from what the statement found.
      const seen = outcome?.seen;
      if (seen) ordered.forEach((r, i) => (r.base = seen[i]));
    }
  }

  async function drain() {
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      try {
        const answers = await decideGroup(group);
        group.forEach((t, i) => t.resolve(answers[i]));
      } catch (err) {
        // Nothing of the group was counted: each turn fails as the statement did (a lost
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
