import { A, useParams } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { invoiceState } from '../billing/data';
import { contactsOf } from '../contacts/data';
import { mayActOnLicenses } from '../licenses/license-actions';
import { licenseActionsColumn } from '../licenses/license-columns';
import { licensesOfOrder, STATUS_WORDS } from '../licenses/data';
import { nameMap, productsOf, teamsOf } from '../lookups';
import { useSession } from '../session';
import { PendingBadge, StatusBadge } from '../ui/badges';
import { PageHeader, SearchField } from '../ui/field';
import { compareInstants } from '../../shared/dates';
import { licenseRef } from '../../shared/license-ref';
import { formatDate, formatMoney, plural } from '../ui/format';
import { VirtualTable, DATE_COLUMN } from '../ui/virtual-table';
import { certificateHref, invoicesOfOrder, orderById, ordersOf, partyOf, placedByWords } from './data';
import { RecordOrderDialog } from './record-order';
import type { Order } from '../../shared/schemas';

const INVOICE_WORDS = { paid: 'Paid', overdue: 'Overdue', open: 'Unpaid' } as const;

export function OrdersPage() {
  const { db, access, href } = useSession();
  const orders = ordersOf(db);
  const products = productsOf(db);
  const teams = teamsOf(db);
  const contacts = access.isOrgAdmin ? contactsOf(db) : () => [];
  const productNames = nameMap(products);
  const teamNames = nameMap(teams);
  const [text, setText] = createSignal('');
  const [recording, setRecording] = createSignal(false);
  const shown = createMemo(() => {
    const t = text().trim().toLowerCase();
    return orders()
      .filter((o) => !t || o.reference.toLowerCase().includes(t) || partyOf(o).email.includes(t) || partyOf(o).name.toLowerCase().includes(t))
      .sort((a, b) => compareInstants(b.placedAt, a.placedAt));
  });
  const teamOf = (o: Order) =>
    !o.teamId ? (
      <span class="muted">{o.teamName || o.reference} (being created)</span>
    ) : teamNames().has(o.teamId) ? (
      <A href={href(`/teams/${o.teamId}`)}>{teamNames().get(o.teamId)}</A>
    ) : (
      // A team this person may not open (a partner's or an order contact's view): its name only.
      <span>{o.teamName || o.reference}</span>
    );
  const placedBy = placedByWords(db, access);
  return (
    <div class="page">
      <PageHeader title="Orders" subtitle="Orders placed for the organization. Each order’s licenses land in a team.">
        <Show when={access.canRecordOrders}>
          <button type="button" class="button button-primary" onClick={() => setRecording(true)}>
            Record order
          </button>
        </Show>
      </PageHeader>
      <div class="toolbar" role="search">
        <SearchField label="Filter orders" value={text()} onInput={setText} placeholder="Reference or licensee" />
        <p class="toolbar-count">{plural(shown().length, 'order')}</p>
      </div>
      <VirtualTable
        label="Orders"
        rows={shown()}
        rowHeight={60}
        empty="No orders yet."
        columns={[
          {
            header: 'Reference',
            width: 'minmax(8rem, 1fr)',
            cell: (o) => (
              <span class="cell-stack">
                <A href={href(`/orders/${o.id}`)} class="strong">
                  {o.reference}
                </A>
                <span class="small">
                  <PendingBadge seq={o.seq} />
                </span>
              </span>
            ),
          },
          { header: 'Placed', width: DATE_COLUMN, optional: true, cell: (o) => formatDate(o.placedAt) },
          {
            header: 'Products',
            width: 'minmax(9rem, 1.5fr)',
            cell: (o) => (
              <span class="truncate">{o.lines.map((l) => `${l.quantity} × ${productNames().get(l.productId) ?? 'product'}`).join(', ')}</span>
            ),
          },
          { header: 'Team', width: 'minmax(7rem, 1fr)', cell: teamOf },
          {
            header: 'Licensee',
            width: 'minmax(9rem, 1.2fr)',
            optional: true,
            cell: (o) => (
              <span class="cell-stack">
                <span>{partyOf(o).name}</span>
                <span class="muted small">{partyOf(o).email}</span>
              </span>
            ),
          },
          { header: 'Valid until', width: DATE_COLUMN, optional: true, cell: (o) => formatDate(o.validUntil) },
          { header: 'Placed by', width: 'minmax(10rem, 1fr)', optional: true, cell: (o) => placedBy(o) || <span class="muted">—</span> },
        ]}
      />
      <RecordOrderDialog open={recording()} onOpenChange={setRecording} products={products()} teams={teams()} contacts={contacts()} />
    </div>
  );
}

