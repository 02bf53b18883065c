import { Show } from 'solid-js';
import type { WireDoc } from '../../shared/schemas';
import { errorWords } from '../ui/error-words';
import { formatDateTime } from '../ui/format';
import { notify } from '../ui/toast';
import { VirtualTable, DATE_TIME_COLUMN } from '../ui/virtual-table';
import { invitationActivity } from './activity-data';

/** The Waitlist and Refused attempts sections of an invitation's page (DESIGN §6). */
export function InvitationActivitySections(props: { orgId: string; invitationId: string; canRemove: boolean }) {
  // One section per invitation page, whose organization and invitation never change.
  // eslint-disable-next-line solid/reactivity
  const activity = invitationActivity(props.orgId, () => props.invitationId);
  const remove = async (e: WireDoc<'waitlistEntries'>) => {
    const r = await activity.remove(e);
    if (r.ok) notify(`${e.account.email} taken off the waitlist`);
    else notify(errorWords(r.code), 'error');
  };
  return (
    <>
      <Show when={activity.error()}>
        <p class="form-error" role="alert">
          The waitlist and refused attempts could not be read from the server ({activity.error()}).
        </p>
      </Show>
      <section aria-labelledby="waitlist-title">
        <h2 id="waitlist-title">Waitlist</h2>
        <p class="muted small">People told “No assets left” who asked for the next free license, first in line first. A freed license goes to them in this order.</p>
        <VirtualTable
          label="Waitlist"
          rows={activity.waiting()}
          empty={activity.loading() ? 'Loading…' : 'Nobody is waiting.'}
          columns={[
            {
              header: 'Who',
              width: 'minmax(10rem, 2fr)',
              cell: (e) => (
                <span class="cell-stack">
                  <span class="strong">{e.account.name || e.account.email}</span>
                  <span class="muted small">{e.account.email}</span>
                </span>
              ),
            },
            { header: 'Place', width: '4.5rem', cell: (e) => String(activity.waiting().indexOf(e) + 1) },
            { header: 'Waiting since', width: `minmax(${DATE_TIME_COLUMN}, 1fr)`, cell: (e) => formatDateTime(e.joinedAt) },
            {
              header: 'Actions',
              width: '7rem',
              cell: (e) => (
                <Show when={props.canRemove}>
                  <button type="button" class="button button-small" aria-label={`Remove ${e.account.email} from the waitlist`} onClick={() => void remove(e)}>
                    Remove
                  </button>
                </Show>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="refused-title">
        <h2 id="refused-title">Refused attempts</h2>
        <VirtualTable
          label="Refused attempts"
          rows={activity.refused()}
          empty={activity.loading() ? 'Loading…' : 'Nobody has been refused.'}
          columns={[
            { header: 'Who', width: 'minmax(10rem, 2fr)', cell: (r) => r.email },
            { header: 'Why', width: 'minmax(10rem, 2fr)', cell: (r) => errorWords(r.code) },
            {
              header: 'When',
              width: `minmax(${DATE_TIME_COLUMN}, 1fr)`,
              cell: (r) => (
                <span class="cell-stack">
                  <span>{formatDateTime(r.lastAt)}</span>
                  <Show when={r.attempts > 1}>
                    <span class="muted small card-hidden">
                      {r.attempts} times since {formatDateTime(r.firstAt)}
                    </span>
                  </Show>
                </span>
              ),
            },
          ]}
        />
      </section>
    </>
  );
}
