/** The sent-mail log and the bulletins an org admin composes (DESIGN §7). */
import type { Accessor } from 'solid-js';
import { compareInstants } from '../../shared/dates';
import type { BulletinTopic } from '../../shared/notifications';
import type { Notification } from '../../shared/schemas';
import { api } from '../api';
import type { AllotDatabase } from '../db';
import { liveList } from '../db';

export const notificationsOf = (db: AllotDatabase): Accessor<Notification[]> =>
  liveList<Notification>(db.notifications.find());

/** Newest first: the log reads like a mailbox. */
export const newestFirst = (rows: Notification[]) =>
  [...rows].sort((a, b) => compareInstants(b.sentAt ?? b.updatedAt, a.sentAt ?? a.updatedAt));

/** Sends a bulletin to the topic's contacts of organization `orgId` (org admins). */
export const sendBulletin = (orgId: string, input: { topic: BulletinTopic; subject: string; body: string }) => api.sendBulletin(orgId, input);

/** A failed, held or waiting email is sent again now (org admins; the log entry updates through sync). */
export const retryEmail = (orgId: string, notificationId: string) => api.retryEmail(orgId, notificationId);

/** An email waiting for its next attempt after a failed one: the reason and when it is tried again. */
export const isWaiting = (n: Notification) => n.status === 'queued' && !!n.lastError;

/** Emails an org admin may send again: failed, held (printed to the log), or waiting. */
export const canRetry = (n: Notification) => n.status === 'failed' || n.status === 'held' || isWaiting(n);

/** The organization's product activations, newest first (org admins; read from the server, DESIGN §14). */
export const activationEvents = (orgId: string) => api.activationEvents(orgId);
