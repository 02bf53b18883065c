import { createMemo, createSignal, For, Show } from 'solid-js';
import type { Contact } from '../../shared/schemas';
import { useSession } from '../session';
import { errorWords } from '../ui/error-words';
import { Confirm } from '../ui/modal';
import { notify } from '../ui/toast';
import { duplicateGroups, mergeDuplicates, type DuplicateGroup } from './data';

const names = (cs: Contact[]) => cs.map((c) => c.name || c.email).join(', ');

/**
 * Contacts that share an address (stored before one contact per address was the rule), each
 * group with Merge (issue 16 §2). Absent when there are none.
 */
export function DuplicateContacts(props: { contacts: Contact[] }) {
  const { org } = useSession();
  const groups = createMemo(() => duplicateGroups(props.contacts));
  const [merging, setMerging] = createSignal<DuplicateGroup | null>(null);
  return (
    <Show when={groups().length}>
      <section class="card" aria-labelledby="duplicates-title">
        <h2 id="duplicates-title">Duplicate contacts</h2>
        <p class="muted">
          {groups().length === 1 ? 'One address has' : `${groups().length} addresses have`} more than one contact, so each would get the same email twice.
          Merging keeps one contact with all their roles and orders.
        </p>
        <ul class="plain-list duplicates-list">
          <For each={groups()}>
            {(g) => (
              <li class="list-line">
                <span>
                  <span class="strong">{g.email}</span>: {names([g.keep, ...g.others])}
                </span>
                <button type="button" class="button button-small" aria-label={`Merge the contacts of ${g.email}`} onClick={() => setMerging(g)}>
                  Merge
                </button>
              </li>
            )}
          </For>
        </ul>
        <Confirm
          open={!!merging()}
          onOpenChange={(o) => !o && setMerging(null)}
          title={`Merge ${merging() ? merging()!.others.length + 1 : ''} contacts of ${merging()?.email ?? ''}?`}
          description={
            merging()
              ? `${merging()!.keep.name || merging()!.keep.email} keeps every role and order of ${names(merging()!.others)}, and orders naming them will name ${merging()!.keep.name || merging()!.keep.email}. ${names(merging()!.others)} will be deleted.`
              : ''
          }
          confirmLabel="Merge contacts"
          onConfirm={() => {
            const g = merging()!;
            return mergeDuplicates(org.id, g).then((r) => {
              if (r.ok) notify(`Contacts of ${g.email} merged`);
              else notify(errorWords(r.code, r.details), 'error');
              setMerging(null);
            });
          }}
        />
      </section>
    </Show>
  );
}
