/** Accounts (DESIGN §3: server-only, one per lower-cased address). */
import type { Kysely } from 'kysely';
import { newId } from '../../shared/ids';
import type { DB } from './schema';

export interface AccountRow {
  id: string;
  email: string;
  name: string;
  emailVerifiedAt: string | null;
}

/**
 * Finds or creates the account of an (already normalized) address; `verified` marks the
 * address as proven. A new account is named `name`, else after the address's local part.
 */
export async function ensureAccountRow(
  db: Kysely<DB>,
  address: string,
  nowIso: string,
  opts: { verified: boolean; name?: string },
): Promise<AccountRow> {
  await db
    .insertInto('accounts')
    .values({
      id: newId(),
      email: address,
      // No name until the person gives one (issue 16 §11: asked at first sign-in); never the address's local part.
      name: (opts.name?.trim() ?? '').slice(0, 200),
      email_verified_at: opts.verified ? nowIso : null,
      created_at: nowIso,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  if (opts.verified) {
    await db.updateTable('accounts').set({ email_verified_at: nowIso }).where('email', '=', address).where('email_verified_at', 'is', null).execute();
  }
  const acc = await accountByEmail(db, address);
  if (!acc) throw new Error(`account ${address} vanished while it was made`);
  return acc;
}

/** The account of an (already normalized) address, if there is one. */
export async function accountByEmail(db: Kysely<DB>, address: string): Promise<AccountRow | undefined> {
  const acc = await db.selectFrom('accounts').select(['id', 'email', 'name', 'email_verified_at']).where('email', '=', address).executeTakeFirst();
  return acc && { id: acc.id, email: acc.email, name: acc.name, emailVerifiedAt: acc.email_verified_at };
}

/** Sets the name an account goes by (already validated: trimmed, 1–200 characters). */
export async function setAccountName(db: Kysely<DB>, accountId: string, name: string): Promise<void> {
  await db.updateTable('accounts').set({ name }).where('id', '=', accountId).execute();
}

/** The account with this id, if there is one. */
export async function accountById(db: Kysely<DB>, id: string): Promise<AccountRow | undefined> {
  const acc = await db.selectFrom('accounts').select(['id', 'email', 'name', 'email_verified_at']).where('id', '=', id).executeTakeFirst();
  return acc && { id: acc.id, email: acc.email, name: acc.name, emailVerifiedAt: acc.email_verified_at };
}
