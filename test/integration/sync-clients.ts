/**
 * Real RxDB clients (memory storage, or the app's own IndexedDB storage over fake-indexeddb)
 * replicating with a test server over its real port, each with a network that a test can cut (every open request, the live stream included,
 * fails at once) and a log of what it sent.
 */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { expect, vi } from 'vitest';
import { openDatabase, type AllotDatabase } from '../../client/db/database';
import { startSync, type SyncHandle } from '../../client/db/replication';
import { getAllotStorage } from '../../client/db/storage';
import { newId } from '../../shared/ids';
import type { TestServer } from '../helpers/server';
import type { LocalCollectionName } from '../../shared/schemas';

export interface Network {
  fetch: typeof fetch;
  cut(): void;
  restore(): void;
  /** From now on, answers to requests whose path ends with `suffix` reach the client `ms` late (0: on time again). */
  delayAnswers(suffix: string, ms: number): void;
  /** Holds the answers to paths ending in `suffix` (those that arrive from now on) until the returned function is called. */
  holdAnswers(suffix: string): () => void;
  /** Every request that went out: its path and body. */
  sent: { path: string; body: string }[];
}

export function cuttableNetwork(): Network {
  let cut = false;
  const delays = new Map<string, number>();
  const holds = new Map<string, Promise<void>>();
  const open = new Set<AbortController>();
  const sent: Network['sent'] = [];
  const f: typeof fetch = async (input, init) => {
    if (cut) throw new TypeError('fetch failed: the network is cut');
    const ctrl = new AbortController();
    open.add(ctrl);
    const signal = init?.signal ? AbortSignal.any([init.signal, ctrl.signal]) : ctrl.signal;
    const url = new URL(String(input));
    sent.push({ path: url.pathname, body: typeof init?.body === 'string' ? init.body : '' });
    try {
      const res = await fetch(input, { ...init, signal });
      const late = [...delays].find(([suffix]) => url.pathname.endsWith(suffix))?.[1] ?? 0;
      if (late) await new Promise((r) => setTimeout(r, late));
      const held = [...holds].find(([suffix]) => url.pathname.endsWith(suffix))?.[1];
      if (held) await held;
      return res;
    } finally {
      // The stream's body is still being read: keep its controller so a cut can end it.
      if (!url.pathname.endsWith('/stream')) open.delete(ctrl);
    }
  };
  return {
    fetch: f,
    cut() {
      cut = true;
      for (const c of open) c.abort(new TypeError('the network is cut'));
      open.clear();
    },
    restore() {
      cut = false;
    },
    delayAnswers(suffix, ms) {
      if (ms) delays.set(suffix, ms);
      else delays.delete(suffix);
    },
    holdAnswers(suffix) {
      let release!: () => void;
      holds.set(suffix, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        holds.delete(suffix);
        release();
      };
    },
    sent,
  };
}

export type ClientStorage = 'memory' | 'indexeddb';

/**
 * The server databases and client storages a sync suite runs on: the app's own storage
 * (IndexedDB over fake-indexeddb: the bulk first sync, inserts without reads) on SQLite; RxDB's
 * memory storage on both databases.
 */
export const STORAGE_CASES = [
  { dialect: 'sqlite', kept: 'memory' },
  { dialect: 'sqlite', kept: 'indexeddb' },
  { dialect: 'postgres', kept: 'memory' },
] as const satisfies readonly { dialect: 'sqlite' | 'postgres'; kept: ClientStorage }[];

export interface Client {
  db: AllotDatabase;
  sync: SyncHandle;
  net: Network;
  close(): Promise<void>;
}

