import { For, Show } from 'solid-js';
import { useSession } from '../session';
import { PageHeader } from '../ui/field';
import { formatDate } from '../ui/format';
import { myLicensesOf, nameMap, productsOf, teamsOf } from './data';

/** Licenses assigned to the signed-in person, however they got them. */
export function MyLicensesPage() {
  const { db, me } = useSession();
  const licenses = myLicensesOf(db, me.account.id);
  const products = nameMap(productsOf(db));
  const teams = nameMap(teamsOf(db));
  return (
    <div class="page">
      <PageHeader title="My licenses" subtitle={`Licenses assigned to ${me.account.email}. Sign in to your product with this email to activate one.`} />
      <Show
        when={licenses().length}
        fallback={
          <div class="empty-state card">
            <h2>No licenses yet</h2>
            <p>When you claim a license through an invitation link, it appears here.</p>
          </div>
        }
      >
        <ul class="license-cards" aria-label="My licenses">
          <For each={licenses()}>
            {(l) => (
              <li class="license-card">
                <div class="license-product">{products().get(l.productId) ?? 'Product'}</div>
                <dl class="facts facts-stacked">
                  <div>
                    <dt>Organization</dt>
                    <dd>{me.org?.name ?? '—'}</dd>
                  </div>
                  <Show when={teams().get(l.teamId)}>
                    <div>
                      <dt>Team</dt>
                      <dd>{teams().get(l.teamId)}</dd>
                    </div>
                  </Show>
                  <div>
                    <dt>Valid until</dt>
                    <dd>{formatDate(l.validUntil)}</dd>
                  </div>
                  <div>
                    <dt>Assigned</dt>
                    <dd>{formatDate(l.assignedAt)}</dd>
                  </div>
                </dl>
                <p class="mono small muted">License {l.id.slice(0, 8)}</p>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
