import type { Kysely } from 'kysely';
import type { MeResponse, MyLicense, MyLicensesResponse, MyOrganization, MyWaitlistPlace } from '../../shared/api';
import { DEFAULT_MACHINES_PER_LICENSE, type License } from '../../shared/schemas';
import { listDocs } from '../store/docs';
import { holderMachines } from '../store/machines';
import type { AccountRow as Account } from '../store/accounts';
import type { DB } from '../store/schema';
import { personOf, principalsOf } from './principal';
import { positionOf } from '../waitlist/queue';

const byName = <T extends { name: string; id: string }>(a: T, b: T) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The `GET /api/me` answer (DESIGN §5, shared/api.ts MeResponse): the account and every
 * organization it has reach in, ordered by name, each with what the person is there —
 * built from the same per-organization principals `/api/orgs/:orgId/sync/…` authorizes
 * with, so the client shows exactly what it will be allowed in each.
 */
export async function meAnswer(db: Kysely<DB>, account: Account): Promise<MeResponse> {
  const principals = await principalsOf(db, account);
  const names = new Map(
    (await listDocs(db, { collection: 'organizations', where: { id: principals.map((p) => p.orgId) } })).map((o) => [o.id, o.name]),
  );
  const organizations: MyOrganization[] = principals.map((p) => {
    const person = personOf(p);
    return {
      id: p.orgId,
      name: names.get(p.orgId) ?? '',
      isOrgAdmin: person.isOrgAdmin,
      adminOfTeamIds: [...person.adminOfTeamIds],
      roles: [...person.roles],
      holdsLicense: person.holdsLicense,
      memberId: person.memberId,
      orderIds: [...person.orderIds],
      // Only a partner's entry carries these (everyone else's answer is as it was).
      ...(person.isPartner ? { isPartner: true, placedOrderIds: [...person.placedOrderIds] } : {}),
    };
  });
  organizations.sort(byName);
  return { account: { id: account.id, email: account.email, name: account.name }, organizations };
}

/**
 * The `GET /api/me/licenses` answer (DESIGN §5 "My licenses"): every license the account
 * holds, in every organization, with the organization, product and team it comes from —
 * whatever else the person is (or is not) there. Ordered by organization name, then product
 * name, then when it was assigned. `machines`: the machines each license is active on now
 * (DESIGN §14), first activated first.
 */
export async function myLicenses(db: Kysely<DB>, account: Account): Promise<MyLicensesResponse> {
  const [licenses, waiting] = await Promise.all([heldLicenses(db, account), myWaitlists(db, account)]);
  return waiting.length ? { licenses, waiting } : { licenses };
}

/**
 * The waitlists the account is on, in every organization (DESIGN §6 Waitlist), each with its
 * place in line; ordered by organization name, then product name, then when they joined.
 */
export async function myWaitlists(db: Kysely<DB>, account: Account): Promise<MyWaitlistPlace[]> {
  const entries = await listDocs(db, { collection: 'waitlistEntries', where: { assigneeAccountId: account.id, status: 'waiting' } }, { orderBy: 'id' });
  if (!entries.length) return [];
  const ids = (f: (e: (typeof entries)[number]) => string) => [...new Set(entries.map(f))];
  const [orgs, teams, products, invitations] = await Promise.all([
    listDocs(db, { collection: 'organizations', where: { id: ids((e) => e.orgId) } }),
    listDocs(db, { collection: 'teams', where: { id: ids((e) => e.teamId) }, withDeleted: true }),
    listDocs(db, { collection: 'products', where: { id: ids((e) => e.productId) }, withDeleted: true }),
    listDocs(db, { collection: 'invitations', where: { id: ids((e) => e.invitationId) }, withDeleted: true }),
  ]);
  const org = new Map(orgs.map((o) => [o.id, o]));
  const team = new Map(teams.map((t) => [t.id, t]));
  const product = new Map(products.map((p) => [p.id, p]));
  const invitation = new Map(invitations.map((i) => [i.id, i]));
  const out: MyWaitlistPlace[] = [];
  for (const e of entries) {
    const o = org.get(e.orgId);
    const inv = invitation.get(e.invitationId);
    if (!o || !inv || inv._deleted || !inv.token) continue;
    const p = product.get(e.productId);
    out.push({
      organization: { id: o.id, name: o.name },
      product: { code: p?.code ?? '', name: p?.name ?? '' },
      team: { name: team.get(e.teamId)?.name ?? '' },
      invitation: { name: inv.name ?? '', token: inv.token },
      position: await positionOf(db, e),
      joinedAt: e.joinedAt,
    });
  }
  out.sort(
    (a, b) =>
      a.organization.name.localeCompare(b.organization.name) ||
      a.product.name.localeCompare(b.product.name) ||
      a.joinedAt.localeCompare(b.joinedAt),
  );
  return out;
}

async function heldLicenses(db: Kysely<DB>, account: Account): Promise<MyLicense[]> {
  const held = await listDocs(db, { collection: 'licenses', where: { assigneeAccountId: account.id } }, { orderBy: 'id' });
  if (!held.length) return [];
  const ids = (f: (l: (typeof held)[number]) => string) => [...new Set(held.map(f))];
  const [orgs, teams, products] = await Promise.all([
    listDocs(db, { collection: 'organizations', where: { id: ids((l) => l.orgId) } }),
    listDocs(db, { collection: 'teams', where: { id: ids((l) => l.teamId) }, withDeleted: true }),
    listDocs(db, { collection: 'products', where: { id: ids((l) => l.productId) }, withDeleted: true }),
  ]);
  const org = new Map(orgs.map((o) => [o.id, o]));
  const team = new Map(teams.map((t) => [t.id, t]));
  const product = new Map(products.map((p) => [p.id, p]));
  const machines = await holderMachines(db, account.id, held.map((l) => l.id));
  const out: MyLicense[] = [];
  for (const l of held) {
    const o = org.get(l.orgId);
    if (!o) continue; // its organization is gone
    const { _deleted: _gone, ...license } = l;
    const p = product.get(l.productId);
    out.push({
      license: license as License,
      organization: { id: o.id, name: o.name },
      product: { code: p?.code ?? '', name: p?.name ?? '', machinesPerLicense: p?.machinesPerLicense ?? DEFAULT_MACHINES_PER_LICENSE },
      team: { name: team.get(l.teamId)?.name ?? '' },
      machines: machines.get(l.id) ?? [],
    });
  }
  out.sort(
    (a, b) =>
      a.organization.name.localeCompare(b.organization.name) ||
      a.product.name.localeCompare(b.product.name) ||
      (a.license.assignedAt ?? '').localeCompare(b.license.assignedAt ?? '') ||
      (a.license.id < b.license.id ? -1 : 1),
  );
  return out;
}
