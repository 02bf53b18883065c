import { For, Match, onMount, Switch } from 'solid-js';
import { useAccount } from '../session';
import { PageHeader } from '../ui/field';
import { formatDate } from '../ui/format';
import { licenseRef } from '../../shared/license-ref';
import { sortedLicenses } from './data';
import { MyMachines } from './my-machines';

/**
 * Licenses assigned to the signed-in person, however they got them, from every organization
 * (DESIGN §5 "My licenses"), each with the machines it is active on (DESIGN §14). The
 * account's, not an organization's: it opens with no organization at all, and a claim, revoke
 * or move anywhere shows here at once.
 */
export function MyLicensesPage() {
  const account = useAccount();
  const licenses = () => sortedLicenses(account.licenses());
  // Machines are server-only rows: read them again whenever the page opens.
  onMount(() => void account.refreshLicenses());
  return (
    <div class="page">
      <PageHeader
        title="My licenses"
        subtitle={`Licenses assigned to ${account.me().account.email}, in every organization. To activate one, start your product: it shows a code to enter at ${location.origin}/activate.`}
      />
      <Switch
        fallback={
          <ul class="license-cards" aria-label="My licenses">
            <For each={licenses()}>
              {(l) => (
                <li class="license-card">
                  <div class="license-product">{l.product.name}</div>
                  <dl class="facts facts-stacked">
                    <div>
                      <dt>Organization</dt>
                      <dd>{l.organization.name}</dd>
                    </div>
                    <div>
                      <dt>Team</dt>
                      <dd>{l.team.name}</dd>
                    </div>
                    <div>
                      <dt>Valid until</dt>
                      <dd>{formatDate(l.license.validUntil)}</dd>
                    </div>
                    <div>
                      <dt>Assigned</dt>
                      <dd>{formatDate(l.license.assignedAt)}</dd>
                    </div>
                  </dl>
                  <MyMachines
                    machines={l.machines ?? []}
                    productName={l.product.name}
                    limit={l.product.machinesPerLicense}
                    onDeactivated={() => void account.refreshLicenses()}
                  />
                  <p class="mono small muted">License {licenseRef(l.license.id)}</p>
                </li>
              )}
            </For>
          </ul>
        }
      >
        <Match when={account.licenses() === undefined}>
          <p role="status">Loading your licenses…</p>
        </Match>
        <Match when={licenses().length === 0}>
          <div class="empty-state card">
            <h2>No licenses yet</h2>
            <p>When you claim a license through an invitation link, it appears here.</p>
          </div>
        </Match>
      </Switch>
    </div>
  );
}
