import type { CollectionName } from '../../shared/schemas';

/**
 * The sync endpoints' paths (DESIGN §5), in one place for the tests that name them: pull and
 * push of a collection, and the live stream, for the organization `orgId`.
 */
export const syncPath = (_orgId: string, collection: CollectionName | string, op: 'pull' | 'push') => `/api/sync/${collection}/${op}`;
export const streamPath = (_orgId: string) => '/api/sync/stream';
