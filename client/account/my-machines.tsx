import { createSignal, For, Show } from 'solid-js';
import type { MachineInfo as Machine } from '../api';
import { deactivateMachine } from './data';
import { errorWords } from '../ui/error-words';
import { formatDateTime } from '../ui/format';
import { Confirm } from '../ui/modal';
import { notify } from '../ui/toast';

/** The machines one of my licenses is active on (name, first and last check-in), each with Deactivate. */
export function MyMachines(props: { machines: Machine[]; productName: string; limit?: number; onDeactivated?: () => void }) {
  const [confirming, setConfirming] = createSignal<Machine | null>(null);
  return (
    <div class="machines">
      <h3 class="h4">
        Machines <span class="muted small">{props.limit ? `${props.machines.length} of ${props.limit}` : props.machines.length}</span>
      </h3>
      <Show when={props.machines.length} fallback={<p class="muted small">Not activated on any machine yet.</p>}>
        <ul class="machine-list" aria-label={`Machines of ${props.productName}`}>
          <For each={props.machines}>
            {(m) => (
              <li class="machine-line">
                <span class="cell-stack">
                  <span class="strong">{m.name}</span>
                  <span class="muted small">
                    First {formatDateTime(m.firstSeenAt)} · last check-in {formatDateTime(m.lastSeenAt)}
                  </span>
                </span>
                <button type="button" class="button button-small button-danger-ghost" aria-label={`Deactivate ${m.name}`} onClick={() => setConfirming(m)}>
                  Deactivate
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Confirm
        open={!!confirming()}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={`Deactivate ${confirming()?.name ?? 'this machine'}?`}
        description={`${props.productName} stops renewing its license there and frees its place; to use it there again, activate it again. If you do not know this machine, deactivate it and tell your organization's admin.`}
        confirmLabel="Deactivate machine"
        // A component's callback, which ConfirmDialog awaits: no tracked scope (eslint-plugin-solid#168).
        // eslint-disable-next-line solid/reactivity
        onConfirm={async () => {
          const m = confirming();
          if (!m) return;
          const r = await deactivateMachine(m.id);
          if (r.ok) {
            notify(`${m.name} deactivated`);
            props.onDeactivated?.();
          }
          else notify(errorWords(r.code, r.details));
        }}
      />
    </div>
  );
}
