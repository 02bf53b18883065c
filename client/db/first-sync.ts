/**
 * The first sync of a collection in bulk (DESIGN §5; issue 18): when a collection's first pull
 * (checkpoint `null`) comes back full and the device holds nothing of it yet, its pages are
 * written here — the replication metadata (the assumed master state each later push and the
 * field merge need) and then the documents, one storage `bulkWrite` each per page — instead of
 * by RxDB's downstream, which reads the fork and the metadata for every pulled id and then
 * reads them again inside each write. The next page is fetched while one is being written.
 * RxDB is then handed the last document and the final checkpoint, so it stores the checkpoint
 * itself and goes on as usual (live changes, pushes, conflicts, resets).
 *
 * On the app's own storage the metadata rows are not written at all: a document still as the
 * server sent it answers for its own (lazy-meta.ts), and its row is stored before anyone
 * changes it. Elsewhere (RxDB's memory storage) they are written as below.
 *
 * The rows are exactly what RxDB 17's downstream writes for a document it has not seen
 * (`replication-protocol/downstream.js` `persistFromMaster`, `meta-instance.js`
 * `getMetaWriteRow`), through the same storage instances and with the same write context, so
 * the upstream ignores them, and a later pull, push or conflict finds what RxDB's own path
 * would have left. `test/integration/first-sync-bulk.test.ts` pins that, row for row, to the
 * installed RxDB.
 *
 * Why nothing is lost:
 * - the metadata of a page is written before its documents (or, on the app's storage, just
 *   before a local change of one), so a local edit of a document always finds its assumed
 *   master state;
 * - a document or metadata row that already exists (written locally meanwhile, or left by an
 *   earlier attempt) is not overwritten here but handed to RxDB's downstream, which merges;
 * - a failure mid-way throws (RxDB retries the pull) and the next attempt goes on from the
 *   last page written; a reload before the end finds documents and takes RxDB's own path;
 * - a page answered with `reset` ends the bulk path and goes to `pullAfterReset`.
 */
import {
  createRevision,
  getChangedDocumentsSince,
  getCheckpointKey,
  getComposedPrimaryKeyOfDocumentData,
  getUnderlyingPersistentStorage,
  now,
  type BulkWriteRow,
  type RxCollection,
  type RxStorageBulkWriteResponse,
  type RxStorageInstance,
  type RxStorageReplicationMeta,
} from 'rxdb';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { Checkpoint, PullResponse } from '../../shared/sync';
import type { AllotReplication, ReplicatedDoc } from './replicated';
import type { Transport } from './transport';
import { implicitMetaFork } from './lazy-meta';

/** What the pull handler returns to RxDB. */
export interface PulledPage {
  documents: WireDoc[];
  checkpoint: Checkpoint | undefined;
}

type Meta = RxStorageReplicationMeta<ReplicatedDoc, Checkpoint>;
/** A document as the storage holds it (RxDB's `RxDocumentData`), loosely typed: these rows mirror RxDB's own. */
type StoredDoc = Record<string, unknown> & { id: string; _deleted: boolean; _rev: string };

/** What the bulk path made of a first pull. */
export type BulkOutcome =
  /** Not taken (small collection, device not empty, or already done): the handler answers RxDB as usual. */
  | { kind: 'declined' }
  /** Written: the answer to give RxDB (the last document and the final checkpoint, and any document left to it). */
  | { kind: 'written'; page: PulledPage }
  /** A page said `reset` mid-way: the handler goes on with `pullAfterReset` from this answer. */
  | { kind: 'reset'; response: PullResponse };

export interface BulkFirstSync {
  /**
   * Called by the pull handler with the answer to a pull from checkpoint `null` (`first`,
   * `batchSize` documents asked for).
   */
  take(first: PullResponse, batchSize: number): Promise<BulkOutcome>;
}

