import { createHash } from 'node:crypto';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import {
  audienceOf,
  canSee as personCanSee,
  scopeKey,
  scopeOf,
  type Scope,
  type ScopeField,
} from '../../shared/permissions';
import { personOf, type Principal } from '../auth/principal';
import type { PullFilter } from '../store/docs';

export type { Scope };

/** The docs-table column that holds each scope field (see columnsOf in store/docs.ts). */
export const SCOPE_COLUMN: Record<ScopeField, 'id' | 'team_id' | 'order_id' | 'assignee_account_id' | 'account_id'> = {
  id: 'id',
  teamId: 'team_id',
  orderId: 'order_id',
  assigneeAccountId: 'assignee_account_id',
  accountId: 'account_id',
};

/** What of one collection the person may see, from shared/permissions.ts. */
export function scopeFor(p: Principal, collection: CollectionName): Scope {
  return scopeOf(personOf(p), collection);
}

/** A fingerprint of everything scopeFor depends on: when it changes, clients start their pulls over. */
export function scopeFingerprint(p: Principal): string {
  return createHash('sha256').update(scopeKey(personOf(p))).digest('base64url').slice(0, 22);
}

/** The scope as SQL conditions on the docs table (undefined: everything of the organization). */
export function sqlFilter(scope: Exclude<Scope, 'none'>, table = 'docs'): PullFilter | undefined {
  if (scope === 'all') return undefined;
  return {
    where: (qb) =>
      qb.where((eb: any) =>
        eb.or(
          scope.map((cond) =>
            cond.values.length ? eb(`${table}.${SCOPE_COLUMN[cond.field]}`, 'in', cond.values) : eb.val(false),
          ),
        ),
      ),
  };
}

/** The tombstone audiences the person receives for a collection. */
export const audienceFor = (p: Principal, collection: CollectionName) => audienceOf(scopeFor(p, collection));

export const canSee = (p: Principal, collection: CollectionName, doc: WireDoc) =>
  personCanSee(personOf(p), collection, doc as Record<string, unknown>);
