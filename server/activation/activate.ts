/**
 * Activation and renewal (DESIGN §14 points 4–5): a product's Bearer token, the machine it runs
 * on, and the license its grant names become a machine record and a signed ticket — or a 403
 * with the reason and no ticket. Deactivation frees a machine's place.
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { addDays, isAtOrBefore, licenseValidOn } from '../../shared/dates';
import { fail, ok, type ErrorCode, type Result } from '../../shared/errors';
import type { ActivationRequest, ActivationResponse } from '../../shared/activation-api';
import type { TicketClaims } from '../../shared/ticket';
import type { WireDoc } from '../../shared/schemas';
import type { AppDeps } from '../app-env';
import type { Account } from '../auth/session';
import { sha256 } from '../auth/hash';
import { publicUrl } from '../config';
import { notifyMachineActivated } from '../notify/events';
import { accountById } from '../store/accounts';
import { appendActivationEvent, bindGrantMachine, grantOfToken, revokeGrantsOfMachines, type GrantRow } from '../store/activation';
import { listDocs, orgTx, type OrgWriter } from '../store/docs';
import { activeMachinesOf, deactivateMachineRow, deactivateMachinesOfLicense, machineById, upsertMachine } from '../store/machines';
import { machinesPerLicense, productByCode } from './licenses';
import { TICKET_ALG } from './keys';

/** A machine's document id: derived from the license and the fingerprint, so the fingerprint itself is never kept. */
export const machineIdOf = (licenseId: string, fingerprint: string): string =>
  `mach-${createHash('sha256').update(`${licenseId}\n${fingerprint}`).digest('hex').slice(0, 32)}`;

/** The grant a Bearer access token acts for, if it is live (RFC 6750: else invalid_token). */
export async function grantOfAccessToken(deps: AppDeps, token: string): Promise<GrantRow | null> {
  if (!token || token.length > 100) return null;
  const found = await grantOfToken(deps.store.db, sha256(token), 'access');
  if (!found || found.grant.revoked_at || isAtOrBefore(found.expiresAt, deps.clock.now())) return null;
  return found.grant;
}

type Refused = { code: ErrorCode; message: string };

/** Why the account may not use the license now, if it may not (DESIGN §14 point 5, in this order). */
async function refusalOf(w: OrgWriter, grant: GrantRow, license: WireDoc<'licenses'> | undefined, account: Account | undefined, now: Date): Promise<Refused | null> {
  if (!account) return { code: 'account-disabled', message: 'This account no longer exists' };
  const held =
    license &&
    !license._deleted &&
    license.status === 'assigned' &&
    license.assignee?.accountId === grant.account_id &&
    license.orgId === grant.org_id;
  // Moved to another person (revoked and claimed again) counts as revoked; a move between teams keeps it the holder's.
  if (!held) return { code: 'license-revoked', message: 'This license was revoked; it is no longer yours to use' };
  if (!licenseValidOn(license.validUntil, now)) return { code: 'license-expired', message: `This license ended on ${license.validUntil}` };
  const members = await listDocs(w.tx, { collection: 'members', org: w.orgId, where: { accountId: account.id } });
  const contacts = await listDocs(w.tx, { collection: 'contacts', org: w.orgId, emailCaseless: account.email });
  if (members.some((m) => m.disabled) || contacts.some((c) => c.disabled)) {
    return { code: 'account-disabled', message: 'Your account is disabled in this organization' };
  }
  return null;
}

/**
 * `POST /api/activations` (Bearer): activates (or renews) the grant's license on this machine
 * and answers a ticket. New machines count against the product's machinesPerLicense and email
 * the holder; a grant serves the one machine it first activated. Every outcome, refusals
 * included, is an event of the license's organization.
 */
