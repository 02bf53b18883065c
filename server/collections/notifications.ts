import type { CollectionRules } from './types';

/** The sent-mail log (DESIGN §7): written by the outbox (server/mail/), never by a client. */
export const notifications: CollectionRules<'notifications'> = { serverWritten: true };
