import * as v from 'valibot';
import { base, str, timestamp } from './common';

export const TOPICS = [
  'sign-in',
  'license-claimed',
  'license-revoked',
  'licenses-expiring',
  'order-placed',
  'invoice-overdue',
  'quote-created',
  'security-privacy',
  'data-protection',
  'license-ready',
  'waitlist-skipped',
  'member-added',
  'machine-activated',
  // An order's own emails (DESIGN §7): to its licensee, and to its billing contact.
  'license-certificate',
  'invoice-issued',
  'invoice-paid',
] as const;
export const topic = v.picklist(TOPICS);
export type Topic = v.InferOutput<typeof topic>;

export const NOTIFICATION_STATUSES = ['queued', 'sent', 'failed', 'held'] as const;

export const notificationSchema = v.object({
  ...base,
  topic,
  recipients: v.pipe(v.array(str(254)), v.maxLength(1000)),
  subject: str(300),
  status: v.picklist(NOTIFICATION_STATUSES),
  attempts: v.pipe(v.number(), v.integer(), v.minValue(0), v.check((n) => n <= 1_000_000, 'must be at most 1000000')),
  /** Why the last attempt failed: kept while the email waits for its next attempt, and once it failed. */
  lastError: v.optional(str(2000)),
  sentAt: v.optional(timestamp),
  /** When a waiting email (status queued after a failed attempt) is tried next. */
  nextAttemptAt: v.optional(timestamp),
});
export type Notification = v.InferOutput<typeof notificationSchema>;
