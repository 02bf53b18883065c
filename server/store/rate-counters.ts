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
   * Counts one hit for `bucket` in `window` if fewer than `below` are counted there; atomic
   * under concurrency (one upsert, the row locked while it decides). True when counted.
   */
  hitBelow(bucket: string, window: number, below: number): Promise<boolean>;
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
    async hitBelow(bucket, window, below) {
      if (below < 1) return false;
      const row = await db
        .insertInto('rate_limits')
        .values({ bucket, window_index: window, hits: 1 })
        .onConflict((oc) =>
          oc
            .columns(['bucket', 'window_index'])
            .doUpdateSet({ hits: sql`rate_limits.hits + 1` })
            .where('rate_limits.hits', '<', below),
        )
        .returning('hits')
        .executeTakeFirst();
      return row !== undefined;
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
