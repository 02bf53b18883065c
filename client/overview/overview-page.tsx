import { A } from '@solidjs/router';
import { createMemo, For, Show } from 'solid-js';
import { invoicesOf, invoiceState, unpaid } from '../billing/data';
import { allInvitations } from '../invitations/data';
import { licensesOf } from '../licenses/data';
import { nameMap, productsOf, teamsOf } from '../lookups';
import { ordersOf } from '../orders/data';
import { useSession } from '../session';
import { PageHeader } from '../ui/field';
import { formatDate, formatDateTime, formatMoney } from '../ui/format';
import { liveOne } from '../db';
import { licenseUsageOf, seesMachines } from '../machines/data';
import type { Organization } from '../../shared/schemas';
import { expiringSoon, seatsByProduct, unusedSeats } from './data';
import { UnusedSeats } from './unused-seats';

export function OverviewPage() {
  const { db, access, org, href } = useSession();
  const licenses = licensesOf(db);
  const products = productsOf(db);
  const invitations = allInvitations(db);
  const invoices = access.sees('billing') ? invoicesOf(db) : () => [];
  const orders = ordersOf(db);
  const teamNames = nameMap(teamsOf(db));
  const productNames = nameMap(products);
  const refs = createMemo(() => new Map(orders().map((o) => [o.id, o.reference])));
  const seats = createMemo(() => seatsByProduct(licenses(), products()));
  const max = createMemo(() => Math.max(1, ...seats().map((s) => s.used + s.available)));
  const soon = createMemo(() => expiringSoon(invitations(), new Date()));
  const open = createMemo(() => unpaid(invoices()));
  // Unused seats (DESIGN §14) need the machines, which only admins read (server-only rows).
  const { machines } = licenseUsageOf(org.id, access);
  const orgDoc = liveOne<Organization>(db.organizations.findOne(org.id));
  const unused = createMemo(() => {
    const known = machines();
    if (!known) return undefined;
    return unusedSeats(licenses(), known, { notActivatedDays: orgDoc()?.unusedSeatsNotActivatedDays, idleDays: orgDoc()?.unusedSeatsIdleDays }, new Date());
  });
  const totals = createMemo(() => seats().reduce((a, s) => ({ used: a.used + s.used, available: a.available + s.available }), { used: 0, available: 0 }));
  return (
    <div class="page">
      <PageHeader title="Overview" subtitle={org.name} />
      {/* A section the person may not see is absent, never shown as zero (DESIGN §4). */}
      <div class="stats">
        <Show when={access.sees('licenses')}>
          <div class="stat">
            <span class="stat-value">{totals().used}</span>
            <span class="stat-label">seats used</span>
          </div>
          <div class="stat">
            <span class="stat-value">{totals().available}</span>
            <span class="stat-label">seats available</span>
          </div>
          <Show when={unused()}>
            {(u) => (
              <div class="stat">
                <span class="stat-value">{u().length}</span>
                <span class="stat-label">unused seats</span>
              </div>
            )}
          </Show>
        </Show>
        <Show when={access.sees('teams')}>
          <div class="stat">
            <span class="stat-value">{soon().length}</span>
            <span class="stat-label">invitations expiring soon</span>
          </div>
        </Show>
        <Show when={access.sees('billing')}>
          <div class="stat">
            <span class="stat-value">{open().length}</span>
            <span class="stat-label">unpaid invoices</span>
          </div>
        </Show>
      </div>
      <Show when={access.sees('licenses')}>
      <section class="card" aria-labelledby="seats-title">
        <h2 id="seats-title">Seats per product</h2>
        <div class="legend" aria-hidden="true">
          <span class="legend-used">Used</span>
          <span class="legend-free">Available</span>
        </div>
        <Show when={seats().length} fallback={<p class="muted">No licenses yet.</p>}>
          <ul class="bars" aria-label="Seats used and available per product">
            <For each={seats()}>
              {(s) => (
                <li class="bar-row">
                  <span class="bar-label">{s.name}</span>
                  <span
                    class="bar"
                    role="img"
                    aria-label={`${s.name}: ${s.used} used, ${s.available} available`}
                    style={{ width: `${((s.used + s.available) / max()) * 100}%` }}
                  >
                    <span class="bar-used" style={{ width: `${(s.used / Math.max(1, s.used + s.available)) * 100}%` }} />
                  </span>
                  <span class="bar-figures" aria-hidden="true">
                    {s.used} / {s.used + s.available}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
      </Show>
      <Show when={access.sees('licenses') && seesMachines(access)}>
        <UnusedSeats seats={() => unused() ?? []} loaded={() => !!unused()} org={orgDoc} pname={(id) => productNames().get(id) ?? 'Product'} teamName={(id) => teamNames().get(id) ?? ''} />
      </Show>
      <div class="grid-2">
        <Show when={access.sees('teams')}>
        <section class="card" aria-labelledby="soon-title">
          <h2 id="soon-title">Invitations expiring soon</h2>
          <Show when={soon().length} fallback={<p class="muted">No invitation expires in the next two weeks.</p>}>
            <ul class="plain-list">
              <For each={soon()}>
                {(i) => (
                  <li class="list-line">
                    <A href={href(`/invitations/${i.id}`)}>{i.name || `${productNames().get(i.productId) ?? 'Product'} invitation`}</A>
                    <span class="muted">
                      {teamNames().get(i.teamId) ?? ''} · expires {formatDateTime(i.expiresAt)}
                    </span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
        </Show>
        <Show when={access.sees('billing')}>
          <section class="card" aria-labelledby="unpaid-title">
            <h2 id="unpaid-title">Unpaid invoices</h2>
            <Show when={open().length} fallback={<p class="muted">{invoices().length ? 'Every invoice is paid.' : 'No invoices yet.'}</p>}>
              <ul class="plain-list">
                <For each={open()}>
                  {(i) => (
                    <li class="list-line">
                      <A href={href(`/orders/${i.orderId}`)}>
                        {i.number} · {refs().get(i.orderId) ?? 'order'}
                      </A>
                      <span classList={{ danger: invoiceState(i, new Date()) === 'overdue', muted: invoiceState(i, new Date()) !== 'overdue' }}>
                        {formatMoney(i.amountCents, i.currency)} · due {formatDate(i.dueAt)}
                      </span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </section>
        </Show>
      </div>
    </div>
  );
}
