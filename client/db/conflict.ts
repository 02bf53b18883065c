/**
 * The field-merge conflict rule of DESIGN §5, as pure functions, plus the RxDB conflict
 * handler built on it. A conflict reaches the client when a push assumed a master state
 * that is no longer the server's; the server answers with its real state and the client
 * decides here what it keeps.
 */
import type { RxConflictHandler, RxConflictHandlerInput, WithDeleted } from 'rxdb';
import type { Rejection } from '../../shared/sync';
import { sameValue } from '../../shared/equality';

export type PlainDoc = Record<string, unknown> & { _deleted?: boolean };

/** RxDB bookkeeping and server-set fields: never merged, always taken from the master. */
const NOT_MERGED = new Set(['_meta', '_rev', '_attachments', 'seq', 'updatedAt']);

// Deep equality of JSON values (key order ignored, undefined = absent): shared/equality.ts.
export { sameValue };

/** Document equality as replication needs it: RxDB's local metadata does not count. */
export function sameDoc(a: PlainDoc, b: PlainDoc): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === '_meta' || k === '_rev' || k === '_attachments') continue;
    if (k === '_deleted' ? !!a[k] !== !!b[k] : !sameValue(a[k], b[k])) return false;
  }
  return true;
}

function mergeableFields(...docs: (PlainDoc | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const d of docs) if (d) for (const k of Object.keys(d)) if (!NOT_MERGED.has(k)) keys.add(k);
  return [...keys].sort();
}

/** Fields whose value differs between two states (ignoring server-set fields). */
export function changedFields(before: PlainDoc | undefined, after: PlainDoc): string[] {
  if (!before) return mergeableFields(after).filter((k) => k !== '_deleted' && after[k] !== undefined);
  return mergeableFields(before, after).filter((k) =>
    k === '_deleted' ? !!before[k] !== !!after[k] : !sameValue(before[k], after[k]),
  );
}

export interface MergeInput<D extends PlainDoc = PlainDoc> {
  /** What the client last saw from the server; absent for a document the client created. */
  assumed?: D;
  /** The server's state now. */
  real: D;
  /** The client's state, which it tried to push. */
  local: D;
}

export interface MergeResult<D extends PlainDoc = PlainDoc> {
  /** The state the client keeps (and pushes again when it differs from `real`). */
  doc: D;
  /** Fields where the local value lost to the server's. */
  lost: string[];
  /** Fields where the local value was kept over the server's unchanged one. */
  kept: string[];
}

const isStringSet = (x: unknown): x is string[] => Array.isArray(x) && x.every((e) => typeof e === 'string');

/**
 * Both sides changed a list of plain values (roles, allowed domains, team-admin lists, an
 * order-specific contact's orders): such a list is a set, so each side's additions and removals
 * are applied to the server's list and both are kept. Null when the field is not such a list on
 * every side. The server's order comes first, then the local additions in their order.
 */
export function mergeStringSets(assumed: unknown, real: unknown, local: unknown): string[] | null {
  if (!isStringSet(assumed) || !isStringSet(real) || !isStringSet(local)) return null;
  const removed = new Set(assumed.filter((x) => !local.includes(x)));
  const out = real.filter((x) => !removed.has(x));
  for (const x of local) if (!assumed.includes(x) && !out.includes(x)) out.push(x);
  return out;
}

/**
 * Field by field against the assumed master: a field only the client changed keeps the
 * client's value; a field both changed (to different values) takes the server's. A
 * document the server deleted stays deleted; a document the client deleted stays deleted
 * unless the server deleted it too. `seq` and `updatedAt` always come from the server.
 * A list of plain values that both changed merges as a set (mergeStringSets): two admins who
 * add different roles to one contact keep both.
 */
