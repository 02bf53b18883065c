import { A } from '@solidjs/router';
import { createMemo, createSignal, Index, Show } from 'solid-js';
import { nameMap, productsOf } from '../lookups';
import { ordersOf } from '../orders/data';
import { useSession } from '../session';
import { PendingLine, StatusBadge } from '../ui/badges';
import { FormError, PageHeader, SelectField, TextField } from '../ui/field';
import { compareInstants } from '../../shared/dates';
import { byName, formatDate, formatMoney, plural } from '../ui/format';
import { Modal } from '../ui/modal';
import { notifyChange } from '../ui/toast';
import { VirtualTable, DATE_COLUMN } from '../ui/virtual-table';
import { invoicesOf, invoiceState, markInvoicePaid, quotesOf, requestQuote } from './data';

const STATE_WORDS = { paid: 'Paid', overdue: 'Overdue', open: 'Unpaid' } as const;

function RequestQuoteDialog(props: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const { db, access, org, account } = useSession();
  const products = productsOf(db);
  const [lines, setLines] = createSignal<{ productId: string; quantity: string }[]>([{ productId: '', quantity: '1' }]);
  const [error, setError] = createSignal('');
  const options = () => [{ value: '', label: 'Choose a product' }, ...[...products()].sort(byName).map((p) => ({ value: p.id, label: p.name }))];
  const setLine = (i: number, patch: Partial<{ productId: string; quantity: string }>) =>
    setLines(lines().map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <Modal open={props.open} onOpenChange={props.onOpenChange} title="Request a quote" description="The vendor prices it and the quote appears here. Contacts who get the New quotes emails get a copy.">
      <form onInput={() => setError('')}
        class="form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await requestQuote(db, {
              orgId: org.id,
              memberId: access.requesterId ?? account.id,
              lines: lines().map((l) => ({ productId: l.productId, quantity: Number(l.quantity) })),
            });
          } catch (err) {
            return setError((err as Error).message);
          }
          notifyChange('Quote requested');
          setLines([{ productId: '', quantity: '1' }]);
          setError('');
          props.onOpenChange(false);
        }}
      >
        <Index each={lines()}>
          {(line, i) => (
            <div class="line-row">
              <SelectField label={`Product ${i + 1}`} value={line().productId} onChange={(v) => setLine(i, { productId: v })} options={options()} />
              <TextField
                label={`Quantity ${i + 1}`}
                type="number"
                min={1}
                value={line().quantity}
                onInput={(e) => setLine(i, { quantity: e.currentTarget.value })}
              />
            </div>
          )}
        </Index>
        <button type="button" class="button button-small" onClick={() => setLines([...lines(), { productId: '', quantity: '1' }])}>
          Add product
        </button>
        <FormError message={error()} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            Request quote
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function BillingPage() {
  const { db, access, href } = useSession();
  const invoices = invoicesOf(db);
  const quotes = quotesOf(db);
  const orders = ordersOf(db);
  const productNames = nameMap(productsOf(db));
  const refs = createMemo(() => new Map(orders().map((o) => [o.id, o.reference])));
  const [filter, setFilter] = createSignal<'' | 'unpaid' | 'paid'>('');
  const [requesting, setRequesting] = createSignal(false);
  const now = new Date();
  const shownInvoices = createMemo(() =>
    invoices()
      .filter((i) => !filter() || (filter() === 'paid' ? !!i.paidAt : !i.paidAt))
      .sort((a, b) => compareInstants(b.issuedAt, a.issuedAt)),
  );
  const sortedQuotes = createMemo(() => [...quotes()].sort((a, b) => compareInstants(b.createdAt, a.createdAt)));
  return (
    <div class="page">
      <PageHeader title="Invoices & quotes" subtitle="Invoices of the organization’s orders and the quotes requested.">
        <Show when={access.canBill}>
          <button type="button" class="button button-primary" onClick={() => setRequesting(true)}>
            Request a quote
          </button>
        </Show>
      </PageHeader>
      <section aria-labelledby="inv-title">
        <h2 id="inv-title">Invoices</h2>
        <div class="toolbar">
          <SelectField
            compact
            label="Show"
            value={filter()}
            onChange={(v) => setFilter(v as '' | 'unpaid' | 'paid')}
            options={[
              { value: '', label: 'All invoices' },
              { value: 'unpaid', label: 'Unpaid' },
              { value: 'paid', label: 'Paid' },
            ]}
          />
          <p class="toolbar-count">{plural(shownInvoices().length, 'invoice')}</p>
        </div>
        <VirtualTable
          label="Invoices"
          rows={shownInvoices()}
          empty="No invoices."
          columns={[
            { header: 'Number', width: 'minmax(7rem, 1fr)', cell: (i) => <span class="strong">{i.number}</span> },
            { header: 'Order', width: 'minmax(7rem, 1fr)', cell: (i) => <A href={href(`/orders/${i.orderId}`)}>{refs().get(i.orderId) ?? 'Order'}</A> },
            { header: 'Amount', width: '8rem', cell: (i) => formatMoney(i.amountCents, i.currency) },
            { header: 'Issued', width: DATE_COLUMN, optional: true, cell: (i) => formatDate(i.issuedAt) },
            { header: 'Due', width: DATE_COLUMN, cell: (i) => formatDate(i.dueAt) },
            {
              header: 'Status',
              width: '6.5rem',
              cell: (i) => {
                const s = invoiceState(i, now);
                return <StatusBadge tone={s === 'paid' ? 'ok' : s === 'overdue' ? 'danger' : 'warn'}>{STATE_WORDS[s]}</StatusBadge>;
              },
            },
            {
              header: 'Actions',
              width: '8rem',
              cell: (i) => (
                <Show when={access.canBill && !i.paidAt}>
                  <button
                    type="button"
                    class="button button-small"
                    onClick={async () => {
                      await markInvoicePaid(db, i.id);
                      notifyChange(`Invoice ${i.number} marked paid`);
                    }}
                  >
                    {/* The visible words are part of the accessible name ("Mark invoice INV-1 paid"), as WCAG 2.5.3 asks. */}
                    Mark <span class="sr-only">invoice {i.number}</span> paid
                  </button>
                </Show>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="quotes-title">
        <h2 id="quotes-title">Quotes</h2>
        <VirtualTable
          label="Quotes"
          rows={sortedQuotes()}
          empty="No quotes requested yet."
          columns={[
            {
              header: 'Number',
              width: 'minmax(8rem, 1fr)',
              cell: (q) => (
                <PendingLine seq={q.seq} class="strong">
                  {q.number}
                </PendingLine>
              ),
            },
            {
              header: 'Products',
              width: 'minmax(9rem, 2fr)',
              cell: (q) => <span class="truncate">{q.lines.map((l) => `${l.quantity} × ${productNames().get(l.productId) ?? 'product'}`).join(', ')}</span>,
            },
            { header: 'Total', width: '8rem', cell: (q) => (q.totalCents ? formatMoney(q.totalCents, q.currency) : 'Being priced') },
            { header: 'Requested', width: DATE_COLUMN, optional: true, cell: (q) => formatDate(q.createdAt) },
            { header: 'Valid until', width: DATE_COLUMN, cell: (q) => formatDate(q.validUntil) },
          ]}
        />
      </section>
      <RequestQuoteDialog open={requesting()} onOpenChange={setRequesting} />
    </div>
  );
}
