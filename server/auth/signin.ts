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
  retireOlderSigninTokens,
  signinTokenByLink,
  useSigninToken,
  wrongCodesSince,
} from '../store/signin-tokens';
import { randomSecret, sameHash, sha256 } from './hash';
import type { Account } from './session';

export const SIGNIN_MINUTES = 10;
/** Wrong codes one code takes before it dies. */
export const MAX_CODE_ATTEMPTS = 5;
/** Codes of an address that may be entered: its newest ones; an older email's code no longer works. */
export const LIVE_CODES = 3;
/**
 * Wrong codes an address may take, over all its codes, in CODE_GUESS_WINDOW_MINUTES; beyond it
 * codes are refused (429 `rate-limited`) until the window has passed, the link still works.
 * A guesser tests at most LIVE_CODES × 10 of the million codes per half hour.
 */
export const MAX_WRONG_CODES = 10;
export const CODE_GUESS_WINDOW_MINUTES = 30;

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

/** A live link's token row, or undefined (unknown, used or expired). */
async function liveLink(deps: AppDeps, token: string, now: Date) {
  const found = await signinTokenByLink(deps.store.db, sha256(token));
  return !found || found.used_at || isAtOrBefore(found.expires_at, now) ? undefined : found;
}

const INVALID_LINK = 'This sign-in link is invalid, used or expired. Ask for a new one.';

/**
 * Whom a sign-in link would sign in, without using it (DESIGN §8): opening the link shows
 * "Sign in as <address>", and only that click signs in. Mail scanners and link previews that
 * open the link therefore sign nobody in and use up nothing.
 */
export async function peekSignInLink(deps: AppDeps, token: string): Promise<Result<{ email: string }, 'invalid-link'>> {
  const row = await liveLink(deps, token, deps.clock.now());
  return row ? ok({ email: row.email }) : fail('invalid-link', INVALID_LINK);
}

/**
 * Checks a link or a code and returns the account, created on first success: that is sign-up.
 * A link or code works once, within SIGNIN_MINUTES; a code only while it is one of the
 * address's LIVE_CODES newest, has taken fewer than MAX_CODE_ATTEMPTS wrong tries, and the
 * address fewer than MAX_WRONG_CODES in CODE_GUESS_WINDOW_MINUTES. Signing in with one ends
 * the address's older links and codes; the link and the code of one email are one: using
 * either uses both.
 */
export async function verifySignIn(
  deps: AppDeps,
  input: VerifyInput,
): Promise<Result<{ account: Account; returnTo: string | null }>> {
  const db = deps.store.db;
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  let row: { id: string; email: string; return_to: string | null; created_at: string } | undefined;

  if ('token' in input) {
    row = await liveLink(deps, input.token, now);
    if (!row) return fail('invalid-link', INVALID_LINK);
  } else {
    const address = storedAddress(input.email);
    const windowStart = new Date(now.getTime() - CODE_GUESS_WINDOW_MINUTES * 60_000).toISOString();
    if ((await wrongCodesSince(db, address, windowStart)) >= MAX_WRONG_CODES) {
      return fail('rate-limited', `Too many wrong codes for this address. Use the link in the email, or wait ${CODE_GUESS_WINDOW_MINUTES} minutes and ask for a new code.`, {
        retryAfter: CODE_GUESS_WINDOW_MINUTES * 60,
      });
    }
    const live = await liveSigninCodes(db, address, nowIso, MAX_CODE_ATTEMPTS, LIVE_CODES);
    row = live.find((r) => sameHash(r.code_hash, codeHash(r.id, input.code.trim())));
    if (!row) {
      // One wrong guess counts once for the address, on its newest code.
      if (live.length) await addSigninAttempt(db, live[0].id);
      return fail('invalid-code', 'This code is wrong or expired. Check the latest email or ask for a new code.');
    }
  }

  // Single use even when the same link is opened twice at once: only one update wins.
  if (!(await useSigninToken(db, row.id, nowIso))) {
    return 'token' in input
      ? fail('invalid-link', 'This sign-in link was already used. Ask for a new one.')
      : fail('invalid-code', 'This code was already used. Ask for a new one.');
  }
  await retireOlderSigninTokens(db, row.email, row.created_at, nowIso);

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
