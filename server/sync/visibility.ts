import { createHash } from 'node:crypto';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { Principal } from '../auth/principal';
import { columnsOf, type PullFilter } from '../store/docs';

/** The filter columns a visibility condition may use (see columnsOf in store/docs.ts). */
export type ScopeColumn = 'team_id' | 'order_id' | 'assignee_account_id' | 'id' | 'account_id' | 'email';

/** What of one collection a person may see: everything of their organization, nothing, or rows matching any condition. */
export type Scope = 'all' | 'none' | { column: ScopeColumn; values: string[] }[];

export function scopeFor(p: Principal, collection: CollectionName): Scope {
  if (!p.orgId) return 'none';
  if (p.member) return 'all';
  if (collection === 'licenses') return [{ column: 'assignee_account_id', values: [p.account.id] }];
  if (collection === 'products') return 'all';
  return 'none';
}

/** A fingerprint of everything scopeFor depends on: when it changes, clients start their pulls over. */
export function scopeFingerprint(p: Principal): string {
  const key = JSON.stringify({
    org: p.orgId,
    m: p.member ? [p.member.id, p.member.isOrgAdmin, [...p.member.adminOfTeamIds].sort(), p.member.disabled] : null,
    c: p.contacts
      .map((c) => [c.id, [...c.roles].sort(), [...c.orderIds].sort(), c.disabled])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  });
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

export function sqlFilter(scope: Exclude<Scope, 'none'>): PullFilter | undefined {
  if (scope === 'all') return undefined;
  return {
    where: (qb) =>
      qb.where((eb: any) =>
        eb.or(scope.map((cond) => (cond.values.length ? eb(cond.column, 'in', cond.values) : eb.val(false)))),
      ),
  };
}

export function docInScope(collection: CollectionName, doc: WireDoc, scope: Scope): boolean {
  if (scope === 'all') return true;
  if (scope === 'none') return false;
  const cols = columnsOf(collection, doc as any) as Record<string, string | null>;
  return scope.some((cond) => {
    const val = cond.column === 'id' ? doc.id : cols[cond.column];
    return val != null && cond.values.includes(val);
  });
}

export const canSee = (p: Principal, collection: CollectionName, doc: WireDoc) =>
  (collection === 'products' || (doc as { orgId?: string }).orgId === p.orgId) && docInScope(collection, doc, scopeFor(p, collection));
