/**
 * What `startSync` can be told (SyncOptions) and the settings every part of the sync reads,
 * with the defaults and server limits applied once (SyncConfig).
 */
import { SCHEMA_VERSION } from '../../shared/schemas';
import { MAX_BATCH, SCHEMA_HEADER } from '../../shared/sync';
import type { AllotDatabase } from './database';

export interface SyncOptions {
  /** The organization this database holds: every sync path names it (DESIGN §5). */
  orgId: string;
  /** Origin of the server; '' (the default) for the page's own origin. */
  baseUrl?: string;
  /** Defaults to the global fetch (tests pass one they can cut). */
  fetch?: typeof fetch;
  /** Extra headers on every request (Node tests: `cookie` and `origin`). */
  headers?: Record<string, string>;
  /** The server runs a newer schema (HTTP 426): the app must reload. Sync stops. */
  onOutdated?: () => void;
  /** The server answered 401: the session ended. Sync keeps retrying. */
  onSignedOut?: () => void;
  /** Documents per pull request: the server maximum (1000) unless told fewer; fewer, larger pulls make a first sync faster. */
  batchSize?: number;
  /** Rows per push request (server maximum 500). */
  pushBatchSize?: number;
  /** Wait before retrying a failed pull or push, ms. */
  retryTime?: number;
  /** Live stream reconnect backoff, ms. */
  reconnectDelay?: { min: number; max: number };
  /** Replicate only in the leader tab; default: whenever the database is shared between tabs. */
  waitForLeadership?: boolean;
}

/** The most rows one push may carry (shared/sync.ts pushRequestSchema). */
const MAX_PUSH_ROWS = 500;

export interface SyncConfig {
  orgId: string;
  fetch: typeof fetch;
  /** Without a trailing slash; '' for the page's own origin. */
  baseUrl: string;
  /** The server's origin, part of each replication's identifier (one checkpoint per server). */
  origin: string;
  /** The schema version header and the caller's extra headers, on every request. */
  headers: Record<string, string>;
  batchSize: number;
  pushBatchSize: number;
  /** ms */
  retryTime: number;
  /** ms */
  reconnectDelay: { min: number; max: number };
  waitForLeadership: boolean;
}

const clamp = (n: number, max: number) => Math.min(max, Math.max(1, n));

export function syncConfig(db: AllotDatabase, opts: SyncOptions): SyncConfig {
  const baseUrl = (opts.baseUrl ?? '').replace(/\/$/, '');
  return {
    orgId: opts.orgId,
    // Called through a wrapper: a bare `fetch` taken from the window loses its `this` in some browsers.
    fetch: opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)),
    baseUrl,
    origin: baseUrl || (typeof location !== 'undefined' ? location.origin : ''),
    headers: { [SCHEMA_HEADER]: String(SCHEMA_VERSION), ...(opts.headers ?? {}) },
    batchSize: clamp(opts.batchSize ?? MAX_BATCH, MAX_BATCH),
    pushBatchSize: clamp(opts.pushBatchSize ?? 100, MAX_PUSH_ROWS),
    retryTime: opts.retryTime ?? 5000,
    reconnectDelay: { min: opts.reconnectDelay?.min ?? 1000, max: opts.reconnectDelay?.max ?? 30_000 },
    waitForLeadership: opts.waitForLeadership ?? db.multiInstance,
  };
}