export function mergeConflict<D extends PlainDoc>({ assumed, real, local }: MergeInput<D>): MergeResult<D> {
  const doc: PlainDoc = { ...real };
  const lost: string[] = [];
  const kept: string[] = [];
  if (!assumed) {
    // Without a common ancestor the server's state wins; every differing local value is reported.
    for (const f of changedFields(real, local)) if (f !== '_deleted') lost.push(f);
    return { doc: doc as D, lost, kept };
  }
  if (real._deleted && !local._deleted) {
    for (const f of changedFields(assumed, local)) lost.push(f);
    return { doc: doc as D, lost, kept };
  }
  for (const f of mergeableFields(assumed, real, local)) {
    const eq = f === '_deleted' ? (a: unknown, b: unknown) => !!a === !!b : sameValue;
    const localChanged = !eq(local[f], assumed[f]);
    if (!localChanged) continue;
    const serverChanged = !eq(real[f], assumed[f]);
    if (!serverChanged) {
      if (local[f] === undefined) delete doc[f];
      else doc[f] = local[f];
      kept.push(f);
    } else if (!eq(local[f], real[f])) {
      const merged = mergeStringSets(assumed[f], real[f], local[f]);
      if (merged === null) {
        lost.push(f);
      } else if (!sameValue(merged, real[f])) {
        doc[f] = merged;
        kept.push(f);
      }
    }
  }
  return { doc: doc as D, lost, kept };
}

export function pick(doc: PlainDoc | undefined, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!doc) return out;
  for (const f of fields) if (doc[f] !== undefined) out[f] = doc[f];
  return out;
}

/** What a losing or refused local change leaves behind for the notices list. */
export interface LostChange {
  collection: string;
  docId: string;
  fields: string[];
  yourValues: Record<string, unknown>;
  serverValues?: Record<string, unknown>;
  reason: string;
  message: string;
  /** The server's change number the clash was against (makes a retried resolution idempotent). */
  againstSeq: number;
}

/**
 * Decides one conflict: a row the server refused (`rejection` given) reverts to the
 * server's state entirely; anything else is merged field by field. Returns the state to
 * keep and, when a local value did not win, what to tell the person.
 */
export function resolveConflict(
  collection: string,
  input: { assumedMasterState?: PlainDoc; realMasterState: PlainDoc; newDocumentState: PlainDoc },
  rejection?: Rejection,
): { doc: PlainDoc; lost?: LostChange } {
  const { assumedMasterState: assumed, realMasterState: real, newDocumentState: local } = input;
  const docId = String(local.id ?? real.id ?? '');
  const againstSeq = typeof real.seq === 'number' ? real.seq : 0;
  if (rejection) {
    const changed = changedFields(assumed, local).filter((f) => f !== '_deleted');
    const fields = rejection.fields?.length ? rejection.fields : changed;
    const shown = [...new Set([...fields, ...changed])];
    // A refused new document comes back as a deleted copy of itself: there are no server values to show.
    const serverKnowsIt = !(real._deleted && againstSeq === 0);
    return {
      doc: real,
      lost: {
        collection,
        docId,
        fields,
        yourValues: pick(local, shown),
        ...(serverKnowsIt ? { serverValues: pick(real, shown) } : {}),
        reason: rejection.code,
        message: rejection.message,
        againstSeq,
      },
    };
  }
  const { doc, lost } = mergeConflict({ assumed, real, local });
  if (!lost.length) return { doc };
  return {
    doc,
    lost: {
      collection,
      docId,
      fields: lost,
      yourValues: pick(local, lost),
      serverValues: pick(real, lost),
      reason: 'conflict',
      message: real._deleted
        ? 'This was deleted by someone else while you changed it.'
        : 'Someone else changed the same fields at the same time; their values were kept.',
      againstSeq,
    },
  };
}

export interface ConflictContext {
  /** Takes (and forgets) the server's refusal of this document from the last push, if any. */
  takeRejection(collection: string, docId: string): Rejection | undefined;
  /** Records a local value that did not win. */
  report(lost: LostChange): Promise<void>;
}

/** The RxDB conflict handler of one collection. */
export function createConflictHandler<T>(collection: string, ctx: ConflictContext): RxConflictHandler<T> {
  return {
    isEqual: (a, b) => sameDoc(a as PlainDoc, b as PlainDoc),
    async resolve(input: RxConflictHandlerInput<T>) {
      const plain = input as unknown as {
        assumedMasterState?: PlainDoc;
        realMasterState: PlainDoc;
        newDocumentState: PlainDoc;
      };
      const id = String(plain.newDocumentState.id ?? plain.realMasterState.id ?? '');
      const { doc, lost } = resolveConflict(collection, plain, ctx.takeRejection(collection, id));
      if (lost) await ctx.report(lost);
      return doc as unknown as WithDeleted<T>;
    },
  };
}
