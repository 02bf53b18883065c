import type { AppDeps } from '../app-env';
import { recordAudit, SERVER_ACTOR } from '../audit/record';
import { listDocs, orgsWith, orgTx } from '../store/docs';

const DAY_MS = 86_400_000;
/** Events removed per transaction: a long backlog goes in several, each recorded. */
const BATCH = 2000;

/**
 * Removes audit events older than AUDIT_RETENTION_DAYS (DESIGN §15) and records each removal
 * as an event of its own, in the transaction that removes. Removed events are deleted for
 * the admins' copies too (they replicate as deletions, emptied of their changes). Returns how
 * many were removed.
 */
export async function runAuditRetention(deps: AppDeps): Promise<{ removed: number }> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.config.AUDIT_RETENTION_DAYS * DAY_MS).toISOString();
  const old = { collection: 'auditEvents', updatedBefore: cutoff } as const;
  let removed = 0;
  for (const orgId of await orgsWith(deps.store.db, old)) {
    for (;;) {
      const n = await orgTx(deps.store, orgId, now, async (w) => {
        const batch = await listDocs(w.tx, { ...old, org: orgId }, { orderBy: 'seq', limit: BATCH });
        for (const e of batch) await w.put('auditEvents', { ...e, changes: [], summary: '', related: undefined, client: undefined, _deleted: true }, e);
        if (batch.length) {
          await recordAudit(w, {
            kind: 'retention',
            actor: SERVER_ACTOR,
            summary: `Removed ${batch.length} audit event${batch.length === 1 ? '' : 's'} older than ${deps.config.AUDIT_RETENTION_DAYS} days (before ${cutoff.slice(0, 10)})`,
          });
        }
        return batch.length;
      });
      removed += n;
      if (n < BATCH) break;
    }
  }
  return { removed };
}
