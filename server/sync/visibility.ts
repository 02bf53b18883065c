import { createHash } from 'node:crypto';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import { audienceOf, canSee as personCanSee, scopeKey, scopeOf, type Scope } from '../../shared/permissions';
import { personOf, type Principal } from '../auth/principal';
import type { PullFilter } from '../store/docs';

export type { Scope };

/** What of one collection the person may see, from shared/permissions.ts. */
export function scopeFor(p: Principal, collection: CollectionName): Scope {
  return scopeOf(personOf(p), collection);
}

/** A fingerprint of everything scopeFor depends on: when it changes, clients start their pulls over. */
export function scopeFingerprint(p: Principal): string {
  return createHash('sha256').update(scopeKey(personOf(p))).digest('base64url').slice(0, 22);
}

/**
 * The pull filter of a scope (undefined: everything of the organization): its conditions,
 * which the documents repository turns into conditions on its columns (shared/doc-fields.ts),
 * and the tombstone audiences the person receives.
 */
export function pullFilter(scope: Exclude<Scope, 'none'>): PullFilter | undefined {
  return scope === 'all' ? undefined : { scope, audiences: audienceOf(scope) };
}

export const canSee = (p: Principal, collection: CollectionName, doc: WireDoc): boolean =>
  personCanSee(personOf(p), collection, doc as Record<string, unknown>);
