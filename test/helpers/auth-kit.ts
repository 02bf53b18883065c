import { pino } from 'pino';
import { createApp } from '../../server/app';
import { manualClock } from '../../server/clock';
import { parseConfig, publicUrl } from '../../server/config';
import { smtpMailer, type Mailer } from '../../server/mail/mailer';
import { dropPgSchema, openStore } from '../../server/store/open-store';
import { newId } from '../../shared/ids';
import { startSmtpCapture, type ParsedMessage } from './smtp';

import { PG_URL } from './pg';

export { PG_URL };
export const ORIGIN = 'http://localhost';

/**
 * The app in-process (app.request) over a fresh SQLite memory database or PostgreSQL schema,
 * with a manual clock and a real SMTP server capturing what the outbox sends.
 */
export async function startAuthKit(opts: { dialect?: 'sqlite' | 'postgres'; env?: Record<string, string>; mailer?: Mailer } = {}) {
  const dialect = opts.dialect ?? 'sqlite';
  const pgSchema = `t_${newId().replace(/-/g, '').slice(0, 16)}`;
  const store = await openStore(dialect === 'postgres' ? { databaseUrl: PG_URL, pgSchema } : { sqliteFile: ':memory:' });
  const smtp = await startSmtpCapture();
  const clock = manualClock();
  const logger = pino({ level: 'silent' });
  const config = parseConfig({ PUBLIC_URL: ORIGIN, LOG_LEVEL: 'silent', ...(opts.env ?? {}) });
  const mailer = opts.mailer ?? smtpMailer(smtp.url);
  const built = createApp({ store, mailer, clock, config, logger });

  async function call(path: string, init: { method?: string; body?: unknown; cookie?: string; app?: typeof built.app } = {}) {
    const res = await (init.app ?? built.app).request(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'content-type': 'application/json',
        // Same-origin as the configured PUBLIC_URL, as a browser on the app would send.
        origin: publicUrl(config),
        ...(init.cookie ? { cookie: init.cookie } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  async function close() {
    built.close();
    mailer.close();
    await store.close();
    await smtp.close();
    if (dialect === 'postgres') await dropPgSchema(PG_URL!, pgSchema);
  }

  return { store, smtp, clock, config, logger, app: built.app, deps: built.deps, call, close };
}

export type AuthKit = Awaited<ReturnType<typeof startAuthKit>>;

/** The link token and the code of a sign-in email. */
export function signInSecrets(m: ParsedMessage): { token: string; code: string } {
  const token = /\/signin\?token=([A-Za-z0-9_-]+)/.exec(m.text)?.[1];
  const code = /Code: (\d{6})/.exec(m.text)?.[1];
  if (!token || !code) throw new Error(`not a sign-in email: ${m.subject}`);
  return { token, code };
}

/** The session cookie set by a response, as a Cookie header value. */
export function sessionCookie(headers: Headers): string {
  const set = headers.get('set-cookie') ?? '';
  const m = /allot_session=([^;]*)/.exec(set);
  if (!m) throw new Error(`no session cookie in: ${set}`);
  return `allot_session=${m[1]}`;
}
