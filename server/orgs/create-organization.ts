import type { Kysely } from 'kysely';
import { normalizeEmail } from '../../shared/addresses';
import { newId } from '../../shared/ids';
import type { AppDeps } from '../app-env';
import { ensureAccount, requestSignIn } from '../auth/signin';
import { actorOf, auditValue, recordAudit } from '../audit/record';
import { docExists, orgTx } from '../store/docs';
import type { DB } from '../store/schema';

export interface NewOrganization {
  name: string;
  adminEmail: string;
  adminName?: string;
}

export interface CreatedOrganization {
  orgId: string;
  memberId: string;
  accountId: string;
  adminEmail: string;
}

/** Does the server hold any organization yet (first run, DESIGN §8)? */
export const organizationExists = (db: Kysely<DB>): Promise<boolean> => docExists(db, { collection: 'organizations' });

/**
 * An organization with its first org admin, then the admin's sign-in email (the account
 * stays unverified until that email is used). The first-run page, the CLI and the demo all
 * come through here. `adminEmail` must be an address (shared/addresses.ts).
 */
export async function createOrganization(
  deps: AppDeps,
  input: NewOrganization,
  opts: { signIn?: boolean; returnTo?: string } = {},
): Promise<CreatedOrganization> {
  const orgId = newId();
  const memberId = newId();
  const adminEmail = normalizeEmail(input.adminEmail);
  if (!adminEmail) throw new Error(`not an email address: ${input.adminEmail.slice(0, 300)}`);
  const adminName = input.adminName?.trim() || adminEmail.split('@')[0];
  const accountId = await orgTx(deps.store, orgId, deps.clock.now(), async (w) => {
    await w.put('organizations', { id: orgId, orgId, name: input.name.trim(), _deleted: false });
    const account = await ensureAccount(w.tx, adminEmail, w.now, { verified: false, name: adminName });
    await w.put('members', {
      id: memberId,
      orgId,
      accountId: account.id,
      email: adminEmail,
      name: adminName,
      isOrgAdmin: true,
      adminOfTeamIds: [],
      disabled: false,
      _deleted: false,
    });
    await recordAudit(w, {
      kind: 'create',
      actor: actorOf(account),
      collection: 'organizations',
      docId: orgId,
      changes: [{ field: 'name', after: auditValue(input.name.trim()) }],
      summary: `Created the organization with ${adminEmail} as its first admin`,
    });
    return account.id;
  });
  if (opts.signIn ?? true) await requestSignIn(deps, adminEmail, opts.returnTo ?? '/');
  return { orgId, memberId, accountId, adminEmail };
}
