import type { CollectionRules } from './types';

/** An organization (DESIGN §3): its name, changed by org admins; nothing else to rule. */
export const organizations: CollectionRules<'organizations'> = {};
