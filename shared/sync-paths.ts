/**
 * Where replication talks to the server (DESIGN §5): every sync path names the organization
 * it reads or writes, so reach is computed for that (account, organization) pair alone
 * (DESIGN §3 "One account, many organizations"). The one home of these paths: the client,
 * the server's tests and the benchmarks build them here.
 */
import type { CollectionName } from './schemas';

/** A replication request's direction. */
export type SyncDirection = 'pull' | 'push';

/** `POST /api/orgs/:orgId/sync/:collection/pull|push` (DESIGN §5). */
export function syncPath(orgId: string, collection: CollectionName, direction: SyncDirection): string {
  return `/api/orgs/${encodeURIComponent(orgId)}/sync/${collection}/${direction}`;
}

/** `GET /api/orgs/:orgId/sync/stream`: the tab's one live stream for that organization (DESIGN §5). */
export function streamPath(orgId: string): string {
  return `/api/orgs/${encodeURIComponent(orgId)}/sync/stream`;
}

/** `GET /api/me/stream`: the signed-in account's live `me` and `licenses` events, across organizations. */
export const ME_STREAM_PATH = '/api/me/stream';

/** `GET /api/me/licenses`: every license the account holds, in every organization (DESIGN §5). */
export const MY_LICENSES_PATH = '/api/me/licenses';

/** `POST /api/me/machines/:id/deactivate`: the holder frees one of their machines (DESIGN §14). */
export function myMachineDeactivatePath(machineId: string): string {
  return `/api/me/machines/${encodeURIComponent(machineId)}/deactivate`;
}

/** `/api/orgs/:orgId${path}`: any other request about one organization's data (`path` starts with '/'), e.g. `orgApiPath(id, '/notifications/bulletin')`. */
export function orgApiPath(orgId: string, path: string): string {
  return `/api/orgs/${encodeURIComponent(orgId)}${path.startsWith('/') ? path : `/${path}`}`;
}

/** `GET /api/orgs/:orgId/orders/:orderId/certificate.pdf|.json`: an order's license certificate, as a PDF or signed (shared/certificate.ts). */
export function orderCertificatePath(orgId: string, orderId: string, format: 'pdf' | 'json'): string {
  return orgApiPath(orgId, `/orders/${encodeURIComponent(orderId)}/certificate.${format}`);
}
