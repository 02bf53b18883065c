import { parseArgs } from 'node:util';
import { pino } from 'pino';
import * as v from 'valibot';
import { emailAddress } from '../shared/addresses';
import { createApp } from './app';
import { createOrganization } from './orgs/create-organization';
import { loadCatalog, syncCatalog } from './catalog';
import { parseConfig, publicUrl, type Config } from './config';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ticketKeys } from './activation/keys';
import { activateCommand } from './activation/cli-activate';
import { loadDemo } from './demo-data';
import { smtpMailer, type Mailer } from './mail/mailer';
import { startOutboxWorker } from './mail/worker';
import { openStore } from './store/open-store';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  create-org --name <organization> --admin <email> [--admin-name <name>]
      Creates an organization and its first admin, and emails the admin a sign-in link.
  demo [--admin <email>] [--name <organization>] [--licenses <n>] [--contacts <n>]
      Loads a demo organization (contacts with every role, two teams, orders with licenses,
      invoices, a quote and an invitation) and prints the admin email and the invitation link.
  rotate-ticket-key
      Makes a new key for signing activation tickets; the old one stays published in
      /.well-known/jwks.json until the last ticket it signed expires (TICKET_DAYS).
  activate --product <code> [--server <url>] [--state <file>]
      Acts as a product: prints a code and a link to approve it at /activate, waits, gets a
      ticket and verifies it offline. --server defaults to PUBLIC_URL (or localhost:PORT);
      the machine's id, tokens and ticket are kept in --state (default ~/.allot/<code>.json).

