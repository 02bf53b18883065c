/**
 * Who was signed in on this device, what they hold and which organization they used last,
 * kept for opening the app without a network: offline, /api/me cannot answer, yet the app
 * must open that account's local databases with their data (the service worker serves the
 * app itself), and My licenses must still list the licenses. The server still decides
 * everything: the next request that reaches it with a dead session ends in "Your session has
 * ended", and signing out (or a 401) forgets the copies. The last used organization is kept
 * per account across sign-outs: it is where `/` opens.
 */
import type { Me, MyLicense, MyOrganization } from '../api';

const KEY = 'allot.lastMe';
const LICENSES_KEY = 'allot.myLicenses';
const LAST_ORG_KEY = 'allot.lastOrg';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // Storage disabled (privacy settings): the app then needs the network to open.
  }
}

function put(key: string, value: unknown): void {
  try {
    storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // Quota or disabled storage: offline opening is a convenience, not a requirement.
  }
}

function get(key: string): unknown {
  const raw = storage()?.getItem(key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

/** /api/me as versions before organizations were named in every request answered it. */
interface EarlierMe {
  account: Me['account'];
  org: { id: string; name: string } | null;
  member: { id: string; isOrgAdmin: boolean; adminOfTeamIds: string[]; disabled: boolean } | null;
  contactRoles?: MyOrganization['roles'];
  contactOrderIds?: string[];
  holdsLicense?: boolean;
}

/** An earlier version's answer in today's shape: its one organization (when it had one). */
function fromEarlier(old: EarlierMe): Me {
  const member = old.member && !old.member.disabled ? old.member : null;
  return {
    account: old.account,
    organizations: old.org
      ? [
          {
            id: old.org.id,
            name: old.org.name,
            isOrgAdmin: !!member?.isOrgAdmin,
            adminOfTeamIds: member?.adminOfTeamIds ?? [],
            roles: old.contactRoles ?? [],
            holdsLicense: !!old.holdsLicense,
            memberId: member?.id ?? null,
            orderIds: old.contactOrderIds ?? [],
          },
        ]
      : [],
  };
}

export function rememberMe(me: Me): void {
  put(KEY, me);
}

export function lastMe(): Me | null {
  const me = get(KEY) as (Partial<Me> & Partial<EarlierMe>) | null;
  if (!me || typeof me !== 'object' || !me.account || typeof me.account.id !== 'string') return null;
  if (Array.isArray(me.organizations)) return me as Me;
  if ('org' in me) return fromEarlier(me as EarlierMe);
  return null;
}

/** The organization an earlier version's remembered /api/me named for this account (its one local database's). */
export function earlierOrgOf(accountId: string): string | null {
  const me = get(KEY) as Partial<EarlierMe> | null;
  return me && me.account?.id === accountId && me.org && typeof me.org.id === 'string' ? me.org.id : null;
}

export function rememberLicenses(accountId: string, licenses: MyLicense[]): void {
  put(LICENSES_KEY, { accountId, licenses });
}

export function lastLicenses(accountId: string): MyLicense[] | undefined {
  const kept = get(LICENSES_KEY) as { accountId?: string; licenses?: MyLicense[] } | null;
  return kept?.accountId === accountId && Array.isArray(kept.licenses) ? kept.licenses : undefined;
}

export function rememberLastOrg(accountId: string, orgId: string): void {
  const all = (get(LAST_ORG_KEY) as Record<string, string> | null) ?? {};
  put(LAST_ORG_KEY, { ...all, [accountId]: orgId });
}

export function lastOrgOf(accountId: string): string | null {
  const all = get(LAST_ORG_KEY) as Record<string, string> | null;
  const id = all?.[accountId];
  return typeof id === 'string' ? id : null;
}

/** Signing out: forget who it was and what they hold (the last used organization stays). */
export function forgetMe(): void {
  storage()?.removeItem(KEY);
  storage()?.removeItem(LICENSES_KEY);
}
