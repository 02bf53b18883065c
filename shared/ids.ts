/** Ids made on either side: the browser and Node both have Web Crypto. */
export const newId = (): string => crypto.randomUUID();

// Random tokens live with the other token rules; kept here for the modules that import them from ids.
export { randomToken } from './tokens';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Is this an id `newId` could have made (a UUID, RFC 9562 text form, any version)? */
export const isUuid = (s: string): boolean => UUID.test(s);
