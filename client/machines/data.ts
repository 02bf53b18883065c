/**
 * Machines (DESIGN §14) as admins see them: read from the server (`GET
 * /api/orgs/:orgId/machines`), not replicated — machines are server-only rows, and an
 * organization's local database already holds RxDB's 13 collections. Read when a screen opens,
 * again every minute while it stays open, and when the window regains focus or the network.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { lastUsedByLicense } from '../../shared/unused-seats';
import { api, type MachineInfo } from '../api';
import type { Access } from '../access';

/** How often an open screen reads the machines again (ms). */
export const MACHINES_REFRESH_MS = 60_000;

/** Where each license is activated (DESIGN §14): its active machines and its last check-in on any ("Last used"). */
export interface LicenseUsage {
  active: Map<string, MachineInfo[]>;
  lastUsed: Map<string, string>;
}

/** The machines a license is active on now, most recently used first. */
export function activeByLicense(machines: readonly MachineInfo[]): Map<string, MachineInfo[]> {
  const out = new Map<string, MachineInfo[]>();
  for (const m of machines) {
    if (m.deactivatedAt) continue;
    const list = out.get(m.licenseId) ?? [];
    list.push(m);
    out.set(m.licenseId, list);
  }
  for (const list of out.values()) list.sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  return out;
}

/** Does this person see machines here (an org admin, or a team admin)? */
export const seesMachines = (access: Access): boolean => access.isOrgAdmin || access.adminOfTeamIds.length > 0;

/**
 * The usage of the licenses the person administers in `orgId`, kept current while the calling
 * component lives: undefined until first read (or for anyone who is not an admin there); the
 * last answer stays when a later read fails (offline).
 */
export function licenseUsageOf(orgId: string, access: Access): { usage: Accessor<LicenseUsage | undefined>; machines: Accessor<MachineInfo[] | undefined> } {
  const [machines, setMachines] = createSignal<MachineInfo[] | undefined>();
  const [usage, setUsage] = createSignal<LicenseUsage | undefined>();
  if (!seesMachines(access)) return { usage, machines };
  let alive = true;
  const read = async () => {
    const r = await api.orgMachines(orgId);
    if (!alive || !r.ok) return;
    setMachines(r.value.machines);
    setUsage({ active: activeByLicense(r.value.machines), lastUsed: lastUsedByLicense(r.value.machines) });
  };
  void read();
  const timer = setInterval(() => void read(), MACHINES_REFRESH_MS);
  const again = () => void read();
  window.addEventListener('focus', again);
  window.addEventListener('online', again);
  onCleanup(() => {
    alive = false;
    clearInterval(timer);
    window.removeEventListener('focus', again);
    window.removeEventListener('online', again);
  });
  return { usage, machines };
}
