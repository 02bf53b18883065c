/**
 * The local database: one RxDB database per (account, organization) (DESIGN §5 "Tabs,
 * accounts and organizations"; names: database-names.ts), with the replicated
 * collections of shared/schemas it keeps (LOCAL_COLLECTION_NAMES) and the local-only `notices`. Signing out and switching
 * organization close it but never delete it, so unpushed changes survive until the same
 * account opens the same organization again.
 */
import {
  addRxPlugin,
  createRxDatabase,
  type RxCollection,
  type RxCollectionCreator,
  type RxDatabase,
  type RxJsonSchema,
  type RxStorage,
} from 'rxdb';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getAllotStorage } from './storage';
import { LOCAL_COLLECTION_NAMES, LOCAL_MIGRATIONS, rxSchemaOf, type DocOf, type LocalCollectionName } from '../../shared/schemas';
import type { Rejection } from '../../shared/sync';
import { createConflictHandler, type LostChange } from './conflict';
import { addNotice, noticeSchema, type Notice, type NoticeCollection } from './notices';

addRxPlugin(RxDBLeaderElectionPlugin);
// A new app version with changed schemas carries the device's data (unpushed changes and the
// replication's checkpoints included) over instead of failing to open it.
addRxPlugin(RxDBMigrationSchemaPlugin);

export type AllotCollections = { [C in LocalCollectionName]: RxCollection<DocOf<C>> } & { notices: NoticeCollection };
export type AllotDatabase = RxDatabase<AllotCollections>;
export type { Notice };

export interface OpenDatabaseOptions {
  /** Use `resolveDatabaseName(accountId, orgId, …)` (database-names.ts). */
  name: string;
  /** Default: IndexedDB through Dexie. Node tests pass getRxStorageMemory(). */
  storage?: RxStorage<unknown, unknown>;
  /** Several tabs share the database (browsers: true, the default; Node: false). */
  multiInstance?: boolean;
  /** Check every local write against the JSON schema (development: catches UI mistakes early). */
  validate?: boolean;
  /**
   * Only these replicated collections (default: all). Open-source RxDB allows 13 open
   * collections per JavaScript realm and a full database uses all 13 (12 + notices), so
   * tests that run two clients in one process open a few each.
   */
  collections?: readonly LocalCollectionName[];
  /**
   * Told, while a local database of an earlier local version migrates on opening (a one-time
   * upgrade that takes a minute for a large organization), the share of its documents done: 0–100.
   */
  onUpgrade?: (percent: number) => void;
}

/**
 * Follows the migrations RxDB runs for `collections` and tells `tell` the share of their
 * documents done (0–100, all collections together). Only running migrations count: a finished
 * one's status stays in the database and would otherwise say 100 % at every opening.
 */
function followUpgrade(collections: RxCollection[], tell: (percent: number) => void): () => void {
  const counts = new Map<string, { handled: number; total: number }>();
  const subscriptions = collections.map((c) =>
    c.getMigrationState().$.subscribe((status) => {
      if (status.status !== 'RUNNING') return;
      counts.set(c.name, status.count);
      let handled = 0;
      let total = 0;
      for (const n of counts.values()) {
        handled += n.handled;
        total += n.total;
      }
      if (total > 0) tell(Math.min(100, Math.floor((100 * handled) / total)));
    }),
  );
  return () => subscriptions.forEach((s) => s.unsubscribe());
}

/**
 * Per-database state shared by the conflict handlers and the replication: the server's
 * refusals of the last push, waiting for their conflict to be resolved.
 */
export interface SyncContext {
  collections: readonly LocalCollectionName[];
  rejections: Map<string, Rejection>;
  /** Called with every notice written (the status model counts them). */
  onNotice?: (notice: LostChange) => void;
}

const contexts = new WeakMap<object, SyncContext>();

export function syncContextOf(db: AllotDatabase): SyncContext {
  const ctx = contexts.get(db);
  if (!ctx) throw new Error('Not an Allot database (open it with openDatabase)');
  return ctx;
}

/**
 * Documents per batch when a local database of an earlier local version migrates on opening
 * (RxDB's migration, which copies every document into the new version's storage). RxDB's own
 * automatic migration takes 10 a batch, each batch a round of its replication protocol: a
 * 100,000-license organization's database took about ten minutes to open in Chromium
 * (`npm run bench`, localMigration100k); in batches of this size about a minute and a half,
 * 2.5–2.8× its first sync (larger batches measured no faster).
 */
export const MIGRATION_BATCH = 1000;

export async function openDatabase(opts: OpenDatabaseOptions): Promise<AllotDatabase> {
  const base = opts.storage ?? getAllotStorage();
  // Loaded only when asked for, so the app bundle does not carry ajv.
  const storage = opts.validate
    ? (await import('rxdb/plugins/validate-ajv')).wrappedValidateAjvStorage({ storage: base })
    : base;
  const db = await createRxDatabase<AllotCollections>({
    name: opts.name,
    storage,
    multiInstance: opts.multiInstance ?? typeof window !== 'undefined',
    eventReduce: true,
    // A second open of the same account's database (a test, or a hot reload) closes the first.
    closeDuplicates: true,
  });
  const collections = opts.collections ?? LOCAL_COLLECTION_NAMES;
  const ctx: SyncContext = { collections, rejections: new Map() };
  contexts.set(db, ctx);
  const conflictContext = {
    takeRejection(collection: string, docId: string) {
      const key = `${collection}:${docId}`;
      const r = ctx.rejections.get(key);
      ctx.rejections.delete(key);
      return r;
    },
    async report(lost: LostChange) {
      try {
        await addNotice(db.notices, lost);
      } catch (err) {
        // A notice that cannot be written must not block the replication; say so at least.
        console.error('allot: could not record a notice', err, lost);
      }
      ctx.onNotice?.(lost);
    },
  };
  const creators: Record<string, RxCollectionCreator> = { notices: { schema: noticeSchema } };
  for (const name of collections) {
    creators[name] = {
      // rxSchemaOf derives the JSON schema from valibot; RxDB's schema type cannot see that it fits the document type.
      schema: rxSchemaOf(name) as unknown as RxJsonSchema<DocOf<typeof name>>,
      conflictHandler: createConflictHandler(name, conflictContext),
      migrationStrategies: LOCAL_MIGRATIONS,
      // Migrated below, in large batches.
      autoMigrate: false,
    };
  }
  await db.addCollections(creators);
  const unfollow = opts.onUpgrade ? followUpgrade(collections.map((name) => db[name] as unknown as RxCollection), opts.onUpgrade) : null;
  try {
    await Promise.all(collections.map((name) => db[name].migratePromise(MIGRATION_BATCH)));
  } finally {
    unfollow?.();
  }
  // A tab that waited for another tab's migration may still hold writes back for a moment after
  // addCollections resolved (RxDB re-checks as the new leader); a screen's first edit must not fail.
  const migrating = () => Object.values(db.collections).some((c) => (c as { migrationInProgress?: boolean }).migrationInProgress);
  for (let waited = 0; migrating() && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return db;
}
