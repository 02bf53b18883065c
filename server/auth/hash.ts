import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Secrets (session ids, sign-in links and codes) are stored only as SHA-256 hashes. */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** 256 random bits, URL-safe. */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
