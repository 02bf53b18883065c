import { A } from '@solidjs/router';
import { plural } from '../ui/format';
import { createEffect, createMemo, createSignal, Show } from 'solid-js';
import * as v from 'valibot';
import { teamSchema, type Team } from '../../shared/schemas';
import { allInvitations } from '../invitations/data';
import { licensesOf } from '../licenses/data';
import { useSession } from '../session';
import { PendingLine } from '../ui/badges';
import { PageHeader, SearchField, TextField } from '../ui/field';
import { Modal } from '../ui/modal';
import { notifyChange } from '../ui/toast';
import { VirtualTable } from '../ui/virtual-table';
import { createTeam, renameTeam, teamsOf } from './data';

export function TeamNameDialog(props: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  team?: Team;
}) {
  const { db, org } = useSession();
  const [name, setName] = createSignal('');
  const title = () => (props.team ? `Rename ${props.team.name}` : 'Create team');
  createEffect(() => {
    if (props.open) setName(props.team?.name ?? '');
  });
  return (
    <Modal open={props.open} onOpenChange={props.onOpenChange} title={title()}>
      <form
        class="form"
        onSubmit={async (e) => {
          e.preventDefault();
          // The browser's `required` says what is missing; the team schema's name rule decides (shared/schemas/teams.ts).
          if (!v.is(teamSchema.entries.name, name())) return;
          if (props.team) await renameTeam(db, props.team.id, name());
          else await createTeam(db, org.id, name());
          notifyChange(props.team ? 'Team renamed' : `Team ${name().trim()} created`);
          setName('');
          props.onOpenChange(false);
        }}
      >
        <TextField label="Team name" value={name()} onInput={(e) => setName(e.currentTarget.value)} required maxLength={200} />
        <div class="form-actions">
          <button type="submit" class="button button-primary">
            {props.team ? 'Save name' : 'Create team'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function TeamsPage() {
  const { db, access, href } = useSession();
  const teams = teamsOf(db);
  const licenses = licensesOf(db);
  const invitations = allInvitations(db);
  const [text, setText] = createSignal('');
  const [creating, setCreating] = createSignal(false);
  const [renaming, setRenaming] = createSignal<Team | undefined>();
  const stats = createMemo(() => {
    const m = new Map<string, { total: number; available: number; invitations: number }>();
    const get = (id: string) => m.get(id) ?? (m.set(id, { total: 0, available: 0, invitations: 0 }), m.get(id)!);
    for (const l of licenses()) {
      const s = get(l.teamId);
      s.total++;
      if (l.status === 'available') s.available++;
    }
    for (const i of invitations()) get(i.teamId).invitations++;
    return m;
  });
  const shown = createMemo(() => {
    const t = text().trim().toLowerCase();
    return teams()
      .filter((x) => !t || x.name.toLowerCase().includes(t))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
  return (
    <div class="page">
      <PageHeader title="Teams" subtitle="Licenses belong to teams. Invite people to a team to hand out its licenses.">
        <Show when={access.isOrgAdmin}>
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            Create team
          </button>
        </Show>
      </PageHeader>
      <div class="toolbar" role="search">
        <SearchField label="Filter teams" value={text()} onInput={setText} placeholder="Team name" />
        <p class="toolbar-count">{plural(shown().length, 'team')}</p>
      </div>
      <VirtualTable
        label="Teams"
        rows={shown()}
        empty="No teams yet."
        columns={[
          {
            header: 'Team',
            width: 'minmax(10rem, 2fr)',
            cell: (t) => (
              <PendingLine seq={t.seq}>
                <A href={href(`/teams/${t.id}`)} class="strong">
                  {t.name}
                </A>
              </PendingLine>
            ),
          },
          { header: 'Licenses', width: '6rem', cell: (t) => String(stats().get(t.id)?.total ?? 0) },
          { header: 'Available', width: '7.5rem', cell: (t) => String(stats().get(t.id)?.available ?? 0) },
          { header: 'Invitations', width: '7.5rem', optional: true, cell: (t) => String(stats().get(t.id)?.invitations ?? 0) },
          {
            header: 'Actions',
            width: '7rem',
            cell: (t) => (
              <Show when={access.isOrgAdmin}>
                <button type="button" class="button button-small" aria-label={`Rename ${t.name}`} onClick={() => setRenaming(t)}>
                  Rename
                </button>
              </Show>
            ),
          },
        ]}
      />
      <TeamNameDialog open={creating()} onOpenChange={setCreating} />
      <TeamNameDialog open={!!renaming()} onOpenChange={(o) => !o && setRenaming(undefined)} team={renaming()} />
    </div>
  );
}
