/**
 * Random tokens made on either side (the browser and Node both have Web Crypto), and the
 * shape of an invitation's link token (DESIGN §3, §6).
 */
import * as v from 'valibot';

/** A random URL-safe (base64url, RFC 4648 §5) token of `bytes` random bytes: 128 bits by default. */
export function randomToken(bytes = 16): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  let s = '';
  for (const b of buf) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** An invitation token: 22–64 base64url characters (22 = the 128 random bits of randomToken()). */
export const INVITATION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

export const isInvitationToken = (s: string): boolean => INVITATION_TOKEN_PATTERN.test(s);

export const invitationToken = v.pipe(v.string(), v.regex(INVITATION_TOKEN_PATTERN));

