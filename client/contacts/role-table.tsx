import { createMemo, For, Show } from 'solid-js';
import { TOPIC_NAMES } from '../../shared/notifications';
import type { Contact, Member, Order } from '../../shared/schemas';
import { plural } from '../ui/format';
import { TableScroll } from '../ui/field';
import { CONTACT_TOPICS, orderReceivers, receiversToday, roleHoldersFilter, topicAlsoGoesTo, topicHoldersFilter } from './data';

/** The seed's role table, its empty cells filled from DESIGN §4. */
const ROLE_ROWS: { role: string; kind: string; sees: string; changes: string; emails: string }[] = [
  {
    role: 'Organization admin',
    kind: 'Member role',
    sees: 'The whole organization',
    changes: 'Everything: contacts, teams, orders, licenses, invitations, members',
    emails: 'License claimed (own invitations), order placed',
  },
  {
    role: 'Team admin',
    kind: 'Member role',
    sees: 'Own teams, their licenses, invitations and accepted invitations; products',
    changes: 'Invitations and license revokes of own teams',
    emails: 'License claimed (own invitations)',
  },
  {
    role: 'Primary licensee',
    kind: 'Primary contact role',
    sees: 'Teams, licenses, invitations, accepted invitations, orders',
    changes: '—',
    emails: 'License claimed, licenses expiring, data protection',
  },
  {
    role: 'Primary technical',
    kind: 'Primary contact role',
    sees: 'Teams, licenses, products',
    changes: '—',
    emails: 'Security and privacy updates',
  },
  {
    role: 'Primary billing',
    kind: 'Primary contact role',
    sees: 'Orders, invoices, quotes',
    changes: 'Invoices (mark paid), quotes (request)',
    emails: 'Unpaid invoices, new quotes',
  },
  {
    role: 'Order-specific contact',
    kind: 'Added with an order',
    sees: 'Their orders, those orders’ licenses and invoices',
    changes: '—',
    emails: 'Their orders only: license certificate (licensee), invoice and receipt (billing), licenses expiring',
  },
  { role: 'Unpaid invoices', kind: 'Notifications-only contact role', sees: 'Nothing', changes: '—', emails: 'Email reminders for invoices that are past due' },
  { role: 'New quotes', kind: 'Notifications-only contact role', sees: 'Nothing', changes: '—', emails: 'Copies of all quotes requested for your organization' },
  {
    role: 'Security and privacy updates',
    kind: 'Notifications-only contact role',
    sees: 'Nothing',
    changes: '—',
    emails: 'New features, improvements, or changes related to security',
  },
  { role: 'Data protection', kind: 'Notifications-only contact role', sees: 'Nothing', changes: '—', emails: 'Critical alerts regarding personal data protection' },
];

export function RoleTable() {
  return (
    <section class="card" aria-labelledby="role-table-title">
      <h2 id="role-table-title">Contact roles</h2>
      <p class="muted">
        Multiple users can share the same contact role, and a single user can have multiple roles. Users can also
        combine a contact role with other roles, such as organization or team admin.
      </p>
      <TableScroll label="Contact roles">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Kind</th>
              <th scope="col">May see</th>
              <th scope="col">Permitted actions</th>
              <th scope="col">Email notifications</th>
            </tr>
          </thead>
          <tbody>
            <For each={ROLE_ROWS}>
              {(r) => (
                <tr>
                  <th scope="row">{r.role}</th>
                  <td class="muted">{r.kind}</td>
                  <td>{r.sees}</td>
                  <td>{r.changes}</td>
                  <td>{r.emails}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

/** "Ann <a@x>, Bo <b@x> — and the admin who created the invitation"; "Only the admin who …" when no contact; "Nobody". */
export function receiversWords(people: string[], also: string | null): string {
  if (!people.length) return also ? `Only ${also}` : 'Nobody';
  return also ? `${people.join(', ')} — and ${also}` : people.join(', ');
}

const ORDER_ROW_WORDS = { 'license-certificate': 'License certificate', 'invoice-issued': 'Invoice and receipt' } as const;

export function ReceiversTable(props: { contacts: Contact[]; members: Member[]; orders: Order[] }) {
  // Only contacts holding a role can receive these emails. Most edits touch other contacts
  // (three in four of the 10,000 hold none): this list then stays the very same array and
  // nothing below runs again.
  const holdersOf = roleHoldersFilter();
  const holders = createMemo(() => holdersOf(props.contacts));
  // An order's own emails go to its licensee and billing contact alone (DESIGN §4): one row each, newest orders first.
  const perOrder = createMemo(() => orderReceivers(props.orders, props.contacts));
  return (
    <section class="card" aria-labelledby="receivers-title">
      <h2 id="receivers-title">Who receives each email today</h2>
      <TableScroll label="Who receives each email today">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Email topic</th>
              <th scope="col">Recipients</th>
            </tr>
          </thead>
          <tbody>
            <For each={CONTACT_TOPICS}>
              {(topic) => {
                // Likewise per topic: an edit of a contact holding other roles leaves this
                // topic's recipients as they were, without walking its thousands of contacts.
                const reachable = topicHoldersFilter(topic);
                const candidates = createMemo(() => reachable(holders()));
                const who = createMemo(() => receiversToday(topic, candidates(), props.members));
                return (
                  <tr>
                    <th scope="row">{TOPIC_NAMES[topic]}</th>
                    <td>
                      {receiversWords(
                        who().map((r) => (r.name ? `${r.name} <${r.email}>` : r.email)),
                        topicAlsoGoesTo(topic),
                      )}
                    </td>
                  </tr>
                );
              }}
            </For>
            <For each={perOrder().rows}>
              {(row) => (
                <tr>
                  <th scope="row">
                    {ORDER_ROW_WORDS[row.mail]} — order <span class="nowrap">{row.reference}</span>
                  </th>
                  <td>{receiversWords(row.who.map((r) => (r.name ? `${r.name} <${r.email}>` : r.email)), null)}</td>
                </tr>
              )}
            </For>
            <Show when={perOrder().more > 0}>
              <tr>
                <th scope="row">{plural(perOrder().more, 'other order')}</th>
                <td class="muted">Each order’s license certificate goes to its licensee, its invoices and receipts to its billing contact.</td>
              </tr>
            </Show>
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
