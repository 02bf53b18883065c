import { createMemo, createSignal, For, Show } from 'solid-js';
import type { Member } from '../../shared/schemas';
import { nameMap, teamsOf } from '../lookups';
import { useSession } from '../session';
import { PendingBadge, StatusBadge } from '../ui/badges';
import { Checkbox, PageHeader, SearchField } from '../ui/field';
import { byName } from '../ui/format';
import { Modal } from '../ui/modal';
import { notify } from '../ui/toast';
import { VirtualTable } from '../ui/virtual-table';
import { isLastOrgAdmin, membersOf, setOrgAdmin, setTeamAdmin } from './data';

function TeamAdminDialog(props: { member: Member | undefined; onClose: () => void }) {
  const { db } = useSession();
  const teams = teamsOf(db);
  const sorted = createMemo(() => [...teams()].sort(byName));
  return (
    <Modal
      open={!!props.member}
      onOpenChange={(o) => !o && props.onClose()}
      title={`Teams administered by ${props.member?.name || props.member?.email || ''}`}
      description="A team admin manages the licenses and invitations of their teams."
    >
      <fieldset class="fieldset fieldset-scroll">
        <legend>Teams</legend>
        <For each={sorted()} fallback={<p class="muted">No teams yet.</p>}>
          {(t) => (
            <Checkbox
              label={t.name}
              checked={!!props.member?.adminOfTeamIds.includes(t.id)}
              onChange={(on) => setTeamAdmin(db, props.member!.id, t.id, on)}
            />
          )}
        </For>
      </fieldset>
      <div class="form-actions">
        <button type="button" class="button button-primary" onClick={props.onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}

export function MembersPage() {
  const { db, access } = useSession();
  const members = membersOf(db);
  const teamNames = nameMap(teamsOf(db));
  const [text, setText] = createSignal('');
  const [editing, setEditing] = createSignal<string | null>(null);
  const shown = createMemo(() => {
    const t = text().trim().toLowerCase();
    return members()
      .filter((m) => !t || m.name.toLowerCase().includes(t) || m.email.includes(t))
      .sort((a, b) => Number(b.isOrgAdmin) - Number(a.isOrgAdmin) || (a.name || a.email).localeCompare(b.name || b.email));
  });
  const label = (m: Member) => m.name || m.email;
  return (
    <div class="page">
      <PageHeader title="Members" subtitle="People who sign in to the organization: who is an organization admin, and who administers which team." />
      <div class="toolbar" role="search">
        <SearchField label="Filter members" value={text()} onInput={setText} placeholder="Name or email" />
        <p class="toolbar-count">{shown().length} members</p>
      </div>
      <VirtualTable
        label="Members"
        rows={shown()}
        rowHeight={60}
        columns={[
          {
            header: 'Member',
            width: 'minmax(10rem, 1.5fr)',
            cell: (m) => (
              <span class="cell-stack">
                <span class="strong">
                  {label(m)} <PendingBadge seq={m.seq} />
                </span>
                <span class="muted small">{m.email}</span>
              </span>
            ),
          },
          {
            header: 'Organization admin',
            width: '10rem',
            cell: (m) => (
              <Checkbox
                label={`Organization admin: ${label(m)}`}
                checked={m.isOrgAdmin}
                disabled={!access.isOrgAdmin || (m.isOrgAdmin && isLastOrgAdmin(members(), m.id))}
                onChange={async (on) => {
                  await setOrgAdmin(db, m.id, on);
                  notify(`${label(m)} is ${on ? 'now' : 'no longer'} an organization admin`);
                }}
              />
            ),
          },
          {
            header: 'Team admin of',
            width: 'minmax(10rem, 2fr)',
            cell: (m) => (
              <span class="chips">
                <For each={m.adminOfTeamIds} fallback={<span class="muted">—</span>}>
                  {(t) => <span class="chip">{teamNames().get(t) ?? 'Team'}</span>}
                </For>
              </span>
            ),
          },
          {
            header: 'Status',
            width: '6rem',
            optional: true,
            cell: (m) => (m.disabled ? <StatusBadge tone="muted">Disabled</StatusBadge> : <StatusBadge tone="ok">Active</StatusBadge>),
          },
          {
            header: 'Actions',
            width: '8rem',
            cell: (m) => (
              <Show when={access.isOrgAdmin}>
                <button type="button" class="button button-small" aria-label={`Change teams administered by ${label(m)}`} onClick={() => setEditing(m.id)}>
                  Teams
                </button>
              </Show>
            ),
          },
        ]}
      />
      <TeamAdminDialog member={members().find((m) => m.id === editing())} onClose={() => setEditing(null)} />
    </div>
  );
}
