import type { CollectionRules } from './types';

/** The operator's catalog (server/catalog.ts): read-only for every client. */
export const products: CollectionRules<'products'> = { serverWritten: true };