export async function openClient(
  server: TestServer,
  cookie: string,
  orgId: string,
  label: string,
  collections: LocalCollectionName[] = ['organizations', 'members', 'contacts', 'notifications'],
  /** Runs on the new database before its sync starts (e.g. a local write made first). */
  beforeSync?: (db: AllotDatabase) => Promise<void>,
  /** Where it keeps its documents: RxDB's memory storage, or the app's own (client/db/storage.ts) on fake-indexeddb. */
  kept: ClientStorage = 'memory',
): Promise<Client> {
  const net = cuttableNetwork();
  const db = await openDatabase({
    name: `client-${label}-${newId().slice(0, 8)}`,
    storage: kept === 'memory' ? getRxStorageMemory() : (getAllotStorage({ indexedDB, IDBKeyRange }) as never),
    multiInstance: false,
    validate: true,
    collections,
  });
  await beforeSync?.(db);
  const sync = startSync(db, {
    orgId,
    baseUrl: server.url,
    fetch: net.fetch,
    headers: { cookie, origin: server.url },
    retryTime: 100,
    reconnectDelay: { min: 50, max: 200 },
  });
  return {
    db,
    sync,
    net,
    async close() {
      await sync.stop();
      await db.close();
    },
  };
}

export const eventually = <T>(fn: () => T | Promise<T>, timeout = 30_000) => vi.waitFor(fn, { timeout, interval: 50 });

/** A client's live contacts as plain JSON, sorted by id. */
export async function contactsOf(c: Client) {
  const docs = await c.db.contacts.find().exec();
  return docs.map((d) => d.toJSON()).sort((a, b) => a.id.localeCompare(b.id));
}

/** Waits until the client has nothing to push and agrees with the server. */
export async function settled(c: Client) {
  await eventually(async () => {
    expect(c.sync.getStatus().pending).toBe(0);
    await c.sync.awaitInSync();
  });
}

/** Both clients settled and holding the same contacts. */
export async function converged(a: Client, b: Client) {
  await eventually(async () => {
    await settled(a);
    await settled(b);
    expect(await contactsOf(a)).toEqual(await contactsOf(b));
  });
}

export function contact(orgId: string, over: Record<string, unknown> = {}) {
  const id = newId();
  return {
    id,
    orgId,
    name: 'Grace Hopper',
    // One contact per address in an organization: each made here has its own.
    email: `grace-${id.slice(0, 8)}@acme.test`,
    roles: ['primaryTechnical' as const],
    orderIds: [],
    disabled: false,
    source: 'manual' as const,
    seq: 0,
    updatedAt: '',
    ...over,
  };
}

/** An organization with two org admins, each with a client. */
export async function twoAdmins(server: TestServer) {
  const tag = newId().slice(0, 8);
  const org = await server.createOrg(`Org ${tag}`, `ada-${tag}@acme.test`);
  const bobEmail = `bob-${tag}@acme.test`;
  const bobCookie = await server.signIn(bobEmail);
  const bobMember = {
    id: newId(),
    orgId: org.orgId,
    accountId: await server.accountId(bobEmail),
    email: bobEmail,
    name: 'Bob',
    isOrgAdmin: true,
    adminOfTeamIds: [] as string[],
    disabled: false,
  };
  await server.put(org.orgId, 'members', [bobMember]);
  const a = await openClient(server, org.cookie, org.orgId, 'a');
  const b = await openClient(server, bobCookie, org.orgId, 'b');
  return { org, a, b, bobMember, async close() {
    await a.close();
    await b.close();
  } };
}

/** Two admins' clients (`twoAdmins`) holding one contact that A made: resolves once B has it. */
export async function sharedContact(server: TestServer) {
  const pair = await twoAdmins(server);
  const doc = contact(pair.org.orgId);
  await pair.a.db.contacts.insert(doc);
  await eventually(async () => expect(await pair.b.db.contacts.findOne(doc.id).exec()).not.toBeNull());
  return { ...pair, id: doc.id };
}

/** Resolves at the first write of documents into `db`'s contacts (a first page of a sync has arrived). */
export function firstContactsWritten(db: AllotDatabase): Promise<void> {
  return new Promise<void>((resolve) => {
    const sub = db.contacts.eventBulks$.subscribe((bulk) => {
      if (!bulk.events.length) return;
      sub.unsubscribe();
      resolve();
    });
  });
}
