import type { AppDeps } from '../app-env';
import type { Account } from '../auth/session';
import { listDocs, orgTx } from '../store/docs';
import { actorOf, recordAudit, type AuditClient } from './record';

/**
 * A member signed in (DESIGN §15): one event in each organization where the account is an
 * enabled member, so each organization's admins see their own members' sign-ins only.
 */
export async function auditSignIn(deps: AppDeps, account: Account, client?: AuditClient): Promise<void> {
  const members = await listDocs(deps.store.db, { collection: 'members', where: { accountId: account.id } });
  const orgs = [...new Set(members.filter((m) => !m.disabled).map((m) => m.orgId))];
  for (const orgId of orgs) {
    const member = members.find((m) => m.orgId === orgId)!;
    await orgTx(deps.store, orgId, deps.clock.now(), (w) =>
      recordAudit(w, {
        kind: 'sign-in',
        actor: actorOf(account),
        collection: 'members',
        docId: member.id,
        summary: `${account.email} signed in`,
        ...(client ? { client } : {}),
      }),
    );
  }
}
