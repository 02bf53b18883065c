/** The notices list of DESIGN §5, as the shell shows it. */
import { licenseRef } from '../../shared/license-ref';
import { shortId } from '../../shared/ids';
import type { Accessor } from 'solid-js';
import type { RxCollection } from 'rxdb';
import { dismissNotice, liveList, openNotices, type AllotDatabase, type Notice } from '../db';
import { isCollectionName, isLocalCollection } from '../../shared/schemas';

export const noticesOf = (db: AllotDatabase): Accessor<Notice[]> => liveList<Notice>(openNotices(db.notices));

export const dismiss = (db: AllotDatabase, id: string) => dismissNotice(db.notices, id);

export async function dismissAll(db: AllotDatabase, ids: string[]) {
  for (const id of ids) await dismissNotice(db.notices, id);
}

/**
 * "Keep mine": writes the person's values of a clash over the values that won, as a new local
 * change (it syncs like any edit, and clashes again only if someone changes those fields once
 * more), then dismisses the notice. Only for clashes: a refused value would be refused again.
 * False when the document is gone (deleted meanwhile).
 */
export async function keepMine(db: AllotDatabase, n: Notice): Promise<boolean> {
  if (n.reason !== 'conflict' || !isCollectionName(n.collectionName) || !isLocalCollection(n.collectionName)) return false;
  const collection: RxCollection = db[n.collectionName];
  const doc = await collection.findOne(n.docId).exec();
  if (!doc) return false;
  const mine: Record<string, unknown> = {};
  for (const f of n.fields) if (f !== '_deleted' && f in n.yourValues) mine[f] = n.yourValues[f];
  await doc.incrementalPatch(mine);
  await dismissNotice(db.notices, n.id);
  return true;
}

export const COLLECTION_WORDS: Record<string, string> = {
  organizations: 'Organization',
  members: 'Member',
  contacts: 'Contact',
  teams: 'Team',
  products: 'Product',
  orders: 'Order',
  licenses: 'License',
  invitations: 'Invitation',
  acceptances: 'Accepted invitation',
  invoices: 'Invoice',
  quotes: 'Quote',
  notifications: 'Notification',
};

/** A readable name for the document a notice is about (its local copy, or the values the person typed). */
export async function labelOf(db: AllotDatabase, n: Notice): Promise<string> {
  const pickName = (d: Record<string, unknown> | undefined | null) => {
    if (!d) return undefined;
    for (const k of ['name', 'reference', 'number', 'email', 'subject']) if (typeof d[k] === 'string' && d[k]) return d[k] as string;
    return undefined;
  };
  let fromDb: string | undefined;
  if (isCollectionName(n.collectionName) && isLocalCollection(n.collectionName)) {
    // Any collection: only the document's plain fields are read.
    const collection: RxCollection = db[n.collectionName];
    const doc = await collection.findOne(n.docId).exec();
    fromDb = pickName(doc?.toJSON());
  }
  return fromDb ?? pickName(n.yourValues) ?? (n.collectionName === 'licenses' ? licenseRef(n.docId) : shortId(n.docId));
}

export function showValue(v: unknown): string {
  if (v === undefined) return '(none)';
  if (v === null) return '(empty)';
  if (typeof v === 'string') return v === '' ? '(empty)' : v;
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : '(none)';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return JSON.stringify(v);
}
