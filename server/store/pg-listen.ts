import pg from 'pg';
import type { Logger } from 'pino';

export type ListenState = 'up' | 'reconnecting';

export interface ListenConnection {
  state(): ListenState;
  close(): Promise<void>;
}

export interface ListenOptions {
  url: string;
  /** The channel to LISTEN on (an identifier: checked by the caller). */
  channel: string;
  applicationName: string;
  logger: Logger;
  onNotify(payload: string): void;
  /**
   * Called each time the connection is back after a loss: every NOTIFY sent while it was down
   * is gone, so the caller reads what changed meanwhile (the hub re-tails each organization
   * from the last `seq` it delivered, DESIGN §5).
   */
  onRestored(): void;
  /** First wait before reconnecting, in ms; doubles each failed attempt up to `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** How often the connection is checked with a query (a half-open TCP connection says nothing), in ms. */
  pingMs?: number;
}

/** The wait before reconnect attempt `attempt` (0-based), in ms: first·2ⁿ, at most max. */
export function listenRetryDelay(attempt: number, firstMs: number, maxMs: number): number {
  return Math.min(firstMs * 2 ** Math.min(attempt, 30), maxMs);
}

/**
 * A dedicated PostgreSQL connection that LISTENs on one channel (DESIGN §9: live streams fan
 * out through LISTEN/NOTIFY) and comes back by itself when it drops — a restart, a failover,
 * pg_terminate_backend, a dead network — with backoff. The first connection must succeed
 * (start-up fails otherwise); later losses are logged and retried for as long as it runs.
 */
export async function listenWithReconnect(opts: ListenOptions): Promise<ListenConnection> {
  const firstRetryMs = opts.firstRetryMs ?? 100;
  const maxRetryMs = opts.maxRetryMs ?? 10_000;
  const pingMs = opts.pingMs ?? 30_000;
  const log = opts.logger;
  let client: pg.Client | null = null;
  let closed = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lostAt = 0;

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: opts.url, application_name: opts.applicationName, keepAlive: true });
    // Until it is ours, a failing connection only fails this attempt.
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('Connection ended')));
    c.on('notification', (msg) => {
      if (msg.channel === opts.channel && msg.payload !== undefined) opts.onNotify(msg.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${opts.channel}`);
    } catch (err) {
      c.end().catch(() => {});
      throw err;
    }
    return c;
  }

  function lost(c: pg.Client, err: Error) {
    if (c !== client || closed) return;
    client = null;
    lostAt = Date.now();
    log.warn({ err: err.message }, 'database LISTEN connection lost: live updates wait until it is back; reconnecting');
    c.end().catch(() => {});
    retryLater();
  }

  function retryLater() {
    const delay = listenRetryDelay(attempt++, firstRetryMs, maxRetryMs);
    retryTimer = setTimeout(() => void reconnect(), delay);
    retryTimer.unref?.();
  }

  async function reconnect() {
    if (closed) return;
    let c: pg.Client;
    try {
      c = await connect();
    } catch (err) {
      log.warn({ err: (err as Error).message, attempt }, 'database LISTEN connection: reconnect failed, trying again');
      if (!closed) retryLater();
      return;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    attempt = 0;
    log.info({ downMs: Date.now() - lostAt }, 'database LISTEN connection restored: open streams catch up');
    opts.onRestored();
  }

  client = await connect();

  const ping = setInterval(() => {
    const c = client;
    if (!c) return;
    // An answer that never comes (a half-open connection) counts as lost too.
    const late = setTimeout(() => lost(c, new Error('no answer to a ping')), Math.min(pingMs, 10_000));
    late.unref?.();
    c.query('select 1').then(
      () => clearTimeout(late),
      (err: Error) => {
        clearTimeout(late);
        lost(c, err);
      },
    );
  }, pingMs);
  ping.unref?.();

  return {
    state: () => (client ? 'up' : 'reconnecting'),
    async close() {
      closed = true;
      clearInterval(ping);
      clearTimeout(retryTimer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
