/**
 * The sync endpoints' paths (DESIGN §5) for the tests that name them: the shared helpers the
 * app itself uses (`/api/orgs/:orgId/sync/…`).
 */
export { streamPath, syncPath } from '../../shared/sync-paths';
