/**
 * The local notices list (DESIGN §5): every local value that did not win — overwritten in
 * a clash or refused by the server — with the reason. Local only, never replicated.
 */
import type { RxCollection, RxJsonSchema } from 'rxdb';
import type { ErrorCode } from '../../shared/errors';
import type { LostChange } from './conflict';

export interface Notice {
  id: string;
  /** The collection of the document concerned (`collection` is taken: RxDocument has a getter of that name). */
  collectionName: string;
  docId: string;
  /** The fields whose local values did not win. */
  fields: string[];
  /** The local values that did not win, by field. */
  yourValues: Record<string, unknown>;
  /** The server's values of the same fields (absent when the server refused a new document). */
  serverValues?: Record<string, unknown>;
  /** 'conflict' when someone else's change won, else the server's refusal code. */
  reason: 'conflict' | ErrorCode;
  /** The server's words (rejections) or ours (conflicts); the UI may show its own for `reason`. */
  message: string;
  /** ISO time the notice was made. */
  createdAt: string;
  dismissed: boolean;
}

export type NoticeCollection = RxCollection<Notice>;

export const noticeSchema: RxJsonSchema<Notice> = {
  title: 'notices',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 200 },
    collectionName: { type: 'string', maxLength: 40 },
    docId: { type: 'string', maxLength: 40 },
    fields: { type: 'array', items: { type: 'string' } },
    yourValues: { type: 'object', additionalProperties: true },
    serverValues: { type: 'object', additionalProperties: true },
    reason: { type: 'string', maxLength: 40 },
    message: { type: 'string', maxLength: 2000 },
    createdAt: { type: 'string', maxLength: 32 },
    dismissed: { type: 'boolean' },
  },
  required: ['id', 'collectionName', 'docId', 'fields', 'yourValues', 'reason', 'message', 'createdAt', 'dismissed'],
  indexes: ['createdAt'],
};

/**
 * The same clash resolved twice (a retried push) must not list twice, so the id is made
 * from what the clash was about.
 */
export function noticeFromLost(lost: LostChange, now: Date): Notice {
  return {
    id: `${lost.collection}:${lost.docId}:${lost.againstSeq}:${lost.reason}`.slice(0, 200),
    collectionName: lost.collection,
    docId: lost.docId,
    fields: lost.fields,
    yourValues: lost.yourValues,
    ...(lost.serverValues ? { serverValues: lost.serverValues } : {}),
    reason: lost.reason as Notice['reason'],
    message: lost.message.slice(0, 2000),
    createdAt: now.toISOString(),
    dismissed: false,
  };
}

export async function addNotice(notices: NoticeCollection, lost: LostChange, now = new Date()): Promise<Notice> {
  const notice = noticeFromLost(lost, now);
  await notices.upsert(notice);
  return notice;
}

export async function dismissNotice(notices: NoticeCollection, id: string): Promise<void> {
  const doc = await notices.findOne(id).exec();
  if (doc) await doc.incrementalPatch({ dismissed: true });
}

/** Notices not yet dismissed, newest first (a live RxQuery: `.$` for updates). */
export const openNotices = (notices: NoticeCollection) =>
  notices.find({ selector: { dismissed: false }, sort: [{ createdAt: 'desc' }] });
