/** The types every part of the replication shares (in a file of their own, so no part imports another for them). */
import type { RxReplicationPullStreamItem } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import type { CollectionName, DocOf } from '../../shared/schemas';
import type { Checkpoint } from '../../shared/sync';

/** Any replicated document, as RxDB's replication sees it. */
export type ReplicatedDoc = DocOf<CollectionName>;
export type AllotReplication = RxReplicationState<ReplicatedDoc, Checkpoint>;
export type PullStreamItem = RxReplicationPullStreamItem<ReplicatedDoc, Checkpoint>;