/**
 * `replicationIdentifier`: the one given to `replicateRxCollection` (the metadata and the
 * revisions are keyed by it). `onPage(n)`: called with the documents of each page it pulls or is
 * given (for the progress shown while syncing). Errors: whatever the transport or the
 * storage throws (the pull is retried by RxDB and continues from the last page written).
 */
export function bulkFirstSync(opts: {
  name: CollectionName;
  collection: RxCollection<ReplicatedDoc>;
  replication: () => AllotReplication;
  replicationIdentifier: string;
  transport: Transport;
  onPage(documents: number): void;
}): BulkFirstSync {
  // Kept between attempts of one session: where the bulk path has got to.
  let resumeFrom: { checkpoint: Checkpoint | undefined; handOver: WireDoc[]; last: WireDoc } | null = null;
  let declined = false;

  return {
    async take(first, batchSize) {
      if (declined || first.reset) return { kind: 'declined' };
      if (!resumeFrom) {
        // A small collection (one page) gains nothing; a device that holds anything of it takes RxDB's path.
        if (first.documents.length < batchSize || !(await isEmpty(opts.collection))) {
          declined = true;
          return { kind: 'declined' };
        }
      }
      const writer = await openWriter(opts.collection, opts.replication(), opts.replicationIdentifier);
      let page: PullResponse = resumeFrom ? await opts.transport.pull(opts.name, resumeFrom.checkpoint ?? null, batchSize) : first;
      opts.onPage(page.documents.length);
      let state = resumeFrom ?? { checkpoint: undefined, handOver: [], last: first.documents[0] };
      // Documents of page k are written while the metadata of page k+1 is (different stores); at most one of each at a time.
      let docsWritten: Promise<void> = Promise.resolve();
      for (;;) {
        if (opts.replication().isStoppedOrPaused()) {
          // Stopped (signed out, tab closing) or paused: nothing more is written; a restart goes on from the last page stored.
          await docsWritten;
          return { kind: 'written', page: { documents: [], checkpoint: undefined } };
        }
        if (page.reset) {
          // The person's reach changed mid-way: RxDB's path starts over from this answer (reset-pull.ts).
          // (What was written so far is local now: the reset answer keeps or removes each of it.)
          await docsWritten;
          declined = true;
          resumeFrom = null;
          return { kind: 'reset', response: page };
        }
        const full = page.documents.length >= batchSize;
        // The next page travels while this one is written.
        const next = full ? opts.transport.pull(opts.name, page.checkpoint ?? null, batchSize) : null;
        next?.catch(() => {});
        const { documents, checkpoint } = page;
        const refused = documents.length ? await writer.writeMeta(documents) : new Set<string>();
        await docsWritten;
        docsWritten = (async () => {
          const handOver = documents.length ? await writer.writeDocs(documents, refused) : [];
          // Only a page whose documents are stored moves where a retry goes on from.
          state = { checkpoint: checkpoint ?? state.checkpoint, handOver: [...state.handOver, ...handOver], last: documents.at(-1) ?? state.last };
          resumeFrom = state;
        })();
        docsWritten.catch(() => {});
        if (!next) break;
        page = await next;
        opts.onPage(page.documents.length);
      }
      await docsWritten;
      declined = true;
      resumeFrom = null;
      // RxDB stores the checkpoint itself after this answer; the last document is already here and equal, so it writes nothing for it.
      const documents = state.handOver.some((d) => d.id === state.last.id) ? state.handOver : [...state.handOver, state.last];
      return { kind: 'written', page: { documents, checkpoint: state.checkpoint } };
    },
  };
}

/** True when the collection holds no document at all, deleted ones included. */
async function isEmpty(collection: RxCollection<ReplicatedDoc>): Promise<boolean> {
  const storage = getUnderlyingPersistentStorage(collection.storageInstance);
  return (await getChangedDocumentsSince(storage, 1)).documents.length === 0;
}

