import { createSignal, Show } from 'solid-js';
import type { License, Team } from '../../shared/schemas';
import type { Access } from '../access';
import { useSession } from '../session';
import { SelectField } from '../ui/field';
import { Confirm, Modal } from '../ui/modal';
import { notifyChange } from '../ui/toast';
import { moveLicense, revokeLicense } from './data';

/**
 * Whether this person may act on any license at all (LicenseActions: revoking needs to manage the
 * license's team, moving needs an org admin): an org admin or an admin of some team. For anyone
 * else (a billing contact, a licensee) a license table has no Actions column, rather than an empty one.
 */
export const mayActOnLicenses = (access: Pick<Access, 'isOrgAdmin' | 'adminOfTeamIds'>): boolean =>
  access.isOrgAdmin || access.adminOfTeamIds.length > 0;

/** Revoke (with confirmation) and move, shown only to those who may do them. */
export function LicenseActions(props: { license: License; productName: string; teams: Team[] }) {
  const { db, access } = useSession();
  const [confirming, setConfirming] = createSignal(false);
  const [moving, setMoving] = createSignal(false);
  const [target, setTarget] = createSignal('');
  const holder = () => props.license.assignee?.name || props.license.assignee?.email || '';
  const canRevoke = () => props.license.status === 'assigned' && access.canManageTeam(props.license.teamId);
  const otherTeams = () => props.teams.filter((t) => t.id !== props.license.teamId);
  return (
    <span class="row-actions">
      <Show when={canRevoke()}>
        <button
          type="button"
          class="button button-small button-danger-ghost"
          aria-label={`Revoke ${props.productName} license of ${holder()}`}
          onClick={() => setConfirming(true)}
        >
          Revoke
        </button>
        <Confirm
          open={confirming()}
          onOpenChange={setConfirming}
          title="Revoke this license?"
          description={`${holder()} loses their ${props.productName} license and the seat becomes available again. They cannot claim it again through the same invitation.`}
          confirmLabel="Revoke license"
          // A component's callback, which ConfirmDialog awaits: no tracked scope (eslint-plugin-solid#168).
          // eslint-disable-next-line solid/reactivity
          onConfirm={async () => {
            await revokeLicense(db, props.license.id);
            notifyChange(`License of ${holder()} revoked`);
          }}
        />
      </Show>
      <Show when={access.isOrgAdmin && otherTeams().length > 0}>
        <button
          type="button"
          class="button button-small"
          aria-label={`Move ${props.productName} license ${holder() ? `of ${holder()} ` : ''}to another team`}
          onClick={() => {
            setTarget(otherTeams()[0]?.id ?? '');
            setMoving(true);
          }}
        >
          Move
        </button>
        <Modal open={moving()} onOpenChange={setMoving} title="Move license to another team">
          <form
            class="form"
            onSubmit={async (e) => {
              e.preventDefault();
              if (!target()) return;
              await moveLicense(db, props.license.id, target());
              notifyChange(`License moved to ${props.teams.find((t) => t.id === target())?.name ?? 'the team'}`);
              setMoving(false);
            }}
          >
            <SelectField
              label="Team"
              value={target()}
              onChange={setTarget}
              options={otherTeams().map((t) => ({ value: t.id, label: t.name }))}
            />
            <div class="form-actions">
              <button type="button" class="button" onClick={() => setMoving(false)}>
                Cancel
              </button>
              <button type="submit" class="button button-primary">
                Move license
              </button>
            </div>
          </form>
        </Modal>
      </Show>
    </span>
  );
}