The server's environment applies (DATA_DIR, DATABASE_URL, SMTP_URL, PUBLIC_URL, …).
Without SMTP_URL the emails are printed here instead of sent.`;

class UsageError extends Error {}

function email(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  const r = v.safeParse(emailAddress, value);
  if (!r.success) throw new UsageError(`${flag} must be an email address, got "${value}"`);
  return r.output;
}

function count(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`${flag} must be a whole number from 0 to ${max}`);
  return Number(value);
}

type Command =
  | { command: 'help' }
  | { command: 'rotate-ticket-key' }
  | { command: 'activate'; product: string; server?: string; state?: string }
  | { command: 'create-org'; name: string; admin: string; adminName?: string }
  | { command: 'demo'; name?: string; admin?: string; licenses?: number; contacts?: number };

function parse(args: string[]): Command {
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  const options = {
    name: { type: 'string' },
    admin: { type: 'string' },
    'admin-name': { type: 'string' },
    licenses: { type: 'string' },
    contacts: { type: 'string' },
    product: { type: 'string' },
    server: { type: 'string' },
    state: { type: 'string' },
  } as const;
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values as Record<string, string | undefined>;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const only = (allowed: string[]) => {
    for (const k of Object.keys(values)) if (values[k] !== undefined && !allowed.includes(k)) throw new UsageError(`--${k} is not an option of ${command}`);
  };
  if (command === 'rotate-ticket-key') {
    only([]);
    return { command };
  }
  if (command === 'activate') {
    only(['product', 'server', 'state']);
    const product = values.product?.trim();
    if (!product) throw new UsageError('--product is required');
    if (values.server !== undefined && !/^https?:\/\/[^\s]+$/.test(values.server)) throw new UsageError(`--server must be an http(s) URL, got "${values.server}"`);
    return { command, product, server: values.server?.replace(/\/$/, ''), state: values.state };
  }
  for (const k of ['product', 'server', 'state']) if (values[k] !== undefined) throw new UsageError(`--${k} is for activate only`);
  if (command === 'create-org') {
    for (const k of ['licenses', 'contacts']) if (values[k] !== undefined) throw new UsageError(`--${k} is for demo only`);
    const name = values.name?.trim();
    if (!name) throw new UsageError('--name is required');
    if (name.length > 200) throw new UsageError('--name is at most 200 characters');
    return { command, name, admin: email(values.admin, '--admin'), adminName: values['admin-name'] };
  }
  if (command === 'demo') {
    if (values['admin-name'] !== undefined) throw new UsageError('--admin-name is for create-org only');
    return {
      command,
      name: values.name?.trim() || undefined,
      admin: values.admin === undefined ? undefined : email(values.admin, '--admin'),
      licenses: count(values.licenses, '--licenses', 100_000),
      contacts: count(values.contacts, '--contacts', 100_000),
    };
  }
  throw new UsageError(`Unknown command "${command}"`);
}

/** Without SMTP the CLI prints emails as plain text, links included, for the person at the shell. */
function consoleMailer(): Mailer {
  return {
    kind: 'log',
    async send(msg) {
      console.log(`\n----- email (not sent: no SMTP_URL) -----\nTo: ${msg.to}\nSubject: ${msg.subject}\n\n${msg.text}-----------------------------------------`);
    },
    close() {},
  };
}

async function rotateTicketKey(config: Config) {
  const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    const keys = ticketKeys(store.db, { ticketDays: config.TICKET_DAYS, signingKey: config.TICKET_SIGNING_KEY });
    const r = await keys.rotate(new Date());
    console.log(`New tickets are signed with the key ${r.kid}.`);
    if (r.retired.length) console.log(`Retired ${r.retired.join(', ')}: published until the tickets it signed expire (${config.TICKET_DAYS} days).`);
  } finally {
    await store.close();
  }
}

async function run(cmd: Exclude<Command, { command: 'help' | 'rotate-ticket-key' | 'activate' }>, config: Config) {
  const logger = pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL });
  const catalog = loadCatalog(config.CATALOG);
  const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const mailer = config.SMTP_URL ? smtpMailer(config.SMTP_URL) : consoleMailer();
  const built = createApp({ store, mailer, config, logger });
  const deps = built.deps;
  try {
    await syncCatalog(store, catalog, deps.clock.now());
    // An address already part of other organizations may start another one too (DESIGN §3).
    const admin = cmd.command === 'create-org' ? cmd.admin : (cmd.admin ?? 'admin@northwind.test');
    if (cmd.command === 'create-org') {
      const org = await createOrganization(deps, { name: cmd.name, adminEmail: cmd.admin, adminName: cmd.adminName });
      console.log(`Created organization "${cmd.name}" (${org.orgId}) with org admin ${org.adminEmail}.`);
    } else {
      const demo = await loadDemo(deps, { adminEmail: admin, orgName: cmd.name, licenses: cmd.licenses, contacts: cmd.contacts });
      console.log(`Loaded the demo organization "${demo.orgName}" (${demo.orgId}):`);
      console.log(`  ${demo.counts.contacts} contacts, 2 teams, ${demo.orderIds.length} orders, ${demo.counts.licenses} licenses, invoices, a quote`);
      console.log(`  Org admin:       ${demo.adminEmail}`);
      console.log(`  Invitation link: ${demo.invitation.url}`);
      console.log(`And the partner organization "${demo.partner.orgName}" (${demo.partner.orgId}), org admin ${demo.partner.adminEmail}:`);
      console.log(`  ${demo.adminEmail} is its primary billing contact and holds one of its licenses (one account, two organizations).`);
    }
    // Send (or print) the sign-in email now; the server's worker would otherwise send it on its next pass.
    const worker = startOutboxWorker(deps, { recover: false });
    await worker.drain();
    await worker.stop();
    console.log(
      config.SMTP_URL
        ? 'A sign-in email was sent to the admin (see the outbox log in the app if it did not arrive).'
        : 'The sign-in email is printed above (no SMTP_URL set).',
    );
  } finally {
    built.close();
    mailer.close();
    await store.close();
  }
}

async function main(): Promise<number> {
  let cmd: Command;
  try {
    cmd = parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (cmd.command === 'help') {
    console.log(USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
  try {
    if (cmd.command === 'activate') {
      return await activateCommand({
        server: cmd.server ?? publicUrl(config),
        product: cmd.product,
        stateFile: cmd.state ?? join(homedir(), '.allot', `${cmd.product.replace(/[^A-Za-z0-9_-]/g, '_')}.json`),
        log: (line) => console.log(line),
      });
    }
    if (cmd.command === 'rotate-ticket-key') await rotateTicketKey(config);
    else await run(cmd, config);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

process.exitCode = await main();
