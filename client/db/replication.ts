/**
 * Replication of every collection with the server (DESIGN §5): one RxDB replication per
 * collection over `POST /api/sync/:collection/{pull,push}`, fed live by ONE Server-Sent
 * Events connection per tab (`GET /api/sync/stream`). Only the leader tab replicates.
 *
 * Usage (UI):
 *   const db = await openDatabase({ name: databaseNameFor(accountId) });
 *   const sync = startSync(db, { baseUrl: '', onOutdated: () => showReloadBanner() });
 *   sync.onStatus((s) => …)            // or from(sync.status$) in Solid; see status.ts
 *   …
 *   await sync.stop(); await db.close();   // sign-out: never remove the database
 */
import { Subject } from 'rxjs';
import {
  getAssumedMasterState,
  type RxCollection,
  type RxReplicationPullStreamItem,
  type WithDeleted,
} from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { SCHEMA_VERSION, type CollectionName, type WireDoc } from '../../shared/schemas';
import {
  SCHEMA_HEADER,
  type Checkpoint,
  type PullResponse,
  type PushResponse,
  type StreamEvent,
} from '../../shared/sync';
import { sameDoc, type PlainDoc } from './conflict';
import { syncContextOf, type AllotDatabase } from './database';
import { openEventStream, type EventStream } from './event-stream';
import { PendingChanges } from './pending';
import { createStatusModel, type SyncStatus } from './status';
import type { BehaviorSubject } from 'rxjs';

