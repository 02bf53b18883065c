import { createMemo, createSignal, For, Show } from 'solid-js';
import type { Member } from '../../shared/schemas';
import { email as emailAddress } from '../../shared/schemas/common';
import { nameMap, teamsOf } from '../lookups';
import { useSession } from '../session';
import { PendingLine, StatusBadge } from '../ui/badges';
import { errorWords } from '../ui/error-words';
import { Checkbox, FormError, PageHeader, SearchField, TextField } from '../ui/field';
import { checkField } from '../ui/field-check';
import { byName, plural } from '../ui/format';
import { Modal } from '../ui/modal';
import { notifyChange } from '../ui/toast';
import { VirtualTable } from '../ui/virtual-table';
import { addMember, isLastOrgAdmin, membersOf, setOrgAdmin, setPartner, setTeamAdmin } from './data';

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
        <button type="button" class="button button-primary" onClick={() => props.onClose()}>
          Done
        </button>
      </div>
    </Modal>
  );
}

function AddMemberDialog(props: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const { db, org } = useSession();
  const teams = teamsOf(db);
  const sorted = createMemo(() => [...teams()].sort(byName));
  const [name, setName] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [orgAdmin, setOrgAdminOn] = createSignal(false);
  const [teamIds, setTeamIds] = createSignal<string[]>([]);
  const [partner, setPartnerOn] = createSignal(false);
  const [error, setError] = createSignal('');
  const reset = () => {
    setName('');
    setEmail('');
    setOrgAdminOn(false);
    setPartnerOn(false);
    setTeamIds([]);
    setError('');
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    // The server checks a new member's address with the shared rule (shared/schemas/common.ts).
    const address = checkField(emailAddress, email(), 'Enter a valid email address.');
    if (!address.ok) return setError(address.words);
    const added = await addMember(db, org.id, { name: name(), email: address.value, isOrgAdmin: orgAdmin(), adminOfTeamIds: teamIds(), isPartner: partner() });
    if (!added.ok) return setError(errorWords(added.code));
    notifyChange(`${added.value.name || added.value.email} added to Members`);
    reset();
    props.onOpenChange(false);
  };
  return (
    <Modal
      open={props.open}
      onOpenChange={(o) => {
        if (!o) reset();
        props.onOpenChange(o);
      }}
      title="Add member"
      description="They sign in with this email address and get the roles you choose here."
    >
      <form onInput={() => setError('')} onSubmit={submit} class="form">
        <TextField label="Name" value={name()} onInput={(e) => setName(e.currentTarget.value)} maxLength={200} autocomplete="off" />
        <TextField
          label="Email"
          type="email"
          value={email()}
          onInput={(e) => setEmail(e.currentTarget.value)}
          required
          maxLength={254}
          autocomplete="off"
        />
        <Checkbox label="Org admin" checked={orgAdmin()} onChange={setOrgAdminOn} />
        <Checkbox label="Partner" checked={partner()} onChange={setPartnerOn} />
        <p class="field-hint">A partner (a reseller) records orders for the organization and sees only the orders they placed.</p>
        <fieldset class="fieldset fieldset-scroll">
          <legend>Team admin of</legend>
          <For each={sorted()} fallback={<p class="muted">No teams yet.</p>}>
            {(t) => (
              <Checkbox
                label={t.name}
                checked={teamIds().includes(t.id)}
                onChange={(on) => setTeamIds(on ? [...teamIds(), t.id] : teamIds().filter((x) => x !== t.id))}
              />
            )}
          </For>
        </fieldset>
        <FormError message={error()} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            Add member
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function MembersPage() {
  const { db, access } = useSession();
  const members = membersOf(db);
  const teamNames = nameMap(teamsOf(db));
  const [text, setText] = createSignal('');
  const [editing, setEditing] = createSignal<string | null>(null);
  const [adding, setAdding] = createSignal(false);
  const shown = createMemo(() => {
    const t = text().trim().toLowerCase();
    return members()
      .filter((m) => !t || m.name.toLowerCase().includes(t) || m.email.includes(t))
      .sort((a, b) => Number(b.isOrgAdmin) - Number(a.isOrgAdmin) || (a.name || a.email).localeCompare(b.name || b.email));
  });
  const label = (m: Member) => m.name || m.email;
  return (
    <div class="page">
      <PageHeader
        title="Members"
        subtitle="People who sign in to the organization: who is an organization admin, who administers which team, and which partners order on its behalf."
      >
        <Show when={access.isOrgAdmin}>
          <button type="button" class="button button-primary" onClick={() => setAdding(true)}>
            Add member
          </button>
        </Show>
      </PageHeader>
      <div class="toolbar" role="search">
        <SearchField label="Filter members" value={text()} onInput={setText} placeholder="Name or email" />
        <p class="toolbar-count">{plural(shown().length, 'member')}</p>
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
                <PendingLine seq={m.seq} class="strong">
                  {label(m)}
                </PendingLine>
                <span class="muted small">{m.email}</span>
              </span>
            ),
          },
          {
            header: 'Organization admin',
            width: '12rem',
            cell: (m) => (
              <Checkbox
                label={`Organization admin: ${label(m)}`}
                checked={m.isOrgAdmin}
                disabled={!access.isOrgAdmin || (m.isOrgAdmin && isLastOrgAdmin(members(), m.id))}
                // A component's callback, not a tracked scope (eslint-plugin-solid#168).
                // eslint-disable-next-line solid/reactivity
                onChange={async (on) => {
                  await setOrgAdmin(db, m.id, on);
                  notifyChange(`${label(m)} is ${on ? 'now' : 'no longer'} an organization admin`);
                }}
              />
            ),
          },
          {
            header: 'Partner',
            width: '6rem',
            cell: (m) => (
              <Checkbox
                label={`Partner: ${label(m)}`}
                checked={!!m.isPartner}
                disabled={!access.isOrgAdmin}
                // A component's callback, not a tracked scope (eslint-plugin-solid#168).
                // eslint-disable-next-line solid/reactivity
                onChange={async (on) => {
                  await setPartner(db, m.id, on);
                  notifyChange(`${label(m)} is ${on ? 'now' : 'no longer'} a partner`);
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
      <AddMemberDialog open={adding()} onOpenChange={setAdding} />
      <TeamAdminDialog member={members().find((m) => m.id === editing())} onClose={() => setEditing(null)} />
    </div>
  );
}
