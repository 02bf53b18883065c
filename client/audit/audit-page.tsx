import { A, useSearchParams } from '@solidjs/router';
import { createMemo, For, Show } from 'solid-js';
import { COLLECTION_NAMES } from '../../shared/schemas';
import { shortId } from '../../shared/ids';
import { PageHeader, SelectField, TextField } from '../ui/field';
import { formatDateTime, plural } from '../ui/format';
import { VirtualTable, DATE_TIME_COLUMN } from '../ui/virtual-table';
import { useSession } from '../session';
import { auditCsv, auditFeed, changeText, downloadCsv, filterEvents, KIND_WORDS, linkOf, type AuditEvent, type AuditFilter } from './data';

/**
 * The Audit log (DESIGN §15, org admins): every change to the organization, who made it and
 * from where, filtered by person, collection, document and days; the filters live in the
 * address (`/audit?doc=…` is a document's history), and the filtered events export as CSV.
 */
export function AuditPage() {
  const session = useSession();
  const feed = auditFeed(session.org.id);
  const [params, setParams] = useSearchParams<Record<keyof AuditFilter, string>>();
  const filter = (): AuditFilter => ({
    person: params.person ?? '',
    collection: params.collection ?? '',
    doc: params.doc ?? '',
    from: params.from ?? '',
    to: params.to ?? '',
  });
  const set = (key: keyof AuditFilter) => (value: string) => setParams({ [key]: value || undefined }, { replace: true });
  const shown = createMemo(() => filterEvents(feed.docs(), filter()));
  const people = createMemo(() => [...new Set(feed.docs().map((e) => e.actorEmail).filter(Boolean))].sort());

  return (
    <div class="page">
      <PageHeader title="Audit log" subtitle="Every change to the organization: who made it, when, and what it was before.">
        <button
          type="button"
          class="button"
          disabled={!shown().length}
          onClick={() => downloadCsv(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`, auditCsv(shown()))}
        >
          Export CSV
        </button>
      </PageHeader>
      <div class="toolbar audit-filters" role="search">
        <SelectField
          compact
          label="Person"
          value={filter().person}
          onChange={set('person')}
          options={[{ value: '', label: 'Anyone' }, { value: 'server', label: 'The server' }, ...people().map((p) => ({ value: p, label: p }))]}
        />
        <SelectField
          compact
          label="Collection"
          value={filter().collection}
          onChange={set('collection')}
          options={[{ value: '', label: 'All' }, ...COLLECTION_NAMES.map((c) => ({ value: c, label: c }))]}
        />
        <TextField label="Document" value={filter().doc} placeholder="Document id" maxLength={40} onInput={(e) => set('doc')(e.currentTarget.value)} />
        <TextField label="From" type="date" value={filter().from} onInput={(e) => set('from')(e.currentTarget.value)} />
        <TextField label="To" type="date" value={filter().to} onInput={(e) => set('to')(e.currentTarget.value)} />
        <p class="toolbar-count" role="status">
          {feed.loading() ? 'Loading…' : plural(shown().length, 'event')}
        </p>
      </div>
      <Show when={feed.error()}>
        <p class="form-error" role="alert">
          The audit log could not be read from the server ({feed.error()}). It is shown as last read.
        </p>
      </Show>
      <VirtualTable<AuditEvent>
        label="Audit events"
        rows={shown()}
        rowHeight={72}
        maxHeight={640}
        empty={feed.loading() ? 'Loading the audit log…' : 'No events match.'}
        columns={[
          {
            header: 'What',
            width: 'minmax(10rem, 2fr)',
            cell: (e) => (
              <span class="cell-stack">
                <strong>{KIND_WORDS[e.kind]}</strong>
                <span class="small">
                  <Show when={linkOf(e)} fallback={e.summary}>
                    {(path) => <A href={session.href(path())}>{e.summary}</A>}
                  </Show>
                </span>
              </span>
            ),
          },
          { header: 'When', width: DATE_TIME_COLUMN, cell: (e) => <time datetime={e.at}>{formatDateTime(e.at)}</time> },
          {
            header: 'Who',
            width: 'minmax(11rem, 1.4fr)',
            cell: (e) => (
              <span class="cell-stack">
                <span>{e.actorEmail || 'Server'}</span>
                <Show when={e.client?.address}>
                  <span class="muted small audit-from" title={e.client?.userAgent}>
                    from {e.client?.address}
                  </span>
                </Show>
              </span>
            ),
          },
          {
            header: 'Changes',
            width: 'minmax(10rem, 1.6fr)',
            optional: true,
            cell: (e) => (
              <span class="cell-stack small mono audit-changes">
                <For each={e.changes.slice(0, 3)}>{(c) => <span>{changeText(c)}</span>}</For>
                <Show when={e.changes.length > 3}>
                  <span class="muted">and {plural(e.changes.length - 3, 'more field')}</span>
                </Show>
              </span>
            ),
          },
          {
            header: 'Document',
            width: '8rem',
            optional: true,
            cell: (e) => (
              <Show when={e.docId} fallback={<span class="muted">—</span>}>
                <button type="button" class="link-button mono small" aria-label={`Only events of ${e.collection} ${e.docId}`} onClick={() => set('doc')(e.docId)}>
                  {shortId(e.docId)}
                </button>
              </Show>
            ),
          },
        ]}
      />
    </div>
  );
}
