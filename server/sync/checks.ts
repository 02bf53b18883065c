import { sql } from 'kysely';
import type { CollectionName } from '../../shared/schemas';
import { normalizeEmail } from '../../shared/addresses';
import type { Rejection } from '../../shared/sync';
import { isLastOrgAdmin, losesOrgAdmin } from '../../shared/permissions';
import { CATALOG_ORG, rowToDoc, type OrgWriter } from '../store/docs';
import type { PushCheck } from './effects';

type Refusal = Omit<Rejection, 'id'> | null;

/** The ids among `ids` that are not live documents of this organization (or of the catalog, for products). */
async function missing(w: OrgWriter, collection: CollectionName, ids: string[]): Promise<string[]> {
  const want = [...new Set(ids.filter((x) => x !== ''))];
  if (!want.length) return [];
  const rows = await w.tx
    .selectFrom('docs')
    .select('id')
    .where('collection', '=', collection)
    .where('id', 'in', want)
    .where('org_id', '=', collection === 'products' ? CATALOG_ORG : w.orgId)
    .where('deleted', '=', 0)
    .execute();
  const found = new Set(rows.map((r) => r.id));
  return want.filter((x) => !found.has(x));
}

/**
 * Every reference a row adds must name a live document of the same organization: ids taken
 * from another organization (or made up) are refused. Only references the change adds are
 * checked, so an old document pointing at something since removed can still be edited.
 */
async function references(
  w: OrgWriter,
  before: Record<string, any> | undefined,
  after: Record<string, any>,
  refs: { field: string; collection: CollectionName; ids: (d: Record<string, any>) => string[] }[],
): Promise<Refusal> {
  if (after._deleted) return null;
  for (const ref of refs) {
    const had = new Set(before && !before._deleted ? ref.ids(before) : []);
    const added = ref.ids(after).filter((x) => !had.has(x));
    const bad = await missing(w, ref.collection, added);
    if (bad.length) {
      return {
        code: 'unknown-reference',
        message: `${ref.field} names ${ref.collection} that are not part of this organization: ${bad.slice(0, 3).join(', ')}`,
        fields: [ref.field],
      };
    }
  }
  return null;
}

const one = (field: string) => (d: Record<string, any>) => (typeof d[field] === 'string' && d[field] ? [d[field]] : []);
const lineProducts = (d: Record<string, any>) => ((d.lines ?? []) as { productId: string }[]).map((l) => l.productId);

/** The last org admin can be neither removed, disabled nor demoted. */
const lastOrgAdmin: PushCheck<'members'> = async ({ w, before, after }) => {
  if (!losesOrgAdmin(before, after)) return null;
  const rows = await w.tx
    .selectFrom('docs')
    .select(['data', 'seq', 'updated_at', 'deleted'])
    .where('org_id', '=', w.orgId)
    .where('collection', '=', 'members')
    .where('deleted', '=', 0)
    .execute();
  if (!isLastOrgAdmin(rows.map((r) => rowToDoc<'members'>(r)), after.id)) return null;
  return {
    code: 'last-org-admin',
    message: 'The organization needs at least one admin: make someone else an org admin first',
    fields: ['isOrgAdmin'],
  };
};

/** A row that makes a document live that was not (new, or brought back after a delete). */
export const isArriving = (before: { _deleted: boolean } | undefined, after: { _deleted: boolean }) =>
  !after._deleted && (!before || before._deleted);

/**
 * One member per person and organization, and one organization per person: an arriving
 * member's address must not be a live member's here (by address or by the account it names),
 * nor the account of a member of another organization — adding them would move that person's
 * sign-in out of their organization. Pushes of one organization are serialized by its change
 * counter (orgTx), so two admins adding the same person at once cannot both pass.
 */
