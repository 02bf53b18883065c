import { Show } from 'solid-js';

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

export function StatusBadge(props: { tone: 'ok' | 'warn' | 'muted' | 'danger' | 'info'; children: string }) {
  return <span class={`badge badge-${props.tone}`}>{props.children}</span>;
}
