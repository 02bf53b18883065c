/**
 * Sign-in, sign-up and first run (DESIGN §8): the account area's requests to the server.
 * Each answers `{ok: true, value}` or `{ok: false, code, …}` (client/api.ts). The account's
 * licenses across organizations arrive live through shell/account-data.ts.
 */
import { profileRequestSchema } from '../../shared/api';
import { api, type MyLicense } from '../api';
import { checkField } from '../ui/field-check';

/** Emails a one-time link and a 6-digit code; the same answer whether or not an account exists. */
export const requestSignIn = (email: string, returnTo?: string) => api.requestSignIn({ email, returnTo });

/** The 6-digit code from the email, as typed (spaces allowed). Sets the session cookie. */
export const verifyCode = (email: string, code: string) => api.verifyCode(email, code.replace(/\s/g, ''));

/** Whom an emailed sign-in link would sign in; the link stays unused (opening it signs nobody in). */
export const signInLinkAddress = (token: string) => api.signInLink(token);

/** The token of an emailed sign-in link, once the person chose "Sign in as …". Sets the session cookie. */
export const verifySignInLink = (token: string) => api.verifyToken(token);

/** First run: the organization and its first admin, who is then emailed a sign-in link. */
export const createOrganization = (input: { orgName: string; email: string; adminName?: string }) => api.createOrganization(input);

/** My licenses in reading order: by organization, then product, then team (none while unknown). */
export function sortedLicenses(licenses: readonly MyLicense[] | undefined): MyLicense[] {
  return [...(licenses ?? [])].sort(
    (a, b) =>
      a.organization.name.localeCompare(b.organization.name) ||
      a.product.name.localeCompare(b.product.name) ||
      a.team.name.localeCompare(b.team.name) ||
      a.license.id.localeCompare(b.license.id),
  );
}

/** The name the account goes by, checked by the server's own rule first; answers the new /api/me. */
export async function saveMyName(typed: string) {
  const checked = checkField(profileRequestSchema.entries.name, typed, 'Enter your name.');
  if (!checked.ok) return { ok: false as const, code: 'invalid-body' as const, message: checked.words };
  return api.setMyName(checked.value);
}

/** Frees one of my machines' place on its license (DESIGN §14); its product must be activated again there. */
export const deactivateMachine = (machineId: string) => api.deactivateMachine(machineId);
