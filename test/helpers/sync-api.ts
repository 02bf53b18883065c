/**
 * The sync paths tests use, built in one place (shared/sync-paths.ts names them for the app):
 * when the wire moves, this is the one edit.
 */
import type { CollectionName } from '../../shared/schemas';
import { orgApiPath, streamPath, syncPath } from '../../shared/sync-paths';

export { orgApiPath, streamPath, syncPath };

/** `POST /api/orgs/:orgId/sync/:collection/pull` (any name: tests ask for collections that do not exist, too). */
export const pullPath = (orgId: string, collection: CollectionName | string) => syncPath(orgId, collection as CollectionName, 'pull');

/** `POST /api/orgs/:orgId/sync/:collection/push`. */
export const pushPath = (orgId: string, collection: CollectionName | string) => syncPath(orgId, collection as CollectionName, 'push');

/** `POST /api/orgs/:orgId/notifications/bulletin`. */
export const bulletinPath = (orgId: string) => orgApiPath(orgId, '/notifications/bulletin');

/** `POST /api/orgs/:orgId/notifications/:id/retry`. */
export const retryPath = (orgId: string, notificationId: string) => orgApiPath(orgId, `/notifications/${encodeURIComponent(notificationId)}/retry`);
