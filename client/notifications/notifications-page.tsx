import { createMemo, createSignal, Show } from 'solid-js';
import { BULLETIN_TOPICS, TOPIC_NAMES, type BulletinTopic } from '../../shared/notifications';
import { TOPICS, type Topic } from '../../shared/schemas';
import { useSession } from '../session';
import { StatusBadge } from '../ui/badges';
import { FormError, PageHeader, SearchField, SelectField, TextArea, TextField } from '../ui/field';
import { errorWords } from '../ui/error-words';
import { formatDateTime, formatTime, plural } from '../ui/format';
import { Modal } from '../ui/modal';
import { notify } from '../ui/toast';
import { VirtualTable } from '../ui/virtual-table';
import type { Notification } from '../../shared/schemas';
import { canRetry, isWaiting, newestFirst, notificationsOf, retryEmail, sendBulletin } from './data';
import { ActivationEvents } from './activation-events';

const STATUS_TONE = { sent: 'ok', queued: 'info', held: 'warn', failed: 'danger' } as const;
const STATUS_WORDS = { sent: 'Sent', queued: 'Queued', held: 'Held (no mail server)', failed: 'Failed' } as const;

/** Sends a failed, held or waiting email again; the log row follows through sync. */
function RetryButton(props: { notification: Notification }) {
  const { org } = useSession();
  const [busy, setBusy] = createSignal(false);
  return (
    <button
      type="button"
      class="button button-small"
      aria-label={`Retry email “${props.notification.subject}” to ${props.notification.recipients.join(', ')}`}
      disabled={busy()}
      onClick={async () => {
        setBusy(true);
        const r = await retryEmail(org.id, props.notification.id);
        setBusy(false);
        if (r.ok) notify('Email queued to be sent again');
        else notify(errorWords(r.code, r.details), 'error');
      }}
    >
      {busy() ? 'Retrying…' : 'Retry'}
    </button>
  );
}

/** What the Status column says: the state, why an email waits or failed, and when it is tried next. */
function StatusCell(props: { notification: Notification; mayRetry: boolean }) {
  const n = () => props.notification;
  return (
    <span class="cell-stack">
      <span class="status-line">
        <StatusBadge tone={isWaiting(n()) ? 'warn' : STATUS_TONE[n().status]}>{isWaiting(n()) ? 'Waiting' : STATUS_WORDS[n().status]}</StatusBadge>
        <Show when={isWaiting(n()) && n().nextAttemptAt}>
          <span class="small muted nowrap">next try {formatTime(n().nextAttemptAt)}</span>
        </Show>
        <Show when={props.mayRetry && canRetry(n())}>
          <RetryButton notification={n()} />
        </Show>
      </span>
      <Show when={isWaiting(n())}>
        <span class="small muted truncate" title={`Waiting: ${n().lastError}`}>
          Waiting: {n().lastError}
        </span>
      </Show>
      <Show when={n().status === 'failed' && n().lastError}>
        <span class="small danger truncate" title={n().lastError}>
          {n().lastError}
        </span>
      </Show>
    </span>
  );
}

function BulletinDialog(props: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const { org } = useSession();
  const [topic, setTopic] = createSignal<BulletinTopic>('security-privacy');
  const [subject, setSubject] = createSignal('');
  const [body, setBody] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  return (
    <Modal
      open={props.open}
      onOpenChange={props.onOpenChange}
      title="Compose a notice"
      description="Sent by email to every enabled contact whose roles include the topic."
      wide
    >
      <form onInput={() => setError('')}
        class="form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!subject().trim() || !body().trim()) return setError('Write a subject and a message.');
          setBusy(true);
          const r = await sendBulletin(org.id, { topic: topic(), subject: subject(), body: body() });
          setBusy(false);
          if (!r.ok) return setError(errorWords(r.code, r.details));
          notify(`${TOPIC_NAMES[topic()]} notice sent`);
          setSubject('');
          setBody('');
          setError('');
          props.onOpenChange(false);
        }}
      >
        <SelectField
          label="Topic"
          value={topic()}
          onChange={(v) => setTopic(v as BulletinTopic)}
          options={BULLETIN_TOPICS.map((t) => ({ value: t, label: TOPIC_NAMES[t] }))}
        />
        <TextField label="Subject" value={subject()} maxLength={200} onInput={(e) => setSubject(e.currentTarget.value)} required />
        <TextArea label="Message" rows={8} value={body()} onInput={(e) => setBody(e.currentTarget.value)} required />
        <FormError message={error()} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy()}>
            {busy() ? 'Sending…' : 'Send notice'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function NotificationsPage() {
  const { db, access } = useSession();
  const rows = notificationsOf(db);
  const [topic, setTopic] = createSignal<Topic | ''>('');
  const [text, setText] = createSignal('');
  const [composing, setComposing] = createSignal(false);
  const shown = createMemo(() => {
    const t = text().trim().toLowerCase();
    return newestFirst(
      rows().filter(
        (n) => (!topic() || n.topic === topic()) && (!t || n.subject.toLowerCase().includes(t) || n.recipients.some((r) => r.includes(t))),
      ),
    );
  });
  return (
    <div class="page">
      <PageHeader title="Notifications" subtitle="Every email the organization’s contacts and members were sent.">
        <Show when={access.can('send-bulletin')}>
          <button type="button" class="button button-primary" onClick={() => setComposing(true)}>
            Compose notice
          </button>
        </Show>
      </PageHeader>
      <div class="toolbar" role="search">
        <SelectField
          compact
          label="Topic"
          value={topic()}
          onChange={(v) => setTopic(v as Topic | '')}
          options={[{ value: '', label: 'All topics' }, ...TOPICS.map((t) => ({ value: t, label: TOPIC_NAMES[t] }))]}
        />
        <SearchField label="Filter emails" value={text()} onInput={setText} placeholder="Subject or recipient" />
        <p class="toolbar-count">{plural(shown().length, 'email')}</p>
      </div>
      <VirtualTable
        label="Sent emails"
        rows={shown()}
        rowHeight={64}
        empty="No emails yet."
        columns={[
          {
            header: 'Subject',
            width: 'minmax(8rem, 2fr)',
            cell: (n) => (
              <span class="cell-stack">
                <span class="strong truncate">{n.subject}</span>
                <span class="muted small truncate">
                  {TOPIC_NAMES[n.topic]}
                  {/* The Recipients column is hidden on a phone: say them here. */}
                  <span class="narrow-only"> · to {n.recipients.join(', ')}</span>
                </span>
              </span>
            ),
          },
          { header: 'Recipients', width: 'minmax(9rem, 1.2fr)', optional: true, cell: (n) => <span class="truncate" title={n.recipients.join(', ')}>{n.recipients.join(', ')}</span> },
          {
            header: 'Status',
            width: 'minmax(12rem, 2fr)',
            cell: (n) => <StatusCell notification={n} mayRetry={access.can('retry-email')} />,
          },
          { header: 'Attempts', width: '7rem', optional: true, cell: (n) => String(n.attempts) },
          {
            // Only a sent email has a sent date; the others say when they were last tried or queued.
            header: 'Sent',
            width: '9rem',
            optional: true,
            cell: (n) => (n.sentAt ? formatDateTime(n.sentAt) : <span class="muted">Not sent · {formatDateTime(n.updatedAt)}</span>),
          },
        ]}
      />
      <Show when={access.isOrgAdmin}>
        <ActivationEvents />
      </Show>
      <BulletinDialog open={composing()} onOpenChange={setComposing} />
    </div>
  );
}
