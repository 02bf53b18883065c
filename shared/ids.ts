/**
 * Document ids (DESIGN §3: "a UUID made where it is created, client or server").
 *
 * An id is a UUID in its canonical text form, lower case (RFC 9562 §4: 8-4-4-4-12 hex
 * digits), so one id has one spelling and two different ids never collapse into one row. The
 * one exception is a product of the operator's catalog: its id is `product-<code>`
 * (server/catalog.ts), stable across restarts and servers (a product id may also be a UUID).
 */

/** Ids made on either side: the browser and Node both have Web Crypto. */
export const newId = (): string => crypto.randomUUID();

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A product's id: `product-` and its catalog code (1–32 letters, digits, - or _). */
export const PRODUCT_ID_PATTERN = /^product-[A-Za-z0-9_-]{1,32}$/;

export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID_PATTERN.test(s);

export const isProductId = (s: unknown): s is string => typeof s === 'string' && (PRODUCT_ID_PATTERN.test(s) || UUID_PATTERN.test(s));

/** Is this a document id of the collection (a product id for products, else a UUID)? */
export const isDocId = (collection: string, s: unknown): s is string => (collection === 'products' ? isProductId(s) : isUuid(s));

// Random tokens live with the other token rules; kept here for the modules that import them from ids.
export { randomToken } from './tokens';
