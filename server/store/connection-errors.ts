/**
 * Errors that mean "the database connection went away" rather than "the request was wrong":
 * PostgreSQL restarted, failed over, or ended the connection (pg_terminate_backend, an idle
 * timeout), or could not be reached. The transaction in flight rolled back with its connection
 * (PostgreSQL never commits a transaction whose session ended), so nothing was written and the
 * request may simply be tried again: it is answered 503 `busy` (server/http.ts).
 */

/** SQLSTATE codes (PostgreSQL, Appendix A "Error Codes") of a lost or refused connection. */
const SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
]);

/** Node socket errors on the way to the database. */
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** node-postgres's and pg-pool's words for the same (they carry no code). */
const MESSAGES = [
  /^Connection terminated/,
  /is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  // A prepared statement older than a migration that changed a column's type (open-store.ts namingStatements): prepared anew on the next try.
  /cached plan must not change result type/,
];

/**
 * Marks an error thrown while obtaining a connection (the database refused it, is starting,
 * is unreachable, or does not accept connections right now): whatever its code, the request
 * that needed it could not start, so nothing was written.
 */
export function markConnectFailure<E>(err: E): E {
  if (err && typeof err === 'object') Object.assign(err, { connectFailed: true });
  return err;
}

/** True when `err` (thrown by a query) means the connection to the database was lost or could not be made. */
export function isConnectionLost(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if ((e as { connectFailed?: unknown }).connectFailed === true) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  // Class 08: connection exception (08000, 08003, 08006, 08001, 08004…).
  if (code.startsWith('08') && code.length === 5) return true;
  if (SQLSTATES.has(code) || SOCKET_CODES.has(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return MESSAGES.some((m) => m.test(message));
}
