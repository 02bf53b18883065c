import * as v from 'valibot';
import type { CollectionName, WireDoc } from './schemas';
import type { ErrorCode } from './errors';
import { seq, str } from './schemas/common';

/** Header carrying the client's schema version; an older one is answered with 426. */
export const SCHEMA_HEADER = 'x-allot-schema';

/**
 * `scope` fingerprints what the person could see when the checkpoint was made; when
 * their reach changes the server restarts the collection from zero and the client
 * replaces what it holds.
 */
export const checkpointSchema = v.object({
  seq,
  scope: v.optional(str(64)),
});
export type Checkpoint = v.InferOutput<typeof checkpointSchema>;

/** The most documents one pull answers with. */
export const MAX_BATCH = 1000;

export const pullRequestSchema = v.object({
  checkpoint: v.nullable(checkpointSchema),
  // "At most batchSize" (DESIGN §5): a larger ask gets the server's largest page, not an error.
  batchSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.check((n) => n <= Number.MAX_SAFE_INTEGER), v.transform((n) => Math.min(n, MAX_BATCH))), 200),
});
export type PullRequest = v.InferOutput<typeof pullRequestSchema>;

export interface PullResponse<C extends CollectionName = CollectionName> {
  documents: WireDoc<C>[];
  checkpoint: Checkpoint | null;
  /** Set when the person's reach changed since `checkpoint`: drop local data and start over. */
  reset?: boolean;
}

/** A pushed row: shape-checked here, each document validated against its collection's schema on the server. */
export const pushRowSchema = v.object({
  assumedMasterState: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
  newDocumentState: v.record(v.string(), v.unknown()),
});
export const pushRequestSchema = v.pipe(v.array(pushRowSchema), v.maxLength(500));
export type PushRow = v.InferOutput<typeof pushRowSchema>;

export interface Rejection {
  id: string;
  code: ErrorCode;
  message: string;
  fields?: string[];
}

export interface PushResponse<C extends CollectionName = CollectionName> {
  conflicts: WireDoc<C>[];
  rejected: Rejection[];
}

/** One Server-Sent Event on /api/orgs/:orgId/sync/stream. */
export type StreamEvent =
  | { type: 'change'; collection: CollectionName; documents: WireDoc[]; checkpoint: Checkpoint }
  | { type: 'reach'; scope: string };
