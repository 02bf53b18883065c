import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { OrgWriter } from '../store/docs';
import type { Principal } from '../auth/principal';
import type { AppDeps } from '../app-env';
import type { Rejection } from '../../shared/sync';
import { licenseRevoked, materializeOrder, quoteCreated } from '../claims/push-effects';
import { isArriving, referenceChecks } from './checks';
import { ensureAccount } from '../auth/signin';

export interface PushEffectContext<C extends CollectionName = CollectionName> {
  w: OrgWriter;
  principal: Principal;
  before: WireDoc<C> | undefined;
  after: WireDoc<C>;
  deps: AppDeps;
}

/** Server work that follows an accepted pushed row, inside the same transaction (orders materialize, revokes notify…). */
export type PushEffect<C extends CollectionName = CollectionName> = (ctx: PushEffectContext<C>) => Promise<void>;

export const pushEffects: { [C in CollectionName]?: PushEffect<C> } = {
  orders: materializeOrder,
  licenses: licenseRevoked,
  quotes: quoteCreated,
};

/**
 * Fields the server fills into an accepted row just before it is written. They belong in that
 * write itself, not in an effect after it: the hub decides whose reach changed from the row as
 * written, and a second write would cost a second change number.
 */
export type PushFill<C extends CollectionName = CollectionName> = (ctx: PushEffectContext<C>) => Promise<WireDoc<C>>;

/**
 * A new member's account: the one of that email, or a new unverified one that the person's
 * first sign-in verifies (signin.ts ensureAccount, as for an organization's first admin).
 * Clients never see accounts, so they push accountId '' (field-rules.ts refuses anything else).
 */
const memberAccount: PushFill<'members'> = async ({ w, before, after }) => {
  if (!isArriving(before, after) || (before && after.accountId)) return after;
  const account = await ensureAccount(w.tx, after.email, w.now, { verified: false, name: after.name });
  return { ...after, email: account.email, accountId: account.id };
};

export const pushFills: { [C in CollectionName]?: PushFill<C> } = {
  members: memberAccount,
};

/** Checks that may refuse a row before it is written (unknown references, business rules). */
export type PushCheck<C extends CollectionName = CollectionName> = (
  ctx: Omit<PushEffectContext<C>, 'after'> & { after: WireDoc<C> },
) => Promise<Omit<Rejection, 'id'> | null>;

export const pushChecks: { [C in CollectionName]?: PushCheck<C> } = referenceChecks;
