import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { OrgWriter } from '../store/docs';
import type { Principal } from '../auth/principal';
import type { AppDeps } from '../app-env';
import type { Rejection } from '../../shared/sync';
import { licenseRevoked, materializeOrder, quoteCreated } from '../claims/push-effects';
import { referenceChecks } from './checks';

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

/** Checks that may refuse a row before it is written (unknown references, business rules). */
export type PushCheck<C extends CollectionName = CollectionName> = (
  ctx: Omit<PushEffectContext<C>, 'after'> & { after: WireDoc<C> },
) => Promise<Omit<Rejection, 'id'> | null>;

export const pushChecks: { [C in CollectionName]?: PushCheck<C> } = referenceChecks;