function OrderView(props: { order: Order }) {
  const { db, href, access, org } = useSession();
  // One view per order: its id never changes, so the queries are made once.
  // eslint-disable-next-line solid/reactivity
  const licenses = licensesOfOrder(db, props.order.id);
  // eslint-disable-next-line solid/reactivity
  const invoices = invoicesOfOrder(db, props.order.id);
  const teams = teamsOf(db);
  const productNames = nameMap(productsOf(db));
  const teamNames = nameMap(teams);
  // In reading order (issue 16 §17): by product, the assigned ones first, then by holder, then by reference.
  const sortedLicenses = createMemo(() =>
    [...licenses()].sort(
      (a, b) =>
        (productNames().get(a.productId) ?? '').localeCompare(productNames().get(b.productId) ?? '') ||
        Number(b.status === 'assigned') - Number(a.status === 'assigned') ||
        (a.assignee?.name || a.assignee?.email || '').localeCompare(b.assignee?.name || b.assignee?.email || '') ||
        a.id.localeCompare(b.id),
    ),
  );
  const pname = (id: string) => productNames().get(id) ?? 'Unknown product';
  const billing = () => props.order.billing ?? partyOf(props.order);
  const placedBy = placedByWords(db, access);
  const subtitle = () =>
    `Placed ${formatDate(props.order.placedAt)}${placedBy(props.order) ? ` by ${placedBy(props.order)}` : ''} · valid until ${formatDate(props.order.validUntil)}`;
  return (
    <div class="page">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <A href={href('/orders')}>Orders</A> <span aria-hidden="true">/</span> <span>{props.order.reference}</span>
      </nav>
      <PageHeader title={`Order ${props.order.reference}`} subtitle={subtitle()}>
        <PendingBadge seq={props.order.seq} label="Pending — licenses appear once synced" />
        <Show when={props.order.materializedAt && access.mayGetCertificate(props.order.id)}>
          <a class="button" href={certificateHref(org.id, props.order.id, 'pdf')} download="">
            License certificate (PDF)
          </a>
          <a class="button" href={certificateHref(org.id, props.order.id, 'json')} download="" title="Signed copy, checked against the server's published keys">
            Signed certificate (JSON)
          </a>
        </Show>
        <Show when={access.sees('audit')}>
          <A class="button" href={href(`/audit?doc=${encodeURIComponent(props.order.id)}`)}>
            History
          </A>
        </Show>
      </PageHeader>
      <div class="grid-3">
        <section class="card" aria-labelledby="o-products">
          <h2 id="o-products">Products</h2>
          <ul class="plain-list">
            <For each={props.order.lines}>
              {(l) => (
                <li>
                  <strong>{l.quantity}</strong> × {pname(l.productId)}
                </li>
              )}
            </For>
          </ul>
        </section>
        <section class="card" aria-labelledby="o-team">
          <h2 id="o-team">Team</h2>
          <p>
            {props.order.teamId && teamNames().has(props.order.teamId) ? (
              <A href={href(`/teams/${props.order.teamId}`)}>{teamNames().get(props.order.teamId)}</A>
            ) : props.order.teamId ? (
              props.order.teamName || props.order.reference
            ) : (
              `A team named “${props.order.teamName || props.order.reference}” is created when the order syncs.`
            )}
          </p>
        </section>
        <section class="card" aria-labelledby="o-contacts">
          <h2 id="o-contacts">Contacts</h2>
          <dl class="facts facts-stacked">
            <div>
              <dt>Licensee</dt>
              <dd>
                {partyOf(props.order).name} · {partyOf(props.order).email}
              </dd>
            </div>
            <div>
              <dt>Billing</dt>
              <dd>
                {billing().name} · {billing().email}
                {props.order.billing ? '' : ' (same as licensee)'}
              </dd>
            </div>
          </dl>
        </section>
      </div>
      <section aria-labelledby="o-licenses">
        <h2 id="o-licenses">Licenses</h2>
        <VirtualTable
          label={`Licenses of order ${props.order.reference}`}
          rows={sortedLicenses()}
          rowHeight={60}
          empty={props.order.seq === 0 ? 'The licenses are created when the order reaches the server.' : 'No licenses.'}
          columns={[
            {
              header: 'Product',
              width: 'minmax(8rem, 1.3fr)',
              // With the reference the license certificate lists (L-XXXX-XXXX), to match one with the other.
              cell: (l) => (
                <span class="cell-stack">
                  <span>{pname(l.productId)}</span>
                  <span class="mono small muted">{licenseRef(l.id)}</span>
                </span>
              ),
            },
            {
              header: 'Team',
              width: 'minmax(7rem, 1fr)',
              cell: (l) =>
                teamNames().has(l.teamId) ? <A href={href(`/teams/${l.teamId}`)}>{teamNames().get(l.teamId)}</A> : props.order.teamName || props.order.reference,
            },
            {
              header: 'Status',
              width: '7rem',
              cell: (l) => <StatusBadge tone={l.status === 'assigned' ? 'info' : 'ok'}>{STATUS_WORDS[l.status]}</StatusBadge>,
            },
            { header: 'Assignee', width: 'minmax(8rem, 1.3fr)', cell: (l) => l.assignee?.email ?? '—' },
            ...licenseActionsColumn(pname, teams, mayActOnLicenses(access)),
          ]}
        />
      </section>
      <section aria-labelledby="o-invoices">
        <h2 id="o-invoices">Invoices</h2>
        <VirtualTable
          label={`Invoices of order ${props.order.reference}`}
          rows={invoices()}
          empty="No invoices for this order yet."
          columns={[
            { header: 'Number', width: '1fr', cell: (i) => i.number },
            { header: 'Amount', width: '1fr', cell: (i) => formatMoney(i.amountCents, i.currency) },
            { header: 'Due', width: '1fr', cell: (i) => formatDate(i.dueAt) },
            {
              header: 'Status',
              width: '1fr',
              cell: (i) => {
                const s = invoiceState(i, new Date());
                return <StatusBadge tone={s === 'paid' ? 'ok' : s === 'overdue' ? 'danger' : 'warn'}>{INVOICE_WORDS[s]}</StatusBadge>;
              },
            },
          ]}
        />
      </section>
    </div>
  );
}

export function OrderPage() {
  const params = useParams<{ orderId: string }>();
  const { db } = useSession();
  const order = orderById(db, params.orderId);
  return (
    <Show when={order() !== undefined} fallback={<p class="muted">Loading…</p>}>
      <Show when={order()} fallback={<p class="empty-state">This order does not exist or you may not see it.</p>}>
        {(o) => <OrderView order={o()} />}
      </Show>
    </Show>
  );
}