export async function activate(deps: AppDeps, grant: GrantRow, input: ActivationRequest): Promise<Result<ActivationResponse>> {
  const now = deps.clock.now();
  const db = deps.store.db;
  const account = await accountById(db, grant.account_id);
  const product = await productByCode(db, grant.product_code);
  const fingerprint = input.machine.fingerprint;
  const machineName = input.machine.name.trim();
  const done = await orgTx(deps.store, grant.org_id, now, async (w) => {
    const license = await w.get('licenses', grant.license_id);
    const machineId = machineIdOf(grant.license_id, fingerprint);
    const event = (action: string, detail: Record<string, unknown>) =>
      appendActivationEvent(w.tx, {
        orgId: w.orgId,
        accountId: grant.account_id,
        action,
        detail: { product: grant.product_code, licenseId: grant.license_id, machine: machineName, email: account?.email, ...detail },
        at: w.now,
      });
    let refused = await refusalOf(w, grant, license, account, now);
    if (!refused && grant.machine_id && grant.machine_id !== machineId) {
      refused = { code: 'machine-mismatch', message: 'This sign-in belongs to another machine: activate this one on its own' };
    }
    const existing = refused ? undefined : await machineById(w.tx, machineId);
    const active = !!existing && !existing.deactivated_at && existing.account_id === grant.account_id;
    if (!refused && !active) {
      const limit = machinesPerLicense(product);
      if ((await activeMachinesOf(w.tx, grant.license_id, grant.account_id)).length >= limit) {
        refused = { code: 'machine-limit', message: `This license is active on ${limit} machine${limit === 1 ? '' : 's'} already: deactivate one in My licenses` };
      }
    }
    if (refused || !license || !account) {
      const r = refused ?? { code: 'license-revoked' as const, message: 'This license is gone' };
      await event('activation.refused', { code: r.code });
      return r;
    }
    const machine = {
      id: machineId,
      org_id: w.orgId,
      license_id: license.id,
      account_id: grant.account_id,
      name: machineName,
      first_seen_at: active ? existing.first_seen_at : w.now,
      last_seen_at: w.now,
      deactivated_at: null,
    };
    await upsertMachine(w.tx, machine);
    if (!grant.machine_id) await bindGrantMachine(w.tx, grant.id, machineId);
    if (!active) {
      await notifyMachineActivated(w, publicUrl(deps.config), { machine: { id: machine.id, name: machine.name, firstSeenAt: machine.first_seen_at }, holder: account, product: product?.name ?? grant.product_code });
      await event('activation.activated', { machineId });
    } else {
      await event('activation.renewed', { machineId });
    }
    const org = await w.get('organizations', w.orgId);
    return { license, org: { id: w.orgId, name: org && !org._deleted ? org.name : '' } };
  });
  if ('code' in done) return fail(done.code, done.message);
  // My licenses shows the machine and its last check-in: the holder's open pages read again.
  deps.hub.touchAccount(grant.account_id);
  const exp = addDays(now, deps.config.TICKET_DAYS);
  const claims: Omit<TicketClaims, 'iat' | 'exp' | 'iss' | 'sub' | 'aud'> = {
    lic: done.license.id,
    org: done.org,
    email: account!.email,
    mfp: fingerprint,
    validUntil: done.license.validUntil,
  };
  const key = await deps.ticketKeys.signer(now);
  const ticket = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: TICKET_ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(publicUrl(deps.config))
    .setSubject(grant.account_id)
    .setAudience(grant.product_code)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(exp.getTime() / 1000))
    .sign(key.key);
  return ok({ ticket, expiresAt: new Date(Math.floor(exp.getTime() / 1000) * 1000).toISOString() });
}

/**
 * `POST /api/me/machines/:id/deactivate`: the holder frees a machine's place (My licenses); the
 * grants that served it are revoked, so the product must be activated again there.
 * Errors: 404 `machine-not-found` (unknown, or another person's).
 */
export async function deactivateMachine(deps: AppDeps, account: Account, machineId: string): Promise<Result<{ id: string; deactivatedAt: string }>> {
  const found = machineId.length <= 40 ? await machineById(deps.store.db, machineId) : undefined;
  if (!found || found.account_id !== account.id) return fail('machine-not-found', 'No such machine');
  const now = deps.clock.now();
  const done = await orgTx(deps.store, found.org_id, now, async (w): Promise<Result<{ id: string; deactivatedAt: string }>> => {
    const m = await machineById(w.tx, machineId);
    if (!m || m.account_id !== account.id) return fail('machine-not-found', 'No such machine');
    if (m.deactivated_at) return ok({ id: m.id, deactivatedAt: m.deactivated_at });
    await deactivateMachineRow(w.tx, m.id, w.now);
    await revokeGrantsOfMachines(w.tx, [m.id], w.now);
    await appendActivationEvent(w.tx, {
      orgId: w.orgId,
      accountId: account.id,
      action: 'activation.deactivated',
      detail: { machineId: m.id, machine: m.name, licenseId: m.license_id, by: account.email },
      at: w.now,
    });
    return ok({ id: m.id, deactivatedAt: w.now });
  });
  if (done.ok) deps.hub.touchAccount(account.id);
  return done;
}

/**
 * A license changed (licenses.ts effect): a revoke (or delete, or a new holder) deactivates its
 * machines; the grants stay, so the product's next renewal answers 403 license-revoked (DESIGN
 * §14 point 5) rather than an unknown token. A move between teams keeps them: who sees them
 * follows the license.
 */
export async function licenseMachinesFollow(w: OrgWriter, before: WireDoc<'licenses'>, after: WireDoc<'licenses'>): Promise<void> {
  const holder = before.assignee?.accountId;
  if (!holder) return;
  const revoked = after._deleted || after.status !== 'assigned' || after.assignee?.accountId !== holder;
  if (!revoked) return;
  await deactivateMachinesOfLicense(w.tx, before.id, w.now);
}
