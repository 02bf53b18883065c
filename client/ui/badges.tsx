import { Show, type JSX } from 'solid-js';

/** Created or changed offline and not yet on the server: seq 0 means the server never stored it. */
export function PendingBadge(props: { seq: number; label?: string }) {
  return (
    <Show when={props.seq === 0}>
      <span class="badge badge-pending" title="Waiting to sync">
        {props.label ?? 'Pending sync'}
      </span>
    </Show>
  );
}

/**
 * A table cell's line of text followed by its Pending sync badge (PendingBadge): in a narrow
 * column the text ends in … and the badge stays whole, so a change still waiting to sync is
 * never cut out of sight (a table gives a cut text its title on hover: titleWhenCut).
 */
export function PendingLine(props: { seq: number; label?: string; class?: string; children: JSX.Element }) {
  return (
    <span class="pending-line">
      <span class={props.class ? `pending-line-text ${props.class}` : 'pending-line-text'}>
        {props.children}
      </span>
      {/* Unseen between flex items; keeps the words apart in the line's text. */}{' '}
      <PendingBadge seq={props.seq} label={props.label} />
    </span>
  );
}

export function StatusBadge(props: { tone: 'ok' | 'warn' | 'muted' | 'danger' | 'info'; children: string }) {
  return <span class={`badge badge-${props.tone}`}>{props.children}</span>;
}
