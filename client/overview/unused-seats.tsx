import { createSignal, For, Show, type Accessor } from 'solid-js';
import type { License, Organization } from '../../shared/schemas';
import type { UnusedSeat } from '../../shared/unused-seats';
import { LicenseActions } from '../licenses/license-actions';
import { useSession } from '../session';
import { TextField } from '../ui/field';
import { formatDate, formatDateTime } from '../ui/format';
import { notify } from '../ui/toast';
import { saveUnusedSeatSettings, UNUSED_SEATS_DEFAULTS } from './data';

/**
 * Unused seats (DESIGN §14): licenses assigned but never activated within N days, or not
 * checked in for M days, each with Revoke; org admins set N and M here.
 */
export function UnusedSeats(props: {
  seats: Accessor<UnusedSeat<License>[]>;
  /** False until the machines were read once (offline from the start: stays false). */
  loaded: Accessor<boolean>;
  org: Accessor<Organization | null | undefined>;
  pname: (id: string) => string;
  teamName: (id: string) => string;
}) {
  const { db, access, org } = useSession();
  const notActivated = () => props.org()?.unusedSeatsNotActivatedDays ?? UNUSED_SEATS_DEFAULTS.notActivatedDays;
  const idle = () => props.org()?.unusedSeatsIdleDays ?? UNUSED_SEATS_DEFAULTS.idleDays;
  const [editing, setEditing] = createSignal(false);
  const [a, setA] = createSignal('');
  const [b, setB] = createSignal('');
  const [error, setError] = createSignal('');
  const days = (s: string) => (/^\d{1,4}$/.test(s.trim()) && Number(s) >= 1 && Number(s) <= 3650 ? Number(s) : null);
  return (
    <section class="card" aria-labelledby="unused-title">
      <div class="card-head">
        <h2 id="unused-title">Unused seats</h2>
        <Show when={access.isOrgAdmin}>
          <button
            type="button"
            class="button button-small"
            onClick={() => {
              setA(String(notActivated()));
              setB(String(idle()));
              setError('');
              setEditing(!editing());
            }}
          >
            {editing() ? 'Close settings' : 'Settings'}
          </button>
        </Show>
      </div>
      <p class="muted small">
        Assigned but not activated within {notActivated()} days, or not checked in for {idle()} days.
      </p>
      <Show when={editing()}>
        <form
          class="form form-inline"
          aria-label="Unused seat settings"
          onSubmit={async (e) => {
            e.preventDefault();
            const x = days(a());
            const y = days(b());
            if (x === null || y === null) return setError('Enter whole numbers of days from 1 to 3650.');
            await saveUnusedSeatSettings(db, org.id, { notActivatedDays: x, idleDays: y });
            notify('Unused seat settings saved');
            setEditing(false);
          }}
        >
          <TextField label="Not activated within (days)" inputmode="numeric" value={a()} onInput={(e) => setA(e.currentTarget.value)} error={error() || undefined} />
          <TextField label="Not checked in for (days)" inputmode="numeric" value={b()} onInput={(e) => setB(e.currentTarget.value)} />
          <button type="submit" class="button button-primary">
            Save
          </button>
        </form>
      </Show>
      <Show when={props.loaded()} fallback={<p class="muted">Reading where licenses are activated…</p>}>
      <Show when={props.seats().length} fallback={<p class="muted">Every assigned seat is in use.</p>}>
        <ul class="plain-list" aria-label="Unused seats">
          <For each={props.seats()}>
            {(s) => (
              <li class="list-line unused-line">
                <span class="cell-stack">
                  <span>
                    <span class="strong">{s.license.assignee?.name || s.license.assignee?.email}</span> · {props.pname(s.license.productId)} ·{' '}
                    {props.teamName(s.license.teamId)}
                  </span>
                  <span class="muted small">
                    {s.reason === 'idle'
                      ? `Last used ${formatDateTime(s.lastUsedAt)}`
                      : `Assigned ${formatDate(s.license.assignedAt)}, never activated`}
                  </span>
                </span>
                <LicenseActions license={s.license} productName={props.pname(s.license.productId)} teams={[]} />
              </li>
            )}
          </For>
        </ul>
      </Show>
      </Show>
    </section>
  );
}
