/**
 * Document ids (DESIGN §3: "a UUID made where it is created, client or server").
 *
 * An id is a UUID in its canonical text form, lower case (RFC 9562 §4: 8-4-4-4-12 hex
 * digits), so one id has one spelling and two different ids never collapse into one row. The
 * one exception is a product of the operator's catalog: its id is `product-<code>`
 * (server/catalog.ts), stable across restarts and servers (a product id may also be a UUID).
 */

import { v7 as uuidv7 } from 'uuid';

/** Ids made on either side: the browser and Node both have Web Crypto. */
export const newId = (): string => crypto.randomUUID();

/**
 * A UUID of version 7 (RFC 9562 §5.7, made by the `uuid` package): 48 bits of Unix time in
 * milliseconds, then a counter and random bits, in the same canonical text form as newId's. Ids
 * made later in this process sort after earlier ones. For records the server appends in numbers
 * (audit events, acceptances, outbox rows): each lands at the end of its collection's
 * primary-key index instead of on a random page of it, so a transaction of many of them (a
 * group of claims) dirties a few pages rather than one per record, and its commit writes less.
 * Its first characters are the time, not random: screens name a document by `shortId`, which
 * reads the random end of such an id.
 */
export const newOrderedId = (): string => uuidv7();

/**
 * Eight characters of `id` for people to read and tell documents apart by (a license's
 * reference, the audit log's Document column, a notice about a document). A UUID of version 7
 * (RFC 9562 §5.7): its last eight hex digits, which are random; its first eight are the time
 * it was made in units of 65.5 seconds, the same for every license of an order. Any other id
 * (a random UUID, `product-<code>`): its first eight characters, as before ordered ids.
 */
export function shortId(id: string): string {
  return UUID_PATTERN.test(id) && id[14] === '7' ? id.slice(-8) : id.slice(0, 8);
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A product's id: `product-` and its catalog code (1–32 letters, digits, - or _). */
export const PRODUCT_ID_PATTERN = /^product-[A-Za-z0-9_-]{1,32}$/;

export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID_PATTERN.test(s);

export const isProductId = (s: unknown): s is string => typeof s === 'string' && (PRODUCT_ID_PATTERN.test(s) || UUID_PATTERN.test(s));

/** Is this a document id of the collection (a product id for products, else a UUID)? */
export const isDocId = (collection: string, s: unknown): s is string => (collection === 'products' ? isProductId(s) : isUuid(s));

// Random tokens live with the other token rules; kept here for the modules that import them from ids.
export { randomToken } from './tokens';
