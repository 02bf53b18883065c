import { A } from '@solidjs/router';
import { createMemo, createSignal, For } from 'solid-js';
import type { License } from '../../shared/schemas';
import { nameMap, productsOf, teamsOf } from '../lookups';
import { ordersOf } from '../orders/data';
import { licenseUsageOf, seesMachines } from '../machines/data';
import { useSession } from '../session';
import { PendingLine } from '../ui/badges';
import { PageHeader, SearchField, SelectField, TableScroll } from '../ui/field';
import { byName, formatDate } from '../ui/format';
import { licenseRef } from '../../shared/license-ref';
import { VirtualTable } from '../ui/virtual-table';
import { activeSubscriptions, filterLicenses, licensesOf, sortLicenses } from './data';
import { licenseColumns } from './license-columns';
import { mayActOnLicenses } from './license-actions';

export function LicensesPage() {
  const { db, href, org, access } = useSession();
  const licenses = licensesOf(db);
  const orders = ordersOf(db);
  const products = productsOf(db);
  const teams = teamsOf(db);
  const { usage } = licenseUsageOf(org.id, access);
  const productNames = nameMap(products);
  const teamNames = nameMap(teams);
  const [productId, setProductId] = createSignal('');
  const [teamId, setTeamId] = createSignal('');
  const [status, setStatus] = createSignal<License['status'] | ''>('');
  const [assignee, setAssignee] = createSignal('');
  const subscriptions = createMemo(() => activeSubscriptions(licenses(), orders(), new Date()));
  const shown = createMemo(() =>
    sortLicenses(
      filterLicenses(licenses(), { productId: productId(), teamId: teamId(), status: status(), assignee: assignee() }),
      productNames(),
      teamNames(),
    ),
  );
  const pname = (id: string) => productNames().get(id) ?? 'Unknown product';
  // A team this person may not open (a partner's or an order contact's view) shows by name, not as a link:
  // the name its order gave it, which is all they may know of it.
  const orderTeamNames = createMemo(() => new Map(orders().map((o) => [o.teamId, o.teamName || o.reference])));
  const teamLink = (id: string) =>
    teamNames().has(id) ? <A href={href(`/teams/${id}`)}>{teamNames().get(id)}</A> : <span>{orderTeamNames().get(id) ?? 'Unknown team'}</span>;

  return (
    <div class="page">
      <PageHeader
        title="Licenses"
        subtitle={
          access.isOrgAdmin
            ? 'Every license of the organization, by order, product and team.'
            : access.isPartner
              ? 'The licenses of the orders you placed, by product and team.'
              : 'The licenses you may see, by order, product and team.'
        }
      />
      <section class="card" aria-labelledby="subs-title">
        <h2 id="subs-title">Active subscriptions</h2>
        <TableScroll label="Active subscriptions">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Product</th>
                <th scope="col" class="num">
                  Quantity
                </th>
                <th scope="col" class="num">
                  Assigned
                </th>
                <th scope="col" class="num">
                  Available
                </th>
                <th scope="col">Valid until</th>
                <th scope="col">Team</th>
              </tr>
            </thead>
            <tbody>
              <For each={subscriptions()} fallback={<tr><td colSpan={7} class="muted">No active subscriptions.</td></tr>}>
                {(s) => (
                  <tr>
                    <td>
                      <A href={href(`/orders/${s.orderId}`)} class="nowrap">
                        {s.reference}
                      </A>
                    </td>
                    <th scope="row">{pname(s.productId)}</th>
                    <td class="num">{s.quantity}</td>
                    <td class="num">{s.assigned}</td>
                    <td class="num">{s.available}</td>
                    <td>{formatDate(s.validUntil)}</td>
                    <td>
                      <For each={s.teamIds}>
                        {(t, i) => (
                          <>
                            {i() > 0 ? ', ' : ''}
                            {teamLink(t)}
                          </>
                        )}
                      </For>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </TableScroll>
      </section>
      <section aria-labelledby="list-title">
        <h2 id="list-title">All licenses</h2>
        <div class="toolbar" role="search">
          <SelectField
            compact
            label="Product"
            value={productId()}
            onChange={setProductId}
            options={[{ value: '', label: 'All products' }, ...[...products()].sort(byName).map((p) => ({ value: p.id, label: p.name }))]}
          />
          <SelectField
            compact
            label="Team"
            value={teamId()}
            onChange={setTeamId}
            options={[{ value: '', label: 'All teams' }, ...[...teams()].sort(byName).map((t) => ({ value: t.id, label: t.name }))]}
          />
          <SelectField
            compact
            label="Status"
            value={status()}
            onChange={(v) => setStatus(v as License['status'] | '')}
            options={[
              { value: '', label: 'All' },
              { value: 'assigned', label: 'Assigned' },
              { value: 'available', label: 'Available' },
            ]}
          />
          <SearchField label="Assignee" value={assignee()} onInput={setAssignee} placeholder="Name or email" />
          <p class="toolbar-count" aria-live="polite">
            {shown().length} of {licenses().length} licenses
          </p>
        </div>
        <VirtualTable
          label="Licenses"
          rows={shown()}
          rowHeight={60}
          empty="No licenses match these filters."
          columns={[
            {
              header: 'Product',
              width: 'minmax(8rem, 1.3fr)',
              cell: (l) => (
                <span class="cell-stack">
                  <PendingLine seq={l.seq} class="strong">
                    {pname(l.productId)}
                  </PendingLine>
                  <span class="mono small muted">{licenseRef(l.id)}</span>
                </span>
              ),
            },
            { header: 'Team', width: 'minmax(7rem, 1fr)', cell: (l) => teamLink(l.teamId) },
            ...licenseColumns(pname, teams, seesMachines(access) ? usage : undefined, mayActOnLicenses(access)),
          ]}
        />
      </section>
    </div>
  );
}