export interface SyncOptions {
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
  /** Documents per pull request (server maximum 1000). */
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

export type AllotReplication = RxReplicationState<any, Checkpoint>;

export interface SyncHandle {
  /** Current status and every change of it; see status.ts for the meaning of each field. */
  status$: BehaviorSubject<SyncStatus>;
  /** Calls `fn` now and on every status change; returns the unsubscribe function. */
  onStatus(fn: (s: SyncStatus) => void): () => void;
  getStatus(): SyncStatus;
  replications: Record<CollectionName, AllotReplication>;
  /** Pull every collection again now (e.g. a "sync now" button). */
  resync(): void;
  /** Resolves when everything local was pushed and everything remote pulled (leader tab only). */
  awaitInSync(): Promise<void>;
  /** Stops replicating and closes the live stream; the database stays open. */
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const isNavigatorOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;

export function startSync(db: AllotDatabase, opts: SyncOptions = {}): SyncHandle {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const baseUrl = (opts.baseUrl ?? '').replace(/\/$/, '');
  const origin = baseUrl || (typeof location !== 'undefined' ? location.origin : '');
  const batchSize = Math.min(1000, Math.max(1, opts.batchSize ?? 200));
  const headers = { [SCHEMA_HEADER]: String(SCHEMA_VERSION), ...(opts.headers ?? {}) };
  const waitForLeadership = opts.waitForLeadership ?? db.multiInstance;
  const ctx = syncContextOf(db);
  const names = ctx.collections;
  const model = createStatusModel(names.length);
  const pending = new PendingChanges((counts) =>
    model.set({ pendingByCollection: counts, pending: Object.values(counts).reduce((a, b) => a + b, 0) }),
  );
  const streams = new Map<CollectionName, Subject<RxReplicationPullStreamItem<any, Checkpoint>>>();
  const cleanups: (() => void)[] = [];
  let stopped = false;
  let stream: EventStream | null = null;

  ctx.onNotice = () => model.set((s) => ({ noticesAdded: s.noticesAdded + 1 }));

  function reachedServer() {
    model.set({ online: isNavigatorOnline(), signedOut: false });
  }
  function synced() {
    reachedServer();
    if (pending.count() === 0) model.set({ lastSyncedAt: new Date().toISOString(), lastError: null });
  }

  function outdated() {
    if (model.get().outdated) return;
    model.set({ outdated: true, lastError: 'This app is out of date; reload it' });
    opts.onOutdated?.();
    // Not from inside the handler that saw the 426: cancelling awaits the handler's own queue.
    setTimeout(() => void stop(), 0);
  }

  async function post<T>(path: string, body: unknown): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(baseUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        credentials: 'include',
      });
    } catch (err) {
      model.set({ online: false, lastError: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    if (res.status === 426) {
      outdated();
      throw new HttpError(426, 'schema-outdated');
    }
    if (res.status === 401) {
      if (!model.get().signedOut) {
        model.set({ signedOut: true, online: isNavigatorOnline(), lastError: 'Signed out' });
        opts.onSignedOut?.();
      }
      throw new HttpError(401, 'unauthenticated');
    }
    if (!res.ok) {
      reachedServer();
      const text = await res.text().catch(() => '');
      model.set({ lastError: `${path}: HTTP ${res.status}` });
      throw new HttpError(res.status, `${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
    }
    return (await res.json()) as T;
  }

  /** A batch over the server's body limit is sent in halves rather than retried as it is forever. */
  async function pushInParts(name: CollectionName, rows: unknown[]): Promise<PushResponse> {
    try {
      return await post<PushResponse>(`/api/sync/${name}/push`, rows);
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 413 && rows.length > 1)) throw err;
      const half = Math.ceil(rows.length / 2);
      const a = await pushInParts(name, rows.slice(0, half));
      const b = await pushInParts(name, rows.slice(half));
      return { conflicts: [...a.conflicts, ...b.conflicts], rejected: [...a.rejected, ...b.rejected] };
    }
  }

  /**
   * The person's reach changed: the server starts over from zero. The client must end up
   * holding exactly the server's answer, so every local document the answer does not
   * contain comes back from this pull as deleted by the master. That removes it without
   * pushing a deletion, and RxDB's downstream leaves alone any document with an unpushed
   * local change (it goes up first and the server decides), so nothing waiting is lost.
   */
  async function pullAfterReset(
    collection: RxCollection,
    name: CollectionName,
    first: PullResponse,
  ): Promise<{ documents: WireDoc[]; checkpoint: Checkpoint | undefined }> {
    const documents = [...first.documents];
    let checkpoint = first.checkpoint ?? undefined;
    let last = first;
    while (last.documents.length >= batchSize) {
      last = await post<PullResponse>(`/api/sync/${name}/pull`, { checkpoint: checkpoint ?? null, batchSize });
      if (last.reset) return pullAfterReset(collection, name, last);
      documents.push(...last.documents);
      checkpoint = last.checkpoint ?? checkpoint;
    }
    const keep = new Set(documents.map((d) => d.id));
    const local = await collection.find().exec();
    for (const doc of local) {
      if (!keep.has(doc.primary)) documents.push({ ...(doc.toMutableJSON() as object), _deleted: true } as WireDoc);
    }
    return { documents, checkpoint };
  }

  function replicate(name: CollectionName): AllotReplication {
    const collection = db[name] as unknown as RxCollection;
    const stream$ = new Subject<RxReplicationPullStreamItem<any, Checkpoint>>();
    streams.set(name, stream$);

    const local = collection.eventBulks$.subscribe((bulk) => {
      if (bulk.context.startsWith('replication-')) return;
      pending.touch(
        name,
        bulk.events.map((e) => e.documentId),
      );
    });
    cleanups.push(() => local.unsubscribe());

    const rs = replicateRxCollection<any, Checkpoint>({
      replicationIdentifier: `allot:${origin}:${name}`,
      collection,
      live: true,
      retryTime: opts.retryTime ?? 5000,
      waitForLeadership,
      autoStart: true,
      pull: {
        batchSize,
        stream$: stream$.asObservable(),
        async handler(checkpoint, size) {
          const res = await post<PullResponse>(`/api/sync/${name}/pull`, { checkpoint: checkpoint ?? null, batchSize: size });
          if (!model.get().initialSyncDone) {
            model.set((s) => ({ progress: { ...s.progress, docsReceived: s.progress.docsReceived + res.documents.length } }));
          }
          const out = res.reset
            ? await pullAfterReset(collection, name, res)
            : { documents: res.documents, checkpoint: res.checkpoint ?? checkpoint };
          synced();
          return out as { documents: WithDeleted<any>[]; checkpoint: Checkpoint | undefined };
        },
      },
      push: {
        batchSize: Math.min(500, Math.max(1, opts.pushBatchSize ?? 100)),
        async handler(rows) {
          const ids = rows.map((r) => String((r.newDocumentState as PlainDoc).id));
          const snap = pending.sending(name, ids);
          // A resolved conflict equal to the server's state has nothing left to say; sending it
          // would only bring the same answer back (and a refused row would loop forever).
          const send = rows.filter(
            (r) => !(r.assumedMasterState && sameDoc(r.assumedMasterState as PlainDoc, r.newDocumentState as PlainDoc)),
          );
          if (!send.length) {
            pending.settled(name, snap);
            return [];
          }
          const res = await pushInParts(
            name,
            send.map((r) => ({ assumedMasterState: r.assumedMasterState ?? null, newDocumentState: r.newDocumentState })),
          );
          const conflictIds = new Set(res.conflicts.map((d) => d.id));
          for (const rej of res.rejected) {
            // Only a refusal that comes with its conflict is resolved (and so forgotten) by the handler.
            if (conflictIds.has(rej.id)) ctx.rejections.set(`${name}:${rej.id}`, rej);
          }
          pending.settled(name, snap);
          synced();
          return res.conflicts as WithDeleted<any>[];
        },
      },
    });

    const subs = [
      rs.error$.subscribe((err) => {
        const msg = (err as { parameters?: { errors?: { message?: string }[] } }).parameters?.errors?.[0]?.message;
        model.set({ lastError: msg ?? err.message });
      }),
      // A local write that ends equal to the server's state is never pushed: forget it when idle.
      rs.active$.subscribe((active) => {
        if (!active) void reconcile(name, collection, rs);
      }),
    ];
    cleanups.push(() => subs.forEach((s) => s.unsubscribe()));
    return rs;
  }

  async function reconcile(name: CollectionName, collection: RxCollection, rs: AllotReplication) {
    const ids = pending.ids(name);
    const state = rs.internalReplicationState;
    if (!ids.length || !state || rs.isStopped()) return;
    try {
      const [fork, assumed] = await Promise.all([
        collection.storageInstance.findDocumentsById(ids, true),
        getAssumedMasterState(state, ids),
      ]);
      const byId = new Map(fork.map((d) => [String((d as PlainDoc).id), d as PlainDoc]));
      const done = ids.filter((id) => {
        const f = byId.get(id);
        const a = assumed[id];
        return f && a && sameDoc(f, a.docData as PlainDoc);
      });
      pending.forget(name, done);
      if (pending.count() === 0) synced();
    } catch {
      // The replication closed meanwhile.
    }
  }

  const replications = Object.fromEntries(names.map((n) => [n, replicate(n)])) as Record<
    CollectionName,
    AllotReplication
  >;

  function resync() {
    for (const s of streams.values()) s.next('RESYNC');
  }

  function onEvent(data: string, event: string) {
    // What the person may see changed: pull everything again; the server answers with `reset`.
    if (event === 'reach') return resync();
    let ev: StreamEvent;
    try {
      ev = JSON.parse(data) as StreamEvent;
    } catch {
      return;
    }
    if (ev.type === 'change') {
      streams.get(ev.collection)?.next({ documents: ev.documents, checkpoint: ev.checkpoint });
      synced();
    }
  }

  async function openStream() {
    if (waitForLeadership) await db.waitForLeadership();
    if (stopped) return;
    model.set({ replicating: true });
    stream = openEventStream({
      url: `${baseUrl}/api/sync/stream`,
      fetch: doFetch,
      headers,
      minDelay: opts.reconnectDelay?.min ?? 1000,
      maxDelay: opts.reconnectDelay?.max ?? 30_000,
      onOpen: () => {
        reachedServer();
        resync();
      },
      onData: onEvent,
      onError(err, status) {
        if (status === 426) return outdated();
        if (status === 401) {
          if (!model.get().signedOut) opts.onSignedOut?.();
          return model.set({ signedOut: true });
        }
        if (status === undefined && !stopped) model.set({ online: false });
        model.set({ lastError: err instanceof Error ? err.message : String(err) });
      },
      isFatal: (status) => status === 426,
    });
  }
  void openStream();

  void (async () => {
    await Promise.all(
      names.map(async (n) => {
        await replications[n].awaitInitialReplication();
        model.set((s) => ({ progress: { ...s.progress, collectionsDone: s.progress.collectionsDone + 1 } }));
      }),
    );
    if (!stopped) model.set({ initialSyncDone: true });
  })().catch(() => {});

  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    const online = () => {
      model.set({ online: true });
      stream?.reconnectNow();
    };
    const offline = () => model.set({ online: false });
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    cleanups.push(() => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    });
  }

  async function stop() {
    if (stopped) return;
    stopped = true;
    stream?.close();
    cleanups.forEach((c) => c());
    await Promise.all(Object.values(replications).map((r) => r.cancel()));
    model.set({ replicating: false });
  }

  return {
    status$: model.status$,
    onStatus: model.subscribe,
    getStatus: model.get,
    replications,
    resync,
    async awaitInSync() {
      await Promise.all(Object.values(replications).map((r) => r.awaitInSync()));
    },
    stop,
  };
}