interface PageWriter {
  /** Writes a page's replication metadata; returns the ids already there (left to RxDB's downstream). */
  writeMeta(documents: WireDoc[]): Promise<Set<string>>;
  /** Then its documents, but those `refused`; returns the documents left to RxDB's downstream. */
  writeDocs(documents: WireDoc[], refused: Set<string>): Promise<WireDoc[]>;
}

async function openWriter(collection: RxCollection<ReplicatedDoc>, replication: AllotReplication, replicationIdentifier: string): Promise<PageWriter> {
  const metaInstance = replication.metaInstance as RxStorageInstance<Meta, unknown, unknown> | undefined;
  // The pull handler runs only after RxDB opened the metadata storage; anything else is a changed RxDB.
  if (!metaInstance) throw new Error('The replication has no metadata storage yet');
  const meta = getUnderlyingPersistentStorage(metaInstance);
  const fork = getUnderlyingPersistentStorage(collection.storageInstance) as unknown as RxStorageInstance<StoredDoc, unknown, unknown>;
  const hash = collection.database.hashFunction;
  const identifier = `rxdbreplication${replicationIdentifier}`;
  const identifierHash = await hash(identifier);
  const checkpointKey = await getCheckpointKey({ identifier, forkInstance: fork, hashFunction: hash } as Parameters<typeof getCheckpointKey>[0]);
  // The context RxDB's downstream writes with: the upstream and the pending count know these writes as the server's.
  const context = `replication-downstream-${checkpointKey}`;
  // The revision RxDB's collection storage gives an inserted row: the database's token.
  const forkRev = createRevision(collection.database.token);
  const metaRev = createRevision(checkpointKey);
  // On the app's storage a document still as the server sent it answers for its own metadata
  // row (lazy-meta.ts); its rows are written under RxDB's collection wrapper, which would drop their mark.
  const rawFork = (await implicitMetaFork(metaInstance as never, collection as never)) as RxStorageInstance<StoredDoc, unknown, unknown> | null;
  const implicit = !!rawFork;

  return {
    async writeMeta(documents) {
      if (implicit) return new Set<string>();
      const lwt = now();
      const metaRows: BulkWriteRow<Meta>[] = documents.map((d) => {
        const docData = { ...d, _deleted: !!d._deleted };
        const row = {
          id: '',
          isCheckpoint: '0',
          itemId: docData.id,
          docData,
          _attachments: {},
          _deleted: false,
          _rev: metaRev,
          _meta: { lwt },
        } as unknown as Meta & { id: string };
        row.id = getComposedPrimaryKeyOfDocumentData(meta.schema, row);
        return { document: row } as unknown as BulkWriteRow<Meta>;
      });
      const metaRes = await meta.bulkWrite(metaRows, 'replication-down-write-meta');
      return new Set(failedIds(metaRes, (id) => id.slice(0, id.lastIndexOf('|'))));
    },
    async writeDocs(documents, refused) {
      const lwt = now();
      const forkRows = documents
        .filter((d) => !refused.has(d.id))
        .map((d) => ({
          document: {
            ...d,
            _deleted: !!d._deleted,
            _attachments: {},
            _rev: forkRev,
            _meta: { lwt, o: { _rev: 1, hash: identifierHash } },
          } as unknown as StoredDoc,
        })) as unknown as BulkWriteRow<StoredDoc>[];
      const forkRes = forkRows.length ? await (rawFork ?? fork).bulkWrite(forkRows, context) : { error: [] };
      const left = new Set([...refused, ...failedIds(forkRes, (x) => x)]);
      return documents.filter((d) => left.has(d.id));
    },
  };
}

/** Ids of the rows a bulkWrite refused: 409 (already there) is handed over; anything else throws. */
function failedIds<T>(res: RxStorageBulkWriteResponse<T>, idOf: (documentId: string) => string): string[] {
  const other = res.error.find((e) => e.status !== 409);
  if (other) throw new Error(`First sync could not store ${other.documentId} (${other.status})`);
  return res.error.map((e) => idOf(e.documentId));
}
