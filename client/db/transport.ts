/**
 * The replication's HTTP requests (DESIGN §5): `POST /api/orgs/:orgId/sync/:collection/pull` and `/push`
 * with the schema version header, answers reported to SyncEvents (no answer → offline,
 * 426 → outdated, 401 → signed out, any other error → the last error), and a push too large
 * for the server's body limit (413) sent again in halves. While the server cannot be reached,
 * requests go out one at a time with a growing pause (backoff-gate.ts).
 */
import type { CollectionName } from '../../shared/schemas';
import type { Checkpoint, PullResponse, PushResponse, PushRow } from '../../shared/sync';
import { syncPath } from '../../shared/sync-paths';
import { createBackoffGate, type BackoffGate } from './backoff-gate';
import type { SyncConfig } from './sync-options';
import type { SyncEvents } from './sync-events';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Transport {
  /** Documents of `collection` after `checkpoint` (null: from the start), at most `batchSize`. */
  pull(collection: CollectionName, checkpoint: Checkpoint | null, batchSize: number): Promise<PullResponse>;
  /**
   * Rows to write; the server's conflicts and refusals. A batch over the server's body limit
   * (HTTP 413) is sent as two halves, each halved again as needed, down to single rows.
   * Throws HttpError for any other error answer (the replication retries).
   */
  push(collection: CollectionName, rows: PushRow[]): Promise<PushResponse>;
}

export function createTransport(
  config: Pick<SyncConfig, 'orgId' | 'baseUrl' | 'fetch' | 'headers'>,
  events: SyncEvents,
  gate: BackoffGate = createBackoffGate(),
): Transport {
  async function post<T>(path: string, body: unknown): Promise<T> {
    let res: Response;
    const done = await gate.admit();
    try {
      res = await config.fetch(config.baseUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...config.headers },
        body: JSON.stringify(body),
        credentials: 'include',
      });
    } catch (err) {
      done(false);
      events.unreachable(err);
      throw err;
    }
    done(true);
    if (res.status === 426) {
      events.outdated();
      throw new HttpError(426, 'schema-outdated');
    }
    if (res.status === 401) {
      events.signedOut();
      throw new HttpError(401, 'unauthenticated');
    }
    if (!res.ok) {
      events.reached();
      const text = await res.text().catch(() => '');
      events.failed(`${path}: HTTP ${res.status}`);
      throw new HttpError(res.status, `${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
    }
    return (await res.json()) as T;
  }

  async function push(collection: CollectionName, rows: PushRow[]): Promise<PushResponse> {
    try {
      return await post<PushResponse>(syncPath(config.orgId, collection, 'push'), rows);
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 413 && rows.length > 1)) throw err;
      const half = Math.ceil(rows.length / 2);
      const a = await push(collection, rows.slice(0, half));
      const b = await push(collection, rows.slice(half));
      return { conflicts: [...a.conflicts, ...b.conflicts], rejected: [...a.rejected, ...b.rejected] };
    }
  }

  return {
    pull: (collection, checkpoint, batchSize) => post<PullResponse>(syncPath(config.orgId, collection, 'pull'), { checkpoint, batchSize }),
    push,
  };
}
