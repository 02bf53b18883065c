/** The sent-mail log and the bulletins an org admin composes (DESIGN §7). */
import type { Accessor } from 'solid-js';
import type { BulletinTopic } from '../../shared/notifications';
import type { Notification } from '../../shared/schemas';
import { api } from '../api';
import type { AllotDatabase } from '../db';
import { liveList } from '../db';

export const notificationsOf = (db: AllotDatabase): Accessor<Notification[]> =>
  liveList<Notification>(db.notifications.find());

/** Newest first: the log reads like a mailbox. */
export const newestFirst = (rows: Notification[]) =>
  [...rows].sort((a, b) => (b.sentAt ?? b.updatedAt).localeCompare(a.sentAt ?? a.updatedAt));

export const sendBulletin = (input: { topic: BulletinTopic; subject: string; body: string }) => api.sendBulletin(input);
