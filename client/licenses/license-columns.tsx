import { Show, type Accessor } from 'solid-js';
import type { License, Team } from '../../shared/schemas';
import type { LicenseUsage } from '../machines/data';
import { StatusBadge } from '../ui/badges';
import { formatDate, formatDateTime } from '../ui/format';
import { DATE_COLUMN, type Column } from '../ui/virtual-table';
import { STATUS_WORDS } from './data';
import { LicenseActions } from './license-actions';

/** The columns every license table shares (Licenses screen, a team's Licenses tab). */
export function licenseColumns(
  pname: (productId: string) => string,
  teams: () => Team[],
  /** Admins' machines (DESIGN §14); absent for anyone else, who gets no "Last used" column. */
  usage?: Accessor<LicenseUsage | undefined>,
  /** False for someone who may act on no license (mayActOnLicenses): no Actions column. */
  actions = true,
): Column<License>[] {
  const lastUsed: Column<License>[] = usage
    ? [
        {
          header: 'Last used',
          width: 'minmax(10.5rem, 1fr)',
          optional: true,
          cell: (l) => {
            const on = () => usage()?.active.get(l.id) ?? [];
            return (
              <Show when={usage()?.lastUsed.get(l.id)} fallback={<span class="muted">{!usage() ? '…' : l.status === 'assigned' ? 'Never' : '—'}</span>}>
                {(at) => (
                  <span class="cell-stack">
                    <span>{formatDateTime(at())}</span>
                    <span class="muted small">{on().length ? on().map((m) => m.name).join(', ') : 'no active machine'}</span>
                  </span>
                )}
              </Show>
            );
          },
        },
      ]
    : [];
  return [
    {
      header: 'Status',
      width: '7rem',
      cell: (l) => <StatusBadge tone={l.status === 'assigned' ? 'info' : 'ok'}>{STATUS_WORDS[l.status]}</StatusBadge>,
    },
    {
      header: 'Assignee',
      width: 'minmax(9rem, 1.5fr)',
      cell: (l) => (
        <Show when={l.assignee} fallback={<span class="muted">—</span>}>
          {(a) => (
            <span class="cell-stack">
              <span>{a().name || a().email}</span>
              <span class="muted small">{a().email}</span>
            </span>
          )}
        </Show>
      ),
    },
    { header: 'Valid until', width: DATE_COLUMN, optional: true, cell: (l) => formatDate(l.validUntil) },
    ...lastUsed,
    ...licenseActionsColumn(pname, teams, actions),
  ];
}

/** Revoke and move (LicenseActions), as a column of any license table; none when `shown` is false (mayActOnLicenses). */
export function licenseActionsColumn(pname: (productId: string) => string, teams: () => Team[], shown: boolean): Column<License>[] {
  return shown
    ? [{ header: 'Actions', width: '11rem', cell: (l) => <LicenseActions license={l} productName={pname(l.productId)} teams={teams()} /> }]
    : [];
}
