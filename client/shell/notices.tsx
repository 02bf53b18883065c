import { createResource, createSignal, For, Show } from 'solid-js';
import type { AllotDatabase, Notice } from '../db';
import { errorWords } from '../ui/error-words';
import { formatTime } from '../ui/format';
import { COLLECTION_WORDS, dismiss, dismissAll, keepMine, labelOf, noticesOf, showValue } from './notices-data';
import { ROLE_NAMES, type ContactRole } from '../../shared/schemas';

const FIELD_WORDS: Record<string, string> = {
  adminOfTeamIds: 'teams administered',
  isOrgAdmin: 'organization admin',
  teamId: 'team',
  productId: 'product',
  disabledAt: 'disabled',
  expiresAt: 'expiry',
  allowedDomains: 'allowed email domains',
  maxClaims: 'maximum claims',
  paidAt: 'paid',
  _deleted: 'deleted',
};

/** A field in words, as a label starts: "Roles", "Allowed email domains" (never the field's code name). */
export const fieldWord = (f: string) => {
  const words = FIELD_WORDS[f] ?? f.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function valueWords(field: string, v: unknown) {
  if (field === 'roles' && Array.isArray(v)) return v.map((r) => ROLE_NAMES[r as ContactRole] ?? r).join(', ') || '(none)';
  return showValue(v);
}

function NoticeItem(props: { db: AllotDatabase; notice: Notice }) {
  const [label] = createResource(() => props.notice, (n) => labelOf(props.db, n));
  const what = () => `${COLLECTION_WORDS[props.notice.collectionName] ?? props.notice.collectionName} “${label() ?? '…'}”`;
  const reason = () =>
    props.notice.reason === 'conflict' ? errorWords('conflict') : `${errorWords(props.notice.reason)} ${props.notice.message}`;
  return (
    <li class="notice">
      <div class="notice-head">
        <strong>{what()}</strong>
        <span class="muted">{formatTime(props.notice.createdAt)}</span>
      </div>
      <p class="notice-reason">{reason()}</p>
      <table class="notice-values">
        <caption class="sr-only">Values that did not win for {what()}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Your value</th>
            <th scope="col">Kept value</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.notice.fields}>
            {(f) => (
              <tr>
                <th scope="row">{fieldWord(f)}</th>
                <td>{valueWords(f, props.notice.yourValues[f])}</td>
                <td>{props.notice.serverValues ? valueWords(f, props.notice.serverValues[f]) : 'not saved'}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="row-actions">
        <Show
          when={props.notice.reason === 'conflict' && props.notice.serverValues}
          fallback={
            <button type="button" class="button button-small" onClick={() => dismiss(props.db, props.notice.id)}>
              Dismiss notice about {what()}
            </button>
          }
        >
          <button type="button" class="button button-small" onClick={() => void keepMine(props.db, props.notice)}>
            Keep my values for {what()}
          </button>
          <button type="button" class="button button-small button-ghost" onClick={() => dismiss(props.db, props.notice.id)}>
            Keep theirs for {what()}
          </button>
        </Show>
      </div>
    </li>
  );
}

const narrowScreen = () => typeof matchMedia === 'function' && matchMedia('(max-width: 640px)').matches;

/** Changes that did not win (clashes and refusals): always reachable, dismissable one by one. */
export function NoticesPanel(props: { db: AllotDatabase }) {
  // The session's database is fixed for the session's life.
  // eslint-disable-next-line solid/reactivity
  const notices = noticesOf(props.db);
  // On a phone the list would fill the first screen of every page (issue 16 §5): there it
  // starts folded to its one-line heading, and opens on demand.
  const [open, setOpen] = createSignal(!narrowScreen());
  return (
    <Show when={notices().length > 0}>
      <section class="notices" aria-labelledby="notices-title">
        <header class="notices-header">
          <h2 id="notices-title">
            {notices().length === 1 ? '1 change did not go through' : `${notices().length} changes did not go through`}
          </h2>
          <div class="row-actions">
            <button type="button" class="button button-small" aria-expanded={open()} aria-controls="notices-list" onClick={() => setOpen(!open())}>
              {open() ? 'Hide notices' : 'Show notices'}
            </button>
            <button
              type="button"
              class="button button-small button-ghost"
              onClick={() => dismissAll(props.db, notices().map((n) => n.id))}
            >
              Dismiss all notices
            </button>
          </div>
        </header>
        <ul id="notices-list" class="notices-list" hidden={!open()} tabindex="0" aria-label="Notices">
          <For each={notices()}>{(n) => <NoticeItem db={props.db} notice={n} />}</For>
        </ul>
      </section>
    </Show>
  );
}
