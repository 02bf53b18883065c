/**
 * Which local database holds an (account, organization)'s data (DESIGN §5 "Tabs, accounts
 * and organizations": one database per pair). Names are `allot-<account>-<organization>`.
 *
 * Before organizations were named in every request, an account had ONE database,
 * `allot-<account>`, holding one organization's data and possibly changes not pushed yet.
 * That database is kept, not copied: the first time the account opens the organization it
 * belongs to, it becomes that pair's database (its replication checkpoints stay valid: the
 * organization's change numbers did not change). Which organization it belongs to is read
 * from the last /api/me the old app remembered, else from the documents it holds. The
 * decision is remembered on the device (localStorage `allot.databases`).
 */
import { LOCAL_COLLECTION_NAMES } from '../../shared/schemas';
import type { AllotDatabase } from './database';

const clean = (id: string) => id.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Database names must be lower-case letters, digits and a few signs; ids are UUIDs. */
export const databaseNameFor = (accountId: string, orgId: string) => `allot-${clean(accountId)}-${clean(orgId)}`;

/** The one database per account of earlier versions. */
export const legacyDatabaseNameFor = (accountId: string) => `allot-${clean(accountId)}`;

const KEY = 'allot.databases';

interface Registry {
  /** `account/organization` → database name, where it is not the usual one. */
  names: Record<string, string>;
  /** Account → the organization its earlier database belongs to; '' when it has none. */
  legacy: Record<string, string>;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function readRegistry(): Registry {
  try {
    const r = JSON.parse(storage()?.getItem(KEY) ?? '{}') as Partial<Registry>;
    return { names: r.names ?? {}, legacy: r.legacy ?? {} };
  } catch {
    return { names: {}, legacy: {} };
  }
}

function writeRegistry(r: Registry): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(r));
  } catch {
    // Storage full or disabled: the check runs again next time, with the same answer.
  }
}

export interface LegacyProbe {
  /** Whether the earlier database exists on this device (undefined: cannot tell, open it to see). */
  exists(name: string): Promise<boolean | undefined>;
  /** Opens a database by name (all collections), for reading which organization its documents belong to. */
  open(name: string): Promise<AllotDatabase>;
}

/** The organization of the first document found in `db` (every replicated document but a product names it), or null when it holds none. */
export async function organizationOfDocuments(db: AllotDatabase): Promise<string | null> {
  for (const name of LOCAL_COLLECTION_NAMES) {
    if (name === 'products' || !db[name]) continue;
    const doc = (await db[name].findOne().exec())?.toJSON() as { orgId?: string } | undefined;
    if (doc?.orgId) return doc.orgId;
  }
  return null;
}

/**
 * The database of (`accountId`, `orgId`): the earlier single database of the account when it
 * holds this organization's data, else `databaseNameFor(accountId, orgId)`. Never deletes anything.
 */
export async function resolveDatabaseName(accountId: string, orgId: string, probe: LegacyProbe): Promise<string> {
  const pair = `${accountId}/${orgId}`;
  let reg = readRegistry();
  if (!(accountId in reg.legacy)) {
    const legacy = legacyDatabaseNameFor(accountId);
    let owner: string | null = null;
    if ((await probe.exists(legacy)) !== false) {
      const db = await probe.open(legacy);
      try {
        owner = await organizationOfDocuments(db);
      } finally {
        await db.close();
      }
    }
    reg = readRegistry();
    reg.legacy[accountId] = owner ?? '';
    if (owner) reg.names[`${accountId}/${owner}`] = legacy;
    writeRegistry(reg);
  }
  return reg.names[pair] ?? databaseNameFor(accountId, orgId);
}

/**
 * The earlier database of `accountId` belongs to `orgId` (the last /api/me an earlier version
 * remembered said so). Called before that memory is replaced; a decision already made stands.
 */
export function noteLegacyOwner(accountId: string, orgId: string): void {
  const reg = readRegistry();
  if (accountId in reg.legacy) return;
  reg.legacy[accountId] = orgId;
  reg.names[`${accountId}/${orgId}`] = legacyDatabaseNameFor(accountId);
  writeRegistry(reg);
}

/** In a browser: does any IndexedDB database of RxDB's Dexie storage carry this RxDB name? */
export async function indexedDbHas(name: string): Promise<boolean | undefined> {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb || typeof idb.databases !== 'function') return undefined;
  try {
    const all = await idb.databases();
    return all.some((d) => d.name?.startsWith(`rxdb-dexie-${name}--`));
  } catch {
    return undefined;
  }
}
