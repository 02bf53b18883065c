import type { CollectionRules } from './types';

/** Teams (DESIGN §3): named by org admins; the server makes an order's auto-team (orders.ts). */
export const teams: CollectionRules<'teams'> = {};
