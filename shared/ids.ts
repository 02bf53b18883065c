/** Ids and tokens that may be made on either side: the browser and Node both have Web Crypto. */
export const newId = (): string => crypto.randomUUID();

/** A random URL-safe token of `bytes` bytes (128 bits by default). */
export function randomToken(bytes = 16): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  let s = '';
  for (const b of buf) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
