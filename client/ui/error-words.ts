/** Error codes in the words a person reads. The one place codes become sentences. */
import type { ErrorCode } from '../../shared/errors';

const WORDS: Partial<Record<ErrorCode | 'network' | 'conflict', string>> = {
  network: 'The server cannot be reached. Check your connection and try again.',
  unauthenticated: 'Please sign in first.',
  forbidden: 'You are not allowed to do this.',
  'origin-not-allowed': 'This request came from another site and was refused.',
  'rate-limited': 'Too many attempts. Wait a minute and try again.',
  'schema-outdated': 'This app is out of date. Reload the page.',
  'invalid-code': 'That code is wrong or has expired. Ask for a new one.',
  'invalid-link': 'This sign-in link is wrong, already used or expired. Ask for a new one.',
  'org-exists': 'An organization already exists on this server. Sign in instead.',
  'invalid-body': 'Some of the values are not valid.',
  'invalid-document': 'Some values were not valid, so the server refused them.',
  'not-allowed': 'You are not allowed to make this change.',
  'immutable-field': 'This field cannot be changed once set.',
  'server-only': 'Only the server may set this field.',
  'last-org-admin': 'The organization needs at least one organization admin.',
  'organization-not-found': 'This organization does not exist, or you are not part of it.',
  'member-exists': 'This email address already belongs to a member of the organization.',
  'unknown-reference': 'This refers to something that does not exist (any more).',
  'contact-exists': 'Another contact already has this email address.',
  'not-duplicates': 'These contacts do not share one email address, so they cannot be merged.',
  'contact-in-use': 'This contact belongs to an order, so it cannot be deleted. Disable it instead.',
  'holder-has-license': 'This person already holds a license of this product in that team.',
  busy: 'The server was busy. Try again in a moment.',
  'constraint-violated': 'This change clashes with data already on the server and was not saved.',
  'invitation-not-found': 'This invitation link does not exist.',
  'invitation-disabled': 'This invitation link has been disabled.',
  'invitation-expired': 'This invitation link has expired.',
  'domain-not-allowed': 'This invitation is only for email addresses of other domains.',
  'revoked-cannot-reclaim': 'Your license from this invitation was revoked, so you cannot claim it again.',
  'invitation-used-up': 'This invitation has been used as many times as it allows.',
  'device-code-not-found': 'No product is waiting for this code. Check the code your product shows.',
  'device-code-expired': 'This code has expired. Start the activation in your product again.',
  'device-code-decided': 'This request was already approved or denied.',
  'no-license': 'You hold no license of this product. Claim one through an invitation first.',
  'license-choice-required': 'Choose which of your licenses this machine will use.',
  'license-not-held': 'That license is not yours.',
  'machine-not-found': 'This machine is not activated.',
  'no-assets-left': 'No assets left',
  'not-found': 'Not found.',
  'already-sent': 'This email has already been sent.',
  conflict: 'Someone else changed the same fields at the same time; their values were kept.',
  internal: 'Something went wrong on the server. Try again later.',
};

export function errorWords(code: string, details?: unknown): string {
  if (code === 'origin-not-allowed') {
    const d = details as { origin?: string | null; expected?: string } | undefined;
    if (d?.expected && d.origin) {
      return `This page is open at ${d.origin}, but this Allot server answers at ${d.expected}, so the request was refused. Open ${d.expected} instead.`;
    }
  }
  if (code === 'domain-not-allowed') {
    const domains = (details as { allowedDomains?: string[] } | undefined)?.allowedDomains;
    if (domains?.length) return `This invitation is only for email addresses at ${domains.join(', ')}.`;
  }
  if (code === 'rate-limited') {
    const wait = (details as { retryAfter?: number } | undefined)?.retryAfter;
    if (wait && wait > 90) return `Too many attempts. Try again in ${Math.ceil(wait / 60)} minutes.`;
  }
  return WORDS[code as keyof typeof WORDS] ?? 'Something went wrong. Try again.';
}
