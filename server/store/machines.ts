/**
 * Machines a license is activated on (DESIGN §14): server-only rows, never replicated to a
 * client's local database (an organization's database already holds RxDB's 13 collections).
 * The holder reads theirs through `GET /api/me/licenses`, admins through
 * `GET /api/orgs/:orgId/machines`. The fingerprint itself is never kept: a machine's id is
 * derived from the license and the fingerprint (server/activation/activate.ts machineIdOf).
 */
import type { Kysely } from 'kysely';
import type { MachineInfo } from '../../shared/api';
import type { DB, MachinesTable } from './schema';

export type MachineRow = MachinesTable;

const info = (r: MachineRow): MachineInfo => ({
  id: r.id,
  licenseId: r.license_id,
  name: r.name,
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
  ...(r.deactivated_at ? { deactivatedAt: r.deactivated_at } : {}),
});

export async function machineById(db: Kysely<DB>, id: string): Promise<MachineRow | undefined> {
  return db.selectFrom('machines').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Creates the machine or records a check-in (name, lastSeenAt; a deactivated one is active again from now). */
export async function upsertMachine(db: Kysely<DB>, row: MachineRow): Promise<void> {
  await db
    .insertInto('machines')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        name: row.name,
        account_id: row.account_id,
        first_seen_at: row.first_seen_at,
        last_seen_at: row.last_seen_at,
        deactivated_at: row.deactivated_at,
      }),
    )
    .execute();
}

/** Marks a machine deactivated (it no longer counts against the license). */
export async function deactivateMachineRow(db: Kysely<DB>, id: string, at: string): Promise<void> {
  await db.updateTable('machines').set({ deactivated_at: at }).where('id', '=', id).where('deactivated_at', 'is', null).execute();
}

/** Deactivates every active machine of a license (a revoke, a delete, a new holder); returns their ids. */
export async function deactivateMachinesOfLicense(db: Kysely<DB>, licenseId: string, at: string): Promise<string[]> {
  const rows = await db.selectFrom('machines').select('id').where('license_id', '=', licenseId).where('deactivated_at', 'is', null).execute();
  if (!rows.length) return [];
  await db.updateTable('machines').set({ deactivated_at: at }).where('license_id', '=', licenseId).where('deactivated_at', 'is', null).execute();
  return rows.map((r) => r.id);
}

/** The machines a license is active on now, by this holder. */
export async function activeMachinesOf(db: Kysely<DB>, licenseId: string, accountId: string): Promise<MachineRow[]> {
  return db
    .selectFrom('machines')
    .selectAll()
    .where('license_id', '=', licenseId)
    .where('account_id', '=', accountId)
    .where('deactivated_at', 'is', null)
    .orderBy('first_seen_at')
    .execute();
}

/** A holder's active machines of these licenses, grouped by license id (My licenses, the /activate page). */
export async function holderMachines(db: Kysely<DB>, accountId: string, licenseIds: readonly string[]): Promise<Map<string, MachineInfo[]>> {
  const out = new Map<string, MachineInfo[]>();
  if (!licenseIds.length) return out;
  const rows = await db
    .selectFrom('machines')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('deactivated_at', 'is', null)
    .orderBy('first_seen_at')
    .orderBy('id')
    .execute();
  const wanted = new Set(licenseIds);
  for (const r of rows) {
    if (!wanted.has(r.license_id)) continue;
    out.set(r.license_id, [...(out.get(r.license_id) ?? []), info(r)]);
  }
  return out;
}

/**
 * An organization's machines, active and deactivated, newest check-in first; only those of
 * `licenseIds` when given (a team admin's licenses). At most `limit` rows.
 */
export async function orgMachines(db: Kysely<DB>, orgId: string, licenseIds: ReadonlySet<string> | null, limit: number): Promise<MachineInfo[]> {
  const rows = await db.selectFrom('machines').selectAll().where('org_id', '=', orgId).orderBy('last_seen_at', 'desc').orderBy('id').execute();
  const out: MachineInfo[] = [];
  for (const r of rows) {
    if (licenseIds && !licenseIds.has(r.license_id)) continue;
    out.push(info(r));
    if (out.length >= limit) break;
  }
  return out;
}
