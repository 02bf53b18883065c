import { revokes } from '../../shared/equality';
import { actionOf } from '../../shared/permissions';
import type { AuditKind, CollectionName, WireDoc } from '../../shared/schemas';
import type { Principal } from '../auth/principal';
import type { OrgWriter } from '../store/docs';
import { actorOf, changesOf, docWord, recordAudit, type AuditClient } from './record';

const VERB: Record<'create' | 'update' | 'delete', string> = { create: 'Created', update: 'Changed', delete: 'Deleted' };

/** The kind of a pushed change: a revoke and a waitlist removal are named; else create, update or delete. */
function kindOf(collection: CollectionName, before: WireDoc | undefined, after: WireDoc): AuditKind {
  const action = actionOf(before as Record<string, unknown> | undefined, after as Record<string, unknown>);
  if (collection === 'licenses' && before && revokes(before as Record<string, unknown>, after as Record<string, unknown>)) return 'revoke';
  if (collection === 'waitlistEntries' && action === 'delete') return 'waitlist-remove';
  return action;
}

/**
 * The audit event of one accepted pushed row (DESIGN §15): who, which collection and document,
 * which fields before → after, from which client; in the push's transaction.
 */
export async function auditPushed<C extends CollectionName>(
  w: OrgWriter,
  who: Principal,
  collection: C,
  before: WireDoc<C> | undefined,
  after: WireDoc<C>,
  client: AuditClient | undefined,
): Promise<void> {
  const kind = kindOf(collection, before, after);
  const a = after as Record<string, unknown>;
  const b = before && !before._deleted ? (before as Record<string, unknown>) : undefined;
  let summary: string;
  if (kind === 'revoke') {
    const holder = (before as { assignee?: { email?: string } } | undefined)?.assignee?.email;
    summary = holder ? `Revoked the license of ${holder}` : 'Revoked a license';
  } else if (kind === 'waitlist-remove') {
    summary = `Removed ${(before as { account?: { email?: string } } | undefined)?.account?.email ?? 'someone'} from a waitlist`;
  } else {
    const action = kind as 'create' | 'update' | 'delete';
    summary = `${VERB[action]} ${docWord(collection)}`;
  }
  await recordAudit(w, {
    kind,
    actor: actorOf(who.account),
    collection,
    docId: after.id,
    changes: changesOf(b, a),
    summary,
    ...(client ? { client } : {}),
  });
}
