import { Hono, type MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isCollectionName, SCHEMA_VERSION, type CollectionName } from '../../shared/schemas';
import { pullRequestSchema, pushRequestSchema, SCHEMA_HEADER, type StreamEvent } from '../../shared/sync';
import type { AppEnv } from '../app-env';
import { requireAccount } from '../auth/session';
import { principalFor } from '../auth/principal';
import { apiError, validate } from '../http';
import { pullCollection } from '../sync/pull';
import { pushRows } from '../sync/push';

/** Clients built for an older schema must reload before they sync again. */
const schemaVersion: MiddlewareHandler<AppEnv> = async (c, next) => {
  const sent = c.req.header(SCHEMA_HEADER);
  if (sent !== undefined && Number(sent) < SCHEMA_VERSION) {
    return apiError(c, 'schema-outdated', `This app is out of date (schema ${sent}, server ${SCHEMA_VERSION}); reload it`);
  }
  await next();
};

const collectionParam: MiddlewareHandler<AppEnv> = async (c, next) => {
  const name = c.req.param('collection') ?? '';
  if (!isCollectionName(name)) return apiError(c, 'unknown-collection', `There is no collection called ${name.slice(0, 40)}`);
  await next();
};

export const syncRoutes = new Hono<AppEnv>()
  .use('*', requireAccount, schemaVersion)
  .post('/:collection/pull', collectionParam, validate('json', pullRequestSchema), async (c) => {
    const { store } = c.get('deps');
    const collection = c.req.param('collection') as CollectionName;
    const body = c.req.valid('json');
    const principal = await principalFor(store.db, c.get('account')!);
    return c.json(await pullCollection(store, principal, collection, body.checkpoint, body.batchSize));
  })
  .post('/:collection/push', collectionParam, validate('json', pushRequestSchema), async (c) => {
    const deps = c.get('deps');
    const collection = c.req.param('collection') as CollectionName;
    const rows = c.req.valid('json');
    const principal = await principalFor(deps.store.db, c.get('account')!);
    if (!principal.orgId) {
      return c.json({
        conflicts: rows.map((r) => ({ ...r.newDocumentState, seq: 0, _deleted: true })),
        rejected: rows.map((r) => ({
          id: String(r.newDocumentState.id ?? '').slice(0, 40),
          code: 'not-allowed' as const,
          message: 'You are not part of an organization',
        })),
      });
    }
    return c.json(await pushRows(deps, { ...principal, orgId: principal.orgId }, collection, rows));
  })
  .get('/stream', async (c) => {
    const { store, hub } = c.get('deps');
    const account = c.get('account')!;
    let principal = await principalFor(store.db, account);
    const queue: StreamEvent[] = [];
    let wake: (() => void) | null = null;
    let closed = false;
    const conn = {
      get principal() {
        return principal;
      },
      send(ev: StreamEvent) {
        queue.push(ev);
        wake?.();
      },
      async refresh() {
        principal = await principalFor(store.db, account);
        return principal;
      },
    };
    // Subscribed before the response starts: once a client sees the stream open, every later
    // change reaches it, so the pull it makes on opening misses nothing.
    const unsubscribe = await hub.subscribe(conn);
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      wake?.();
    };
    return streamSSE(c, async (stream) => {
      stream.onAbort(close);
      try {
        // Every data event is DESIGN §5's {collection, documents, checkpoint}; a change of what
        // the person may see is a named `reach` event, and this comment says the stream is live.
        await stream.write(': subscribed\n\n');
        while (!closed) {
          while (queue.length && !closed) {
            const ev = queue.shift()!;
            if (ev.type === 'reach') await stream.writeSSE({ event: 'reach', data: JSON.stringify(ev) });
            else await stream.writeSSE({ data: JSON.stringify(ev) });
          }
          if (closed) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
            const t = setTimeout(resolve, 20_000);
            t.unref?.();
          });
          wake = null;
          if (!queue.length && !closed) await stream.write(': keep-alive\n\n');
        }
      } finally {
        close();
      }
    });
  });
