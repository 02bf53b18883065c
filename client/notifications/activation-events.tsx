import { createResource, For, Match, Switch } from 'solid-js';
import type { ActivationEvent } from '../../shared/api';
import { useSession } from '../session';
import { errorWords } from '../ui/error-words';
import { formatDateTime } from '../ui/format';
import { activationEvents } from './data';

const WORDS: Record<ActivationEvent['action'], string> = {
  approved: 'Approved on /activate',
  denied: 'Denied on /activate',
  activated: 'Activated on a new machine',
  renewed: 'Ticket renewed',
  refused: 'Activation refused',
  deactivated: 'Machine deactivated',
};

/**
 * The organization's product activations (DESIGN §14 point 7), in its notification log: who
 * approved or denied a product, activated it on a new machine, renewed, was refused (and why)
 * or deactivated a machine — newest first, read from the server when the page opens.
 */
export function ActivationEvents() {
  const { org } = useSession();
  const [events] = createResource(
    () => org.id,
    async (id) => {
      const r = await activationEvents(id);
      return r.ok ? r.value.events : null;
    },
  );
  return (
    <section class="card" aria-labelledby="activations-title">
      <h2 id="activations-title">Product activations</h2>
      <p class="muted small">Approvals, activations, renewals, refusals and deactivations of licensed products, newest first.</p>
      <Switch>
        <Match when={events.loading}>
          <p role="status">Loading activations…</p>
        </Match>
        <Match when={events() === null}>
          <p class="muted">The activations could not be read (offline?). They show when the server answers.</p>
        </Match>
        <Match when={events()?.length === 0}>
          <p class="muted">No product has been activated yet.</p>
        </Match>
        <Match when={events()}>
          {(list) => (
            <ul class="plain-list" aria-label="Product activations">
              <For each={list()}>
                {(e) => (
                  <li class="list-line">
                    <span class="cell-stack">
                      <span>
                        <span class="strong">{WORDS[e.action]}</span>
                        {e.product ? ` · ${e.product}` : ''}
                        {e.machine ? ` on ${e.machine}` : ''}
                      </span>
                      <span class="muted small">
                        {[e.email, formatDateTime(e.at), e.code ? errorWords(e.code) : ''].filter(Boolean).join(' · ')}
                      </span>
                    </span>
                  </li>
                )}
              </For>
            </ul>
          )}
        </Match>
      </Switch>
    </section>
  );
}
