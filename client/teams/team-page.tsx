import { A, useParams, useSearchParams } from '@solidjs/router';
import * as Tabs from '@kobalte/core/tabs';
import { createMemo, createSignal, Show } from 'solid-js';
import { acceptancesOfTeam, availableByProduct, invitationsOfTeam, invitationState, licensesOfTeam, STATE_TONES, STATE_WORDS } from '../invitations/data';
import { CreateInvitationDialog } from '../invitations/create-invitation';
import { licenseColumns } from '../licenses/license-columns';
import { mayActOnLicenses } from '../licenses/license-actions';
import { nameMap, productsOf } from '../lookups';
import { licenseUsageOf, seesMachines } from '../machines/data';
import { useSession } from '../session';
import { PendingBadge, PendingLine, StatusBadge } from '../ui/badges';
import { PageHeader, SelectField } from '../ui/field';
import { formatDate, plural } from '../ui/format';
import { VirtualTable, DATE_COLUMN } from '../ui/virtual-table';
import { teamById, teamsOf } from './data';
import { TeamNameDialog } from './teams-page';

export function TeamPage() {
  const params = useParams<{ teamId: string }>();
  const [search, setSearch] = useSearchParams<{ tab?: string }>();
  const { db, access, href, org } = useSession();
  const team = teamById(db, params.teamId);
  const teams = teamsOf(db);
  const { usage } = licenseUsageOf(org.id, access);
  const products = productsOf(db);
  const productNames = nameMap(products);
  const licenses = licensesOfTeam(db, params.teamId);
  const invitations = invitationsOfTeam(db, params.teamId);
  const acceptances = acceptancesOfTeam(db, params.teamId);
  const [creating, setCreating] = createSignal(false);
  const [renaming, setRenaming] = createSignal(false);
  const [status, setStatus] = createSignal('');
  const tab = () => (search.tab === 'invitations' ? 'invitations' : 'licenses');
  const claims = createMemo(() => {
    const m = new Map<string, number>();
    for (const a of acceptances()) m.set(a.invitationId, (m.get(a.invitationId) ?? 0) + 1);
    return m;
  });
  const shownLicenses = createMemo(() =>
    licenses()
      .filter((l) => !status() || l.status === status())
      .sort(
        (a, b) =>
          (productNames().get(a.productId) ?? '').localeCompare(productNames().get(b.productId) ?? '') ||
          a.status.localeCompare(b.status),
      ),
  );
  const sortedInvitations = createMemo(() => [...invitations()].sort((a, b) => (b.name ?? '').localeCompare(a.name ?? '')));
  const available = () => licenses().filter((l) => l.status === 'available').length;
  const now = new Date();
  const availableOf = createMemo(() => availableByProduct(licenses()));
  const pname = (id: string) => productNames().get(id) ?? 'Unknown product';

  return (
    <Show when={team() !== undefined} fallback={<p class="muted">Loading…</p>}>
      <Show when={team()} fallback={<p class="empty-state">This team does not exist or you may not see it.</p>}>
        {(t) => (
          <div class="page">
            <nav aria-label="Breadcrumb" class="breadcrumb">
              <A href={href('/teams')}>Teams</A> <span aria-hidden="true">/</span> <span>{t().name}</span>
            </nav>
            <PageHeader
              title={t().name}
              subtitle={`${plural(licenses().length, 'license')}, ${available()} available${t().createdFromOrderId ? ' · created for an order' : ''}`}
            >
              <PendingBadge seq={t().seq} />
              <Show when={access.isOrgAdmin}>
                <button type="button" class="button" onClick={() => setRenaming(true)}>
                  Rename team
                </button>
              </Show>
              <Show when={access.sees('audit')}>
                <A class="button" href={href(`/audit?doc=${encodeURIComponent(t().id)}`)}>
                  History
                </A>
              </Show>
              <Show when={access.canManageTeam(t().id) && access.memberId}>
                <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
                  Create Invitation
                </button>
              </Show>
            </PageHeader>
            <Tabs.Root
              value={tab()}
              onChange={(v) => setSearch({ tab: v === 'licenses' ? undefined : v })}
              class="tabs"
            >
              <Tabs.List class="tabs-list" aria-label="Team sections">
                <Tabs.Trigger value="licenses" class="tabs-trigger">
                  Licenses
                </Tabs.Trigger>
                <Tabs.Trigger value="invitations" class="tabs-trigger">
                  Invitations
                </Tabs.Trigger>
              </Tabs.List>
              <Tabs.Content value="licenses" class="tabs-content">
                <div class="toolbar">
                  <SelectField
                    compact
                    label="Status"
                    value={status()}
                    onChange={setStatus}
                    options={[
                      { value: '', label: 'All' },
                      { value: 'assigned', label: 'Assigned' },
                      { value: 'available', label: 'Available' },
                    ]}
                  />
                  <p class="toolbar-count">{plural(shownLicenses().length, 'license')}</p>
                </div>
                <VirtualTable
                  label={`Licenses of ${t().name}`}
                  rows={shownLicenses()}
                  empty="No licenses in this team."
                  columns={[
                    { header: 'Product', width: 'minmax(8rem, 1.4fr)', cell: (l) => <span class="strong">{pname(l.productId)}</span> },
                    ...licenseColumns(pname, teams, seesMachines(access) ? usage : undefined, mayActOnLicenses(access)),
                  ]}
                />
              </Tabs.Content>
              <Tabs.Content value="invitations" class="tabs-content">
                <p class="muted">
                  Copy an invitation link and share it with your team members: each person who opens it and signs in claims
                  one license.
                </p>
                <VirtualTable
                  label="Invitations"
                  rows={sortedInvitations()}
                  empty="No invitations yet. Use Create Invitation to make a link."
                  columns={[
                    {
                      header: 'Invitation',
                      width: 'minmax(9rem, 1.6fr)',
                      cell: (i) => (
                        <span class="cell-stack">
                          <A href={href(`/invitations/${i.id}`)} class="strong">
                            {i.name || `${pname(i.productId)} invitation`}
                          </A>
                          <PendingLine seq={i.seq} label="Pending — link appears once synced" class="muted small">
                            {pname(i.productId)}
                          </PendingLine>
                        </span>
                      ),
                    },
                    { header: 'Expires', width: DATE_COLUMN, cell: (i) => (i.expiresAt ? formatDate(i.expiresAt) : 'Never') },
                    {
                      header: 'Claims',
                      width: '5.5rem',
                      cell: (i) => `${claims().get(i.id) ?? 0}${i.maxClaims ? ` / ${i.maxClaims}` : ''}`,
                    },
                    {
                      header: 'Status',
                      width: '6.5rem',
                      cell: (i) => {
                        const accepted = claims().get(i.id) ?? 0;
                        const left = Math.min(availableOf().get(i.productId) ?? 0, i.maxClaims === undefined ? Infinity : i.maxClaims - accepted);
                        const s = invitationState(i, accepted, now, left);
                        return <StatusBadge tone={STATE_TONES[s]}>{STATE_WORDS[s]}</StatusBadge>;
                      },
                    },
                  ]}
                />
              </Tabs.Content>
            </Tabs.Root>
            <CreateInvitationDialog open={creating()} onOpenChange={setCreating} teamId={t().id} products={products()} available={availableOf()} />
            <TeamNameDialog open={renaming()} onOpenChange={setRenaming} team={t()} />
          </div>
        )}
      </Show>
    </Show>
  );
}
