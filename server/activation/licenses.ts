/**
 * The licenses a person holds, in every organization (DESIGN §3 "One account, many
 * organizations"), as activation sees them.
 */
import type { Kysely } from 'kysely';
import { licenseValidOn } from '../../shared/dates';
import { DEFAULT_MACHINES_PER_LICENSE, type WireDoc } from '../../shared/schemas';
import { findDoc, listDocs } from '../store/docs';
import type { DB } from '../store/schema';

/** The catalog's product with this code (the catalog is small: it is read whole). */
export async function productByCode(db: Kysely<DB>, code: string): Promise<WireDoc<'products'> | undefined> {
  const all = await listDocs(db, { collection: 'products' });
  return all.find((p) => p.code === code);
}

/** At most this many machines per license of the product (DESIGN §14: the catalog's, default 3). */
export const machinesPerLicense = (product: { machinesPerLicense?: number } | undefined): number =>
  product?.machinesPerLicense ?? DEFAULT_MACHINES_PER_LICENSE;

/** The licenses of a product the account holds today, in every organization. */
export async function heldLicenses(db: Kysely<DB>, accountId: string, productId: string, now: Date): Promise<WireDoc<'licenses'>[]> {
  const held = await listDocs(db, { collection: 'licenses', where: { assigneeAccountId: accountId, productId, status: 'assigned' } }, { orderBy: 'org_id' });
  return held.filter((l) => l.assignee?.accountId === accountId && licenseValidOn(l.validUntil, now));
}

/** A name for the organization or team of a license, for the pages and the ticket. */
export async function nameIn(db: Kysely<DB>, collection: 'organizations' | 'teams', id: string): Promise<string> {
  const d = await findDoc(db, collection, id);
  return d && !d._deleted ? d.name : '';
}
