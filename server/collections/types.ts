import type { CollectionName, DocOf, WireDoc } from '../../shared/schemas';
import type { Refusal } from '../../shared/permissions';
import type { AppDeps } from '../app-env';
import type { Principal } from '../auth/principal';
import type { OrgWriter } from '../store/docs';

export type { Refusal };

/** One pushed row on its way in: the stored state (if any) and the state the client sent, parsed by the schema. */
export interface PushContext<C extends CollectionName = CollectionName> {
  w: OrgWriter;
  principal: Principal & { orgId: string };
  before: WireDoc<C> | undefined;
  after: WireDoc<C>;
  deps: AppDeps;
}

type Field<C extends CollectionName> = Extract<keyof DocOf<C>, string>;

/**
 * What the server does with one collection's pushed rows (DESIGN §4 field rules, §9
 * invariants, and the work that follows a change), besides the role rules of
 * shared/permissions.ts. The push pipeline (server/sync/push.ts) runs, for each row: the
 * role rules, then `serverWritten` / `immutable` / `serverOnly` / `fields`, then `check`,
 * then `fill`, writes the row, and then `effect` — all in the push's one transaction.
 */
export interface CollectionRules<C extends CollectionName> {
  /** Only the server writes this collection: every pushed row is refused (`server-only`). */
  serverWritten?: boolean;
  /** Fields a client may set when creating a document but never change afterwards (`immutable-field`). */
  immutable?: readonly Field<C>[];
  /** Fields only the server sets: a client leaves them as the server last wrote them, empty on a new document (`server-only`). */
  serverOnly?: readonly Field<C>[];
  /** May this change clear server-only fields (a revoke clears a license's assignment)? */
  mayClearServerOnly?(before: WireDoc<C>, after: WireDoc<C>): boolean;
  /** Field rules of this collection beyond the lists above (no database). */
  fields?(before: WireDoc<C> | undefined, after: WireDoc<C>): Refusal | null;
  /** Rules that need the database (references, invariants); a refusal rejects the row. */
  check?(ctx: PushContext<C>): Promise<Refusal | null>;
  /**
   * Fields the server fills into an accepted row just before it is written. They belong in
   * that write itself, not in an effect after it: the hub decides whose reach changed from the
   * row as written, and a second write would cost a second change number. Runs only once every
   * check passed (a refused row shares the transaction with accepted ones and must leave nothing).
   */
  fill?(ctx: PushContext<C>): Promise<WireDoc<C>>;
  /** Work that follows the written row (`after` as stored) in the same transaction: materializing, notifying. */
  effect?(ctx: PushContext<C>): Promise<void>;
}

/** A row that makes a document live that was not (new, or brought back after a delete). */
export const isArriving = (before: { _deleted: boolean } | undefined, after: { _deleted: boolean }): boolean =>
  !after._deleted && (!before || before._deleted);
