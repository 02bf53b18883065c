import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createApp } from './app';
import { loadCatalog, syncCatalog } from './catalog';
import { parseConfig, publicUrl, type Config } from './config';
import { startDailyJobs } from './jobs/daily-jobs';
import { logMailer, smtpMailer } from './mail/mailer';
import { startOutboxWorker } from './mail/worker';
import { openStoreWhenReachable } from './store/open-when-reachable';
import type { Store } from './store/open-store';

let config: Config;
try {
  config = parseConfig(process.env);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}

/** The database named for people: PostgreSQL's address without its password, or the SQLite folder. */
function databaseName(c: Config): string {
  if (!c.DATABASE_URL) return `in ${c.DATA_DIR}`;
  const url = new URL(c.DATABASE_URL);
  url.password = '';
  return `at ${url.toString().replace(/:@/, '@')}`;
}

const logger = pino({ level: config.LOG_LEVEL });
let catalog;
try {
  catalog = loadCatalog(config.CATALOG);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}

let store: Store;
try {
  store = await openStoreWhenReachable({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
} catch (err) {
  // One plain line, no stack trace: what the operator must fix is the database or its address.
  console.error(`Allot cannot open the database ${databaseName(config)}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const changed = await syncCatalog(store, catalog, new Date());
if (changed) logger.info({ products: changed }, 'product catalog updated');

const mailer = config.SMTP_URL ? smtpMailer(config.SMTP_URL) : logMailer(logger);
if (!config.SMTP_URL) logger.warn('SMTP_URL is not set: emails are printed to this log (links included) and kept as held');
const built = createApp({ store, mailer, config, logger, staticRoot: 'dist' });
// The ticket signing key (DESIGN §14): made and stored at first start, or TICKET_SIGNING_KEY checked now.
try {
  await built.deps.ticketKeys.signer(new Date());
} catch (err) {
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'cannot load the ticket signing key');
  process.exit(1);
}
const worker = startOutboxWorker(built.deps);
const jobs = startDailyJobs(built.deps);

const server = serve({ fetch: built.app.fetch, port: config.PORT }, (info) => {
  logger.info(
    { port: info.port, database: store.dialect },
    `Allot is listening on ${publicUrl(config)}${config.PUBLIC_URL ? ` (port ${info.port})` : ''}`,
  );
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  // A stuck connection (an open event stream) must not keep the process alive forever.
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  jobs.stop();
  built.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
  await worker.stop();
  mailer.close();
  await store.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
