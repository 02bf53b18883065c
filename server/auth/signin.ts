import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { normalizeEmail } from '../../shared/addresses';
import { isAtOrBefore } from '../../shared/dates';
import { fail, ok, type Result } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { AppDeps } from '../app-env';
import { publicUrl } from '../config';
import { enqueueMail } from '../mail/outbox';
import { signInEmail } from '../notify/emails';
import { ensureAccountRow } from '../store/accounts';
import { plainTx } from '../store/docs';
import type { DB } from '../store/schema';
import {
  addSigninAttempt,
  countSigninTokensSince,
  insertSigninToken,
  liveSigninCodes,
  signinTokenByLink,
  useSigninToken,
} from '../store/signin-tokens';
import { randomSecret, sameHash, sha256 } from './hash';
import type { Account } from './session';

export const SIGNIN_MINUTES = 10;
export const MAX_CODE_ATTEMPTS = 5;

/**
 * An address in its stored form (shared/addresses.ts). Addresses reach here validated by the
 * shared schemas; one that is not an address is a bug of the caller.
 */
function storedAddress(email: string): string {
  const address = normalizeEmail(email);
  if (!address) throw new Error(`not an email address: ${JSON.stringify(email.slice(0, 300))}`);
  return address;
}

/** Only a path on this site: '/x' but not '//evil.com' or '/\evil.com' (browsers read both as another host). */
export function safeReturnTo(returnTo: string | null | undefined): string | null {
  if (!returnTo || !returnTo.startsWith('/') || returnTo.startsWith('//') || returnTo.startsWith('/\\')) return null;
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\\]/.test(returnTo) || returnTo.length > 500) return null;
  return returnTo;
}

/** The code is hashed with its row id so equal codes of different rows never share a hash. */
const codeHash = (rowId: string, code: string) => sha256(`${rowId}:${code}`);

/**
 * Emails a one-time link and a 6-digit code to `email`, whether or not it has an account
 * (answering the same either way is what keeps accounts from being probed). At most
 * SIGNIN_RATE requests per address and minute, so nobody floods an inbox or farms codes.
 */
export async function requestSignIn(
  deps: AppDeps,
  email: string,
  returnTo?: string | null,
): Promise<Result<null, 'rate-limited'>> {
  const address = storedAddress(email);
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const recent = await countSigninTokensSince(deps.store.db, address, new Date(now.getTime() - 60_000).toISOString());
  if (recent >= deps.config.SIGNIN_RATE) {
    return fail('rate-limited', 'Too many sign-in emails for this address; wait a minute and try again.');
  }
  const id = newId();
  const link = randomSecret();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const url = `${publicUrl(deps.config)}/signin?token=${encodeURIComponent(link)}`;
  const mail = signInEmail({ url, code, minutes: SIGNIN_MINUTES });
  await plainTx(deps.store, async (tx) => {
    await insertSigninToken(tx, {
      id,
      email: address,
      link_hash: sha256(link),
      code_hash: codeHash(id, code),
      return_to: safeReturnTo(returnTo),
      attempts: 0,
      expires_at: new Date(now.getTime() + SIGNIN_MINUTES * 60_000).toISOString(),
      used_at: null,
      created_at: nowIso,
    });
    await enqueueMail({ tx, now: nowIso }, { dedupeKey: `sign-in:${id}`, topic: 'sign-in', to: address, ...mail });
  });
  deps.outbox.wake();
  return ok(null);
}

export type VerifyInput = { token: string } | { email: string; code: string };

/**
 * Checks a link or a code (once, within 10 minutes, at most 5 wrong codes per request) and
 * returns the account, created on first success: that is sign-up.
 */
export async function verifySignIn(
  deps: AppDeps,
  input: VerifyInput,
): Promise<Result<{ account: Account; returnTo: string | null }>> {
  const db = deps.store.db;
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  let row: { id: string; email: string; return_to: string | null } | undefined;

  if ('token' in input) {
    const found = await signinTokenByLink(db, sha256(input.token));
    if (!found || found.used_at || isAtOrBefore(found.expires_at, now)) {
      return fail('invalid-link', 'This sign-in link is invalid, used or expired. Ask for a new one.');
    }
    row = found;
  } else {
    const live = await liveSigninCodes(db, storedAddress(input.email), nowIso, MAX_CODE_ATTEMPTS);
    row = live.find((r) => sameHash(r.code_hash, codeHash(r.id, input.code.trim())));
    if (!row) {
      await addSigninAttempt(db, live.map((r) => r.id));
      return fail('invalid-code', 'This code is wrong or expired. Check the latest email or ask for a new code.');
    }
  }

  // Single use even when the same link is opened twice at once: only one update wins.
  if (!(await useSigninToken(db, row.id, nowIso))) {
    return 'token' in input
      ? fail('invalid-link', 'This sign-in link was already used. Ask for a new one.')
      : fail('invalid-code', 'This code was already used. Ask for a new one.');
  }

  const account = await ensureAccount(db, row.email, nowIso, { verified: true });
  return ok({ account, returnTo: safeReturnTo(row.return_to) });
}

/**
 * Finds or creates the account of an email (stored normalized, shared/addresses.ts);
 * `verified` marks the address as proven.
 */
export async function ensureAccount(
  db: Kysely<DB>,
  email: string,
  nowIso: string,
  opts: { verified: boolean; name?: string },
): Promise<Account> {
  return ensureAccountRow(db, storedAddress(email), nowIso, opts);
}
