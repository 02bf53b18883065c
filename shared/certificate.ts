/**
 * The signed license certificate of an order (DESIGN §7): attached to the licensee's email and
 * downloadable from the order's page (`GET /api/orgs/:orgId/orders/:orderId/certificate.json`).
 *
 * It is a JWS in the flattened JSON serialization (RFC 7515 §7.2.2) — `{protected, payload,
 * signature}` — signed with EdDSA over Ed25519 (RFC 8037) by the key that signs license tickets,
 * so the JWKS at `GET /.well-known/jwks.json` verifies both (DESIGN §14). Its protected header's
 * `typ` is CERTIFICATE_TYP (RFC 8725 §3.11: explicit typing), so a certificate is never taken
 * for a ticket and the other way round. The payload is JSON with the claims below.
 */
import { createLocalJWKSet, errors, flattenedVerify, type FlattenedJWSInput, type JSONWebKeySet } from 'jose';

export const CERTIFICATE_TYP = 'allot-license-certificate+json';

export interface CertificateClaims {
  /** The Allot server that issued it (its PUBLIC_URL). */
  iss: string;
  /** The order's id. */
  sub: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  org: { id: string; name: string };
  /** Days are `YYYY-MM-DD`; `validUntil` is the licenses' last day. */
  order: { id: string; reference: string; placedOn: string; validUntil: string };
  team: { id: string; name: string };
  licensee: { name: string; email: string };
  /** Product code, name and quantity of each line. */
  lines: { product: string; name: string; quantity: number }[];
  /** How many licenses the order has in all (`licenses` lists at most 10,000). */
  licenseCount: number;
  licenses: { id: string; ref: string; product: string; status: 'available' | 'assigned' }[];
}

export type CertificateResult =
  | { ok: true; claims: CertificateClaims }
  | { ok: false; code: 'malformed' | 'unknown-key' | 'bad-signature' | 'not-a-certificate'; message: string };

/**
 * Checks a signed certificate (its JSON text or parsed object) against a JWKS, offline. Never
 * throws: every refusal has a code.
 */
export async function verifyCertificate(input: string | object, jwks: JSONWebKeySet): Promise<CertificateResult> {
  let jws: FlattenedJWSInput;
  try {
    jws = (typeof input === 'string' ? JSON.parse(input) : input) as FlattenedJWSInput;
  } catch {
    return { ok: false, code: 'malformed', message: 'Not JSON' };
  }
  try {
    const { payload, protectedHeader } = await flattenedVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA', 'Ed25519'] });
    if (protectedHeader?.typ !== CERTIFICATE_TYP) return { ok: false, code: 'not-a-certificate', message: `The JWS is not a license certificate (typ ${String(protectedHeader?.typ)})` };
    const claims = JSON.parse(new TextDecoder().decode(payload)) as CertificateClaims;
    if (typeof claims?.sub !== 'string' || typeof claims.order?.reference !== 'string' || !Array.isArray(claims.lines)) {
      return { ok: false, code: 'malformed', message: 'The certificate lacks claims' };
    }
    return { ok: true, claims };
  } catch (err) {
    if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return { ok: false, code: 'unknown-key', message: 'No published key signed this certificate' };
    if (err instanceof errors.JWSSignatureVerificationFailed) return { ok: false, code: 'bad-signature', message: 'The signature does not match: the certificate was changed' };
    return { ok: false, code: 'malformed', message: err instanceof Error ? err.message : 'Not a certificate' };
  }
}
