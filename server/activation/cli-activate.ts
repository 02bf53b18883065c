/**
 * `npm run cli -- activate --product CODE [--server URL] [--state FILE]`: acts as a vendor's
 * product would (DESIGN §14). It keeps a random machine fingerprint and its tokens and ticket
 * in a state file; with a live refresh token it renews, else it runs the device flow (prints
 * the code and the link, polls), then verifies the ticket offline against the server's JWKS.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { verifyTicket } from '../../shared/ticket';
import { fetchJwks, refreshToken, requestDeviceCode, requestTicket, waitForToken } from './product-client';

interface State {
  server: string;
  product: string;
  fingerprint: string;
  machineName: string;
  refreshToken?: string;
  ticket?: string;
  jwks?: JSONWebKeySet;
}

function readState(file: string): Partial<State> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<State>;
  } catch {
    return {};
  }
}

function writeState(file: string, state: State) {
  mkdirSync(dirname(file), { recursive: true });
  // Tokens are secrets: only this user reads the file.
  writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
}

export async function activateCommand(opts: { server: string; product: string; stateFile: string; log: (line: string) => void }): Promise<number> {
  const { server, product, stateFile, log } = opts;
  const old = readState(stateFile);
  const state: State = {
    server,
    product,
    fingerprint: old.fingerprint ?? randomUUID(),
    machineName: old.machineName ?? hostname(),
    ...(old.server === server && old.product === product && old.refreshToken ? { refreshToken: old.refreshToken } : {}),
  };
  const machine = { fingerprint: state.fingerprint, name: state.machineName };

  let access: string | null = null;
  if (state.refreshToken) {
    const r = await refreshToken(server, product, state.refreshToken);
    if (r.ok) access = r.token.access_token;
    else log(`The saved sign-in no longer works (${r.error.error}); activating again.`);
  }
  let answer = access ? await requestTicket(server, access, machine) : null;
  if (!answer || (!answer.ok && answer.status === 401)) {
    const device = await requestDeviceCode(server, product, state.machineName);
    log(`To activate ${product} on ${state.machineName}, open ${device.verification_uri} and enter the code ${device.user_code}`);
    log(`  (or open ${device.verification_uri_complete})`);
    log(`Waiting for you to approve (the code expires in ${Math.round(device.expires_in / 60)} minutes)…`);
    const token = await waitForToken(server, product, device);
    state.refreshToken = token.refresh_token;
    answer = await requestTicket(server, token.access_token, machine);
  }
  if (!answer.ok) {
    writeState(stateFile, state);
    log(`Activation refused: ${answer.error}: ${answer.message}`);
    return 1;
  }
  state.ticket = answer.value.ticket;
  state.jwks = await fetchJwks(server);
  writeState(stateFile, state);
  // From here on, offline: the ticket against the saved keys.
  const v = await verifyTicket(state.ticket, state.jwks, { product, fingerprint: state.fingerprint });
  if (!v.ok) {
    log(`The ticket does not verify: ${v.code}: ${v.message}`);
    return 1;
  }
  log(
    `Activated ${product} on ${state.machineName}: ticket verified offline (license ${v.claims.lic} of ${v.claims.org.name}, ` +
      `${v.claims.email}, valid until ${v.claims.validUntil}; renew before ${new Date(v.claims.exp * 1000).toISOString()}). Saved in ${stateFile}`,
  );
  return 0;
}
