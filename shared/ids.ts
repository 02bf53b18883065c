/** Ids made on either side: the browser and Node both have Web Crypto. */
export const newId = (): string => crypto.randomUUID();

// Random tokens live with the other token rules; kept here for the modules that import them from ids.
export { randomToken } from './tokens';
