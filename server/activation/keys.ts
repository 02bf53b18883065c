/**
 * The keys tickets are signed with (DESIGN §14): Ed25519, made at first start and kept in the
 * store, or given as TICKET_SIGNING_KEY. A rotated key stays published in the JWKS until the
 * last ticket it signed has expired (retired + TICKET_DAYS). JOSE work is `jose`'s.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import { addDays } from '../../shared/dates';
import type { DB } from '../store/schema';
import { currentTicketKey, deleteTicketKeysRetiredBefore, listTicketKeys, makeCurrentTicketKey } from '../store/activation';

export const TICKET_ALG = 'EdDSA';

export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

export interface TicketKeys {
  /** The key new tickets are signed with; made (and stored) when there is none yet. */
  signer(now: Date): Promise<SigningKey>;
  /** The JWKS (RFC 7517 §5): the current key and every retired one whose tickets may still be valid. */
  jwks(now: Date): Promise<{ keys: JWK[] }>;
  /** Makes a new key the current one; the old one stays published until its tickets expire. */
  rotate(now: Date): Promise<{ kid: string; retired: string[] }>;
}

/** A public JWK as published: the key, its id, what it is for. */
const published = (pub: JWK, kid: string): JWK => ({ kty: pub.kty, crv: pub.crv, x: pub.x, kid, alg: TICKET_ALG, use: 'sig' });

async function newKeyRow(now: Date) {
  const { privateKey, publicKey } = await generateKeyPair(TICKET_ALG, { crv: 'Ed25519', extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  const priv = await exportJWK(privateKey);
  return { kid, public_jwk: JSON.stringify(published(pub, kid)), private_jwk: JSON.stringify({ ...priv, kid }), created_at: now.toISOString() };
}

/** TICKET_SIGNING_KEY: a private Ed25519 JWK (JSON) or a PKCS #8 PEM. Throws with a message naming the variable. */
export async function parseSigningKey(text: string): Promise<{ signing: SigningKey; publicJwk: JWK }> {
  try {
    let privJwk: JWK;
    if (text.trim().startsWith('{')) {
      privJwk = JSON.parse(text) as JWK;
      if (privJwk.kty !== 'OKP' || privJwk.crv !== 'Ed25519' || !privJwk.d || !privJwk.x) throw new Error('not a private Ed25519 JWK (kty OKP, crv Ed25519, d and x)');
    } else {
      const k = await importPKCS8(text.trim(), TICKET_ALG, { extractable: true });
      privJwk = await exportJWK(k);
    }
    const pub: JWK = { kty: 'OKP', crv: 'Ed25519', x: privJwk.x };
    const kid = await calculateJwkThumbprint(pub);
    const key = (await importJWK({ ...privJwk, alg: TICKET_ALG }, TICKET_ALG)) as CryptoKey;
    return { signing: { kid, key }, publicJwk: published(pub, kid) };
  } catch (err) {
    throw new Error(`TICKET_SIGNING_KEY: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * The ticket keys of one server. `ticketDays` is how long a ticket lives (TICKET_DAYS), so how
 * long a retired key stays published. Imported keys are kept per kid (no module state).
 */
export function ticketKeys(db: Kysely<DB>, opts: { ticketDays: number; signingKey?: string }): TicketKeys {
  const imported = new Map<string, CryptoKey>();
  let given: Promise<SigningKey> | null = null;

  async function givenKey(now: Date): Promise<SigningKey> {
    given ??= (async () => {
      const { signing, publicJwk } = await parseSigningKey(opts.signingKey!);
      const cur = await currentTicketKey(db);
      // Keep its public half published; a key given before it stays published until its tickets expire.
      if (cur?.kid !== signing.kid) {
        await makeCurrentTicketKey(db, { kid: signing.kid, public_jwk: JSON.stringify(publicJwk), private_jwk: null, created_at: now.toISOString() });
      }
      return signing;
    })();
    try {
      return await given;
    } catch (err) {
      given = null;
      throw err;
    }
  }

  async function stored(now: Date): Promise<SigningKey> {
    let row = await currentTicketKey(db);
    if (!row || !row.private_jwk) {
      await makeCurrentTicketKey(db, await newKeyRow(now));
      row = await currentTicketKey(db);
      if (!row?.private_jwk) throw new Error('the ticket signing key vanished as it was made');
    }
    let key = imported.get(row.kid);
    if (!key) {
      key = (await importJWK(JSON.parse(row.private_jwk) as JWK, TICKET_ALG)) as CryptoKey;
      imported.set(row.kid, key);
    }
    return { kid: row.kid, key };
  }

  return {
    signer: (now) => (opts.signingKey ? givenKey(now) : stored(now)),
    async jwks(now) {
      const oldest = addDays(now, -opts.ticketDays).toISOString();
      const rows = await listTicketKeys(db);
      return { keys: rows.filter((r) => r.retired_at === null || r.retired_at > oldest).map((r) => JSON.parse(r.public_jwk) as JWK) };
    },
    async rotate(now) {
      if (opts.signingKey) throw new Error('The signing key is given by TICKET_SIGNING_KEY: rotate by giving a new one (the old one stays published until its tickets expire)');
      const before = (await listTicketKeys(db)).filter((r) => r.retired_at === null).map((r) => r.kid);
      const row = await newKeyRow(now);
      await makeCurrentTicketKey(db, row);
      // Keys whose last ticket has expired are of no use to anyone now.
      await deleteTicketKeysRetiredBefore(db, addDays(now, -opts.ticketDays).toISOString());
      return { kid: row.kid, retired: before };
    },
  };
}