const arrivingMember: PushCheck<'members'> = async ({ w, before, after, deps }) => {
  if (!isArriving(before, after)) return null;
  // The server makes an account for this address, so it must be one (the schema only bounds it).
  const address = normalizeEmail(after.email);
  if (!address) return { code: 'invalid-document', message: 'A new member needs a valid email address', fields: ['email'] };
  // Two organizations adding the same person at once hold different change counters; on
  // PostgreSQL this lock (until commit) makes the second see the first's member. SQLite has
  // one writer at a time already.
  if (deps.store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${address}))`.execute(w.tx);
  const account = await w.tx.selectFrom('accounts').select('id').where('email', '=', address).executeTakeFirst();
  const members = await w.tx
    .selectFrom('docs')
    .select(['org_id', 'id'])
    .where('collection', '=', 'members')
    .where('deleted', '=', 0)
    .where('id', '!=', after.id)
    .where((eb) =>
      eb.or([
        eb.and([eb('org_id', '=', w.orgId), eb(eb.fn('lower', ['email']), '=', address)]),
        ...(account ? [eb('account_id', '=', account.id)] : []),
      ]),
    )
    .execute();
  if (members.some((m) => m.org_id === w.orgId)) {
    return { code: 'member-exists', message: `${address} is already a member of this organization`, fields: ['email'] };
  }
  if (members.length) {
    return { code: 'member-elsewhere', message: `${address} is a member of another organization on this server`, fields: ['email'] };
  }
  // A contact or a license holder of another organization signs in there (server/auth/principal.ts): making
  // them a member here would take them out of it.
  const contact = await w.tx
    .selectFrom('docs')
    .select('id')
    .where('collection', '=', 'contacts')
    .where('email', '=', address)
    .where('org_id', '!=', w.orgId)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  const holds = account
    ? await w.tx
        .selectFrom('docs')
        .select('id')
        .where('collection', '=', 'licenses')
        .where('assignee_account_id', '=', account.id)
        .where('org_id', '!=', w.orgId)
        .where('deleted', '=', 0)
        .executeTakeFirst()
    : undefined;
  if (contact || holds) {
    return { code: 'member-elsewhere', message: `${address} belongs to another organization on this server`, fields: ['email'] };
  }
  return null;
};

/**
 * DESIGN §9's invariants, checked before writing so that a row breaking one is refused like
 * any other (the database's unique indexes stay as the last guard; hitting one would abort
 * the whole push).
 */
const uniqueToken: PushCheck<'invitations'> = async ({ w, after }) => {
  // Deleted invitations keep their token in the unique index too.
  const taken = await w.tx
    .selectFrom('docs')
    .select('id')
    .where('collection', '=', 'invitations')
    .where('token', '=', after.token)
    .where('id', '!=', after.id)
    .executeTakeFirst();
  return taken
    ? { code: 'token-taken', message: 'Another invitation already uses this link; create the invitation again for a new one', fields: ['token'] }
    : null;
};

const oneLicensePerPerson: PushCheck<'licenses'> = async ({ w, after }) => {
  if (after._deleted || after.status !== 'assigned' || !after.assignee) return null;
  const held = await w.tx
    .selectFrom('docs')
    .select('id')
    .where('collection', '=', 'licenses')
    .where('team_id', '=', after.teamId)
    .where('product_id', '=', after.productId)
    .where('assignee_account_id', '=', after.assignee.accountId)
    .where('status', '=', 'assigned')
    .where('deleted', '=', 0)
    .where('id', '!=', after.id)
    .executeTakeFirst();
  return held
    ? {
        code: 'holder-has-license',
        message: `${after.assignee.name || after.assignee.email} already holds a license of this product in that team`,
        fields: ['teamId'],
      }
    : null;
};

/** (Quotes name no organization documents: a quote request's lines are free text for the vendor to price.) */
export const referenceChecks: { [C in CollectionName]?: PushCheck<C> } = {
  members: async (ctx) =>
    (await lastOrgAdmin(ctx)) ??
    (await arrivingMember(ctx)) ??
    references(ctx.w, ctx.before, ctx.after, [{ field: 'adminOfTeamIds', collection: 'teams', ids: (d) => d.adminOfTeamIds ?? [] }]),
  contacts: async ({ w, before, after }) =>
    references(w, before, after, [{ field: 'orderIds', collection: 'orders', ids: (d) => d.orderIds ?? [] }]),
  orders: async ({ w, before, after }) =>
    (isArriving(before, after) && !after.licensee && !after.licenseeContactId
      ? { code: 'invalid-document', message: 'An order needs a licensee: licenseeContactId or licensee {name, email}', fields: ['licenseeContactId'] }
      : null) ??
    references(w, before, after, [
      { field: 'teamId', collection: 'teams', ids: one('teamId') },
      { field: 'lines', collection: 'products', ids: lineProducts },
      { field: 'licenseeContactId', collection: 'contacts', ids: one('licenseeContactId') },
      { field: 'billingContactId', collection: 'contacts', ids: one('billingContactId') },
    ]),
  licenses: async (ctx) =>
    (await references(ctx.w, ctx.before, ctx.after, [
      { field: 'teamId', collection: 'teams', ids: one('teamId') },
      { field: 'orderId', collection: 'orders', ids: one('orderId') },
      { field: 'productId', collection: 'products', ids: one('productId') },
    ])) ?? oneLicensePerPerson(ctx),
  invitations: async (ctx) =>
    (await references(ctx.w, ctx.before, ctx.after, [
      { field: 'teamId', collection: 'teams', ids: one('teamId') },
      { field: 'productId', collection: 'products', ids: one('productId') },
    ])) ?? uniqueToken(ctx),
  invoices: async ({ w, before, after }) =>
    references(w, before, after, [{ field: 'orderId', collection: 'orders', ids: one('orderId') }]),
};
