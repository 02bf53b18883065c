import type { CollectionRules } from './types';

/**
 * The audit log (DESIGN §15): appended by the server in the transaction of each change
 * (server/audit/), replicated read-only to org admins. No client writes it: every pushed row —
 * a new event, a changed one, a deleted one — is refused (`server-only`).
 */
export const auditEvents: CollectionRules<'auditEvents'> = { serverWritten: true };
