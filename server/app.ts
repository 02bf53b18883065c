import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { pino, type Logger } from 'pino';
import type { AppDeps, AppEnv } from './app-env';
import { sessionMiddleware } from './auth/middleware';
import { apiError, errorAnswer } from './http';
import { outdatedRoutes } from './routes/sync';
import { orgRoutes } from './routes/orgs';
import { authRoutes } from './routes/auth';
import { setupRoutes } from './routes/setup';
import { meRoutes } from './routes/me';
import { invitationRoutes } from './routes/invitations';
import { healthRoutes } from './routes/health';
import { oauthRoutes } from './routes/oauth';
import { deviceRoutes } from './routes/device';
import { activationRoutes } from './routes/activations';
import { ticketKeys } from './activation/keys';
import type { Store } from './store/open-store';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Mailer } from './mail/mailer';
import { createHub } from './sync/hub';
import { createSessionWatch } from './sync/session-watch';
import { systemClock } from './clock';
import { createOutboxSignal } from './mail/wake';
import { oneAtATime } from './orgs/one-at-a-time';
import { parseConfig } from './config';
import { createLimits } from './security/limits';
import { originCheck } from './security/origin';
import { securityHeaders } from './security/headers';
import { bodyLimit, keepConnection } from './security/body-limit';
import { inputGuard } from './security/input-guard';

export const MAX_BODY_BYTES = 1024 * 1024;
/** The largest body of a route anyone may call without signing in (setup, sign-in, invitations). */
export const PUBLIC_BODY_BYTES = 16 * 1024;

export interface CreateAppOptions {
  store: Store;
  mailer: Mailer;
  clock?: Clock;
  config?: Config;
  logger?: Logger;
  /** Serves the built client from this folder for every non-API path. */
  staticRoot?: string;
}

/** Builds the whole server from its dependencies; never listens by itself. */
export function createApp(opts: CreateAppOptions): { app: Hono<AppEnv>; deps: AppDeps; close(): void } {
  const config = opts.config ?? parseConfig({});
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL });
  const clock = opts.clock ?? systemClock;
  const hub = createHub(opts.store);
  const sessions = createSessionWatch(opts.store, clock);
  const limits = createLimits(config, clock, opts.store);
  const deps: AppDeps = {
    store: opts.store,
    mailer: opts.mailer,
    clock,
    config,
    logger,
    hub,
    sessions,
    limits,
    outbox: createOutboxSignal(),
    orgCreation: oneAtATime(),
    ticketKeys: ticketKeys(opts.store.db, { ticketDays: config.TICKET_DAYS, signingKey: config.TICKET_SIGNING_KEY }),
  };

  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', securityHeaders(config));
  // Answers of the API are per person (me, pulls, pushes, claims…) or change from one moment to
  // the next: no cache, shared or private, keeps them (RFC 9111 §5.2.2.5). A route that says
  // otherwise (the event stream's no-cache) keeps its word.
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });
  // A body no handler read is read away after the answer, so the connection carries the next request.
  app.use('/api/*', keepConnection({ drainBytes: 32 * MAX_BODY_BYTES, drainMs: 5_000 }));
  // Before the body is read: a request from another site is refused whatever it carries.
  app.use('/api/*', originCheck(config));
  // Routes anyone may call without signing in take small bodies only (theirs are well under 1 KB).
  const publicBody = bodyLimit({ maxBytes: PUBLIC_BODY_BYTES, drainBytes: 32 * MAX_BODY_BYTES, drainMs: 5_000 });
  for (const path of ['/api/setup', '/api/setup/*', '/api/auth/*', '/api/invitations/*']) app.use(path, publicBody);
  // A refused body is read and discarded (up to 32 MB, 5 s) so the connection stays usable.
  app.use('/api/*', bodyLimit({ maxBytes: MAX_BODY_BYTES, drainBytes: 32 * MAX_BODY_BYTES, drainMs: 5_000 }));
  // Malformed escapes, NUL, lone surrogates and deep nesting stop here (shared/text.ts).
  app.use('/api/*', inputGuard);
  app.use('/api/*', sessionMiddleware);
  // OAuth's endpoints are called by products, not browsers: no cookies, no Origin (DESIGN §14).
  app.use('/oauth/*', bodyLimit({ maxBytes: 64 * 1024, drainBytes: 32 * MAX_BODY_BYTES, drainMs: 5_000 }));

  app.route('/api/auth', authRoutes);
  app.route('/api/setup', setupRoutes);
  app.route('/api/me', meRoutes);
  app.route('/api/orgs/:orgId', orgRoutes);
  // Older apps' paths, which named no organization: they reload.
  app.route('/api/sync', outdatedRoutes);
  app.route('/api/notifications', outdatedRoutes);
  app.route('/api/invitations', invitationRoutes);
  app.route('/api/health', healthRoutes);
  app.route('/api/device', deviceRoutes);
  app.route('/api/activations', activationRoutes);
  app.route('/oauth', oauthRoutes);
  app.all('/oauth/*', (c) => c.json({ error: 'invalid_request', error_description: 'No such OAuth endpoint' }, 404));
  // The public keys tickets are signed with (RFC 7517), for products to verify offline.
  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await deps.ticketKeys.jwks(clock.now()));
  });
  app.all('/api/*', (c) => apiError(c, 'not-found', 'No such API endpoint'));

  if (opts.staticRoot) {
    const root = opts.staticRoot;
    app.use(
      '*',
      serveStatic({
        root,
        onFound: (path, c) => {
          // Hashed assets never change; the shell and the service worker must be re-checked.
          const immutable = /\/assets\//.test(path);
          c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
    // Client-side routes (/teams/…, /join/…) all open the app shell.
    app.get('*', serveStatic({ root, rewriteRequestPath: () => '/index.html', onFound: (_p, c) => { c.header('Cache-Control', 'no-cache'); } }));
  }

  app.onError((err, c) => errorAnswer(err, c, (e) => logger.error({ err: e }, 'unhandled error')));
  app.notFound((c) => apiError(c, 'not-found', 'Not found'));

  return { app, deps, close: () => {
      sessions.close();
      hub.close();
    },
  };
}
