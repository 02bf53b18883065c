/**
 * Who was signed in on this device, kept for opening the app without a network: offline,
 * /api/me cannot answer, yet the app must open that account's local database with its
 * data (the service worker serves the app itself). The server still decides everything:
 * the next request that reaches it with a dead session ends in "Your session has ended",
 * and signing out (or a 401) forgets the copy.
 */
import type { Me } from '../api';

const KEY = 'allot.lastMe';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // Storage disabled (privacy settings): the app then needs the network to open.
  }
}

export function rememberMe(me: Me): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(me));
  } catch {
    // Quota or disabled storage: offline opening is a convenience, not a requirement.
  }
}

export function lastMe(): Me | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const me = JSON.parse(raw) as Me;
    return me && me.account && typeof me.account.id === 'string' ? me : null;
  } catch {
    return null;
  }
}

export function forgetMe(): void {
  storage()?.removeItem(KEY);
}
