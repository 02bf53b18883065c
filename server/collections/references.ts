import type { CollectionName } from '../../shared/schemas';
import { missingIds } from '../store/docs';
import type { OrgWriter } from '../store/docs';
import type { Refusal } from './types';

type AnyDoc = Record<string, unknown> & { _deleted?: boolean };

/** A reference from one field of a document to documents of another collection. */
export interface Reference {
  field: string;
  collection: CollectionName;
  ids(doc: AnyDoc): string[];
}

/** A field holding one id ('' = none). */
export const one = (field: string, collection: CollectionName): Reference => ({
  field,
  collection,
  ids: (d) => (typeof d[field] === 'string' && d[field] ? [d[field] as string] : []),
});

/** A field holding a list of ids. */
export const many = (field: string, collection: CollectionName): Reference => ({
  field,
  collection,
  ids: (d) => (Array.isArray(d[field]) ? (d[field] as string[]) : []),
});

/**
 * Every reference a row adds must name a live document of the same organization (of the
 * catalog, for products): ids taken from another organization (or made up) are refused with
 * `unknown-reference`. Only references the change adds are checked, so an old document
 * pointing at something since removed can still be edited.
 */
export async function checkReferences(w: OrgWriter, before: AnyDoc | undefined, after: AnyDoc, refs: readonly Reference[]): Promise<Refusal | null> {
  if (after._deleted) return null;
  for (const ref of refs) {
    const had = new Set(before && !before._deleted ? ref.ids(before) : []);
    const added = ref.ids(after).filter((x) => !had.has(x));
    const bad = await missingIds(w.tx, { collection: ref.collection, org: w.orgId }, added);
    if (bad.length) {
      return {
        code: 'unknown-reference',
        message: `${ref.field} names ${ref.collection} that are not part of this organization: ${bad.slice(0, 3).join(', ')}`,
        fields: [ref.field],
      };
    }
  }
  return null;
}
