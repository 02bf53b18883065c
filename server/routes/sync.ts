import { Hono, type MiddlewareHandler } from 'hono';
import { isCollectionName, SCHEMA_VERSION, type CollectionName } from '../../shared/schemas';
import { pullRequestSchema, pushRequestSchema, SCHEMA_HEADER } from '../../shared/sync';
import type { AppEnv } from '../app-env';
import { principalIn } from '../auth/principal';
import { apiError, validate } from '../http';
import { pullCollection } from '../sync/pull';
import { pushRows } from '../sync/push';
import { auditClientOf } from '../audit/client';
import { sseComment, sseStream } from '../sync/sse';

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

/**
 * Replication in one organization (DESIGN §5), mounted under `/api/orgs/:orgId/sync` behind
 * requireOrgPrincipal: pull and push per collection, one live stream per tab.
 */
export const syncRoutes = new Hono<AppEnv>()
  .use('*', schemaVersion)
  .post('/:collection/pull', collectionParam, validate('json', pullRequestSchema), async (c) => {
    const body = c.req.valid('json');
    const collection = c.req.param('collection') as CollectionName;
    return c.json(await pullCollection(c.get('deps').store, c.get('principal'), collection, body.checkpoint, body.batchSize));
  })
  .post('/:collection/push', collectionParam, validate('json', pushRequestSchema), async (c) => {
    const collection = c.req.param('collection') as CollectionName;
    return c.json(await pushRows(c.get('deps'), c.get('principal'), collection, c.req.valid('json'), auditClientOf(c)));
  })
  .get('/stream', async (c) => {
    const { store, hub, sessions } = c.get('deps');
    const { account, orgId } = c.get('principal');
    const stream = sseStream();
    // Every data event is DESIGN §5's {collection, documents, checkpoint}; a change of what
    // the person may see is a named `reach` event, and this comment says the stream is live.
    stream.write(sseComment('subscribed'));
    await hub.open(c.get('principal'), () => principalIn(store.db, account, orgId), stream);
    // The stream ends with its session (logout, expiry, revocation): nothing is delivered after (issue 13).
    stream.onClose(sessions.watch(c.get('session')!, () => stream.close()));
    return stream.respond(c);
  });

/**
 * The paths before organizations were named (`/api/sync/…`): a tab of an older app answers
 * 426 `schema-outdated` whatever it sends, and reloads into the app that names them (DESIGN §5).
 */
export const outdatedRoutes = new Hono<AppEnv>().all('*', (c) =>
  apiError(c, 'schema-outdated', `This app is out of date (server schema ${SCHEMA_VERSION}); reload it`),
);
