/**
 * The tab's one live stream (DESIGN §5: `GET /api/orgs/:orgId/sync/stream`, one connection for every
 * collection) and what its events do to the replications:
 * - a data event `{type: 'change', collection, documents, checkpoint}` goes to that
 *   collection's pull stream, as if pulled;
 * - a `reach` event (what the person may see changed) and every (re)connection make every
 *   replication pull again (RxDB's `RESYNC`): changes made while the stream was down come in,
 *   and a stale checkpoint is answered with `reset` (reset-pull.ts).
 */
import { Subject, type Observable } from 'rxjs';
import type { CollectionName } from '../../shared/schemas';
import type { StreamEvent } from '../../shared/sync';
import { streamPath } from '../../shared/sync-paths';
import type { PullStreamItem } from './collection-replication';
import { openEventStream, type EventStream } from './event-stream';
import type { SyncConfig } from './sync-options';
import { messageOf, type SyncEvents } from './sync-events';

export interface StreamDispatch {
  /** The live changes of one collection, for its replication's `pull.stream$`. */
  live$(collection: CollectionName): Observable<PullStreamItem>;
  /** Every replication pulls again now. */
  resync(): void;
  /** Hands one event of the stream (its data and its name, 'message' when unnamed) to the replications. */
  dispatch(data: string, event: string): void;
}

/** `onChange`: called after each change event was handed on. */
export function createStreamDispatch(collections: readonly CollectionName[], onChange: () => void): StreamDispatch {
  const subjects = new Map(collections.map((c) => [c, new Subject<PullStreamItem>()]));
  const resync = () => subjects.forEach((s) => s.next('RESYNC'));
  return {
    live$(collection) {
      const s = subjects.get(collection);
      if (!s) throw new Error(`No live stream for ${collection}`);
      return s.asObservable();
    },
    resync,
    dispatch(data, event) {
      if (event === 'reach') return resync();
      let ev: StreamEvent;
      try {
        ev = JSON.parse(data) as StreamEvent;
      } catch {
        return;
      }
      if (ev.type !== 'change') return;
      // A collection this database does not hold (a test's partial database) is skipped, but the server was heard.
      subjects.get(ev.collection)?.next({ documents: ev.documents, checkpoint: ev.checkpoint });
      onChange();
    },
  };
}

/** Connects (and reconnects, with backoff) until closed; a 426 ends it for good. */
export function openLiveStream(
  config: Pick<SyncConfig, 'orgId' | 'baseUrl' | 'fetch' | 'headers' | 'reconnectDelay'>,
  events: SyncEvents,
  dispatch: StreamDispatch,
): EventStream {
  return openEventStream({
    url: config.baseUrl + streamPath(config.orgId),
    fetch: config.fetch,
    headers: config.headers,
    minDelay: config.reconnectDelay.min,
    maxDelay: config.reconnectDelay.max,
    onOpen() {
      events.reached();
      dispatch.resync();
    },
    onData: dispatch.dispatch,
    onError(err, status) {
      if (status === 426) return events.outdated();
      if (status === 401) return events.signedOut();
      if (status === undefined) return events.unreachable(err);
      events.failed(messageOf(err));
    },
    isFatal: (status) => status === 426,
  });
}
