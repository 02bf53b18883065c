/**
 * Offline license tickets (DESIGN §14), for product vendors: a product activates once online
 * (`POST /api/activations`) and then checks its ticket without the network.
 *
 * A ticket is a compact JWS (RFC 7515) signed with EdDSA over Ed25519 (RFC 8037), whose
 * payload is a JWT (RFC 7519) with these claims:
 *
 * | claim | meaning |
 * | --- | --- |
 * | `iss` | the Allot server (its PUBLIC_URL) |
 * | `sub` | the holder's account id |
 * | `aud` | the product code |
 * | `lic` | the license id |
 * | `org` | `{id, name}` of the organization the license belongs to |
 * | `email` | the holder's email address |
 * | `mfp` | the fingerprint of the machine it was issued to |
 * | `iat`, `exp` | issued at / expires at (seconds since the epoch); `exp` bounds how long the product runs offline |
 * | `validUntil` | the license's last day (`YYYY-MM-DD`) |
 *
 * The public keys are published as a JWKS at `GET /.well-known/jwks.json`; a product ships or
 * caches that document and verifies with it offline.
 */
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import { licenseValidOn } from './dates';

export interface TicketClaims {
  iss: string;
  sub: string;
  aud: string;
  lic: string;
  org: { id: string; name: string };
  email: string;
  mfp: string;
  iat: number;
  exp: number;
  validUntil: string;
}

/** Why a ticket is refused. */
export type TicketRefusal =
  /** Not a compact JWS with a JWT payload of the claims above, or not EdDSA. */
  | 'malformed'
  /** No key of the JWKS has the ticket's `kid` (another server, or a key no longer published). */
  | 'unknown-key'
  /** The signature does not match: the ticket was changed or forged. */
  | 'bad-signature'
  /** Issued for another product (`aud`). */
  | 'wrong-product'
  /** Issued to another machine (`mfp`). */
  | 'wrong-machine'
  /** Past its `exp`: the product must renew online. */
  | 'expired'
  /** The license's last day (`validUntil`) has passed. */
  | 'license-expired';

export type TicketResult = { ok: true; claims: TicketClaims } | { ok: false; code: TicketRefusal; message: string };

export interface VerifyOptions {
  /** The product code the ticket must be for. */
  product: string;
  /** This machine's fingerprint, as the product sent it when activating. */
  fingerprint: string;
  /** The time to check against (default: now). */
  now?: Date;
  /** The issuer the ticket must name (the server's PUBLIC_URL); not checked when absent. */
  issuer?: string;
}

const refuse = (code: TicketRefusal, message: string): TicketResult => ({ ok: false, code, message });

function claimsOf(p: Record<string, unknown>): TicketClaims | null {
  const org = p.org as { id?: unknown; name?: unknown } | undefined;
  const str = (x: unknown) => typeof x === 'string';
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  if (![p.iss, p.sub, p.aud, p.lic, p.email, p.mfp, p.validUntil].every(str) || !num(p.iat) || !num(p.exp)) return null;
  if (!org || !str(org.id) || !str(org.name)) return null;
  return p as unknown as TicketClaims;
}

/**
 * Checks a ticket offline against a JWKS: signature (EdDSA only), product, machine, `exp` and
 * the license's last day. Never throws: every refusal has a code (TicketRefusal).
 *
 * ```ts
 * const r = await verifyTicket(ticket, jwks, { product: 'ide-ultimate', fingerprint: machineId() });
 * if (!r.ok) console.error(r.code); // 'expired' → renew online
 * ```
 */
export async function verifyTicket(ticket: string, jwks: JSONWebKeySet, opts: VerifyOptions): Promise<TicketResult> {
  const now = opts.now ?? new Date();
  if (typeof ticket !== 'string' || ticket.length > 16_384 || ticket.split('.').length !== 3) return refuse('malformed', 'Not a compact JWS');
  let payload: Record<string, unknown>;
  try {
    const keys = createLocalJWKSet(jwks);
    ({ payload } = await jwtVerify(ticket, keys, {
      algorithms: ['EdDSA', 'Ed25519'],
      audience: opts.product,
      currentDate: now,
      clockTolerance: 0,
      ...(opts.issuer ? { issuer: opts.issuer } : {}),
    }));
  } catch (err) {
    if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return refuse('unknown-key', 'No published key signed this ticket');
    if (err instanceof errors.JWSSignatureVerificationFailed) return refuse('bad-signature', 'The signature does not match: the ticket was changed');
    if (err instanceof errors.JWTExpired) return refuse('expired', 'The ticket has expired; renew it online');
    if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') return refuse('wrong-product', 'The ticket is for another product');
    if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'iss') return refuse('unknown-key', 'The ticket comes from another server');
    return refuse('malformed', err instanceof Error ? err.message : 'Not a ticket');
  }
  const claims = claimsOf(payload);
  if (!claims) return refuse('malformed', 'The ticket lacks claims');
  if (claims.mfp !== opts.fingerprint) return refuse('wrong-machine', 'The ticket was issued to another machine');
  if (!licenseValidOn(claims.validUntil, now)) return refuse('license-expired', `The license ended on ${claims.validUntil}`);
  return { ok: true, claims };
}
