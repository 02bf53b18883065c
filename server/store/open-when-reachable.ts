import type { Logger } from 'pino';
import { isConnectionLost } from './connection-errors';
import { openStore, type Store, type StoreOptions } from './open-store';

/**
 * Opens the store, waiting for a database that cannot be reached yet — PostgreSQL still
 * starting or restarting beside the server (refused, "the database system is starting up") —
 * for up to `withinMs`, trying again after 0.5 s, 1 s, 2 s… (at most 5 s apart). Any other
 * failure (a wrong password, a failed migration) is thrown at once.
 */
export async function openStoreWhenReachable(opts: StoreOptions & { logger: Logger }, withinMs = 60_000): Promise<Store> {
  const giveUpAt = Date.now() + withinMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await openStore(opts);
    } catch (err) {
      if (!isConnectionLost(err) || Date.now() >= giveUpAt) throw err;
      const waitMs = Math.min(500 * 2 ** attempt, 5000);
      opts.logger.warn({ err: (err as Error).message, waitMs }, 'the database cannot be reached yet; trying again');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
