import { sql, type Kysely } from 'kysely';
import type { DB } from './schema';

/**
 * The `rate_limits` table (migration 0003): hit counts per bucket and fixed window, shared by
 * every server process on one PostgreSQL (DESIGN §9), so a limit holds however requests are
 * spread across instances.
 */
export interface RateCounters {
  /** Hits counted for `bucket` in window `window` (0 when none). */
  count(bucket: string, window: number): Promise<number>;
  /**
   * The sliding-window hit in one statement: counts a hit for `bucket` in `window` while the
   * hits there stay below ⌊limit − previous·weight⌋, `previous` being the hits of window − 1.
   * Returns whether it was counted and the previous window's hits.
   */
  slidingHit(bucket: string, window: number, limit: number, weight: number): Promise<{ counted: boolean; previous: number }>;
  /** Forgets the windows of buckets starting with `prefix` older than `window`. */
  forgetBefore(prefix: string, window: number): Promise<void>;
}

export function rateCounters(db: Kysely<DB>): RateCounters {
  return {
    async count(bucket, window) {
      const row = await db
        .selectFrom('rate_limits')
        .select('hits')
        .where('bucket', '=', bucket)
        .where('window_index', '=', window)
        .executeTakeFirst();
      return Number(row?.hits ?? 0);
    },
    async slidingHit(bucket, window, limit, weight) {
      const r = await sql<{ hits: number | null; previous: number }>`
        with prev as (
          select coalesce((select hits from rate_limits where bucket = ${bucket} and window_index = ${window - 1}), 0) as hits
        ), room as (
          select floor(${limit}::float8 - prev.hits * ${weight}::float8)::int as n, prev.hits as previous from prev
        ), hit as (
          insert into rate_limits (bucket, window_index, hits)
          select ${bucket}, ${window}, 1 from room where room.n >= 1
          on conflict (bucket, window_index) do update set hits = rate_limits.hits + 1
            where rate_limits.hits < (select n from room)
          returning hits
        )
        select (select hits from hit) as hits, (select previous from room) as previous`.execute(db);
      const row = r.rows[0];
      return { counted: row?.hits !== null && row?.hits !== undefined, previous: Number(row?.previous ?? 0) };
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
