/**
 * Email addresses and allowed-domain patterns — the one rule for server and client.
 *
 * An address is valid when it is a WHATWG "valid e-mail address" (HTML Living Standard,
 * §4.10.5.1.5 — what `<input type=email>` accepts): a local part of ASCII letters, digits and
 * `.!#$%&'*+/=?^_`{|}~-`, then `@`, then a domain of LDH labels (letters, digits, inner
 * hyphens, 1–63 characters each). A domain written in Unicode is first turned into its
 * punycode (IDNA) form, the way browsers do (`new URL('http://' + domain).hostname`), so
 * `anna@münchen.test` is stored as `anna@xn--mnchen-3ya.test`. The whole address is
 * lower-cased: accounts are one per lower-cased address (DESIGN §3). At most 254 characters.
 */
import * as v from 'valibot';

/** RFC 5321 §4.5.3.1.3: a path holds at most 256 octets, so an address at most 254. */
export const MAX_EMAIL_LENGTH = 254;
/** RFC 1035 §2.3.4 (without the trailing dot). */
const MAX_DOMAIN_LENGTH = 253;

const LOCAL_PART = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
/** Characters a URL host would read as something else (port, path, user, escapes) or that no host has. */
const NOT_IN_A_HOST = /[\s/?#:@[\]\\%<>^|"'`{}]/;

/**
 * A domain in its ASCII (punycode) form, lower case, or null when it is not a domain of LDH
 * labels. Only a domain with non-ASCII characters goes through the URL parser's IDNA (an
 * ASCII one is taken as it is: the parser would turn `1.2.3` into an IPv4 address).
 */
export function asciiDomain(domain: string): string | null {
  let d = domain;
  // eslint-disable-next-line no-control-regex -- any character beyond ASCII (\x00 is the range's start)
  if (/[^\x00-\x7f]/.test(d)) {
    if (NOT_IN_A_HOST.test(d)) return null;
    try {
      d = new URL(`http://${d}`).hostname;
    } catch {
      return null;
    }
  }
  d = d.toLowerCase();
  return d.length <= MAX_DOMAIN_LENGTH && DOMAIN.test(d) ? d : null;
}

/**
 * The address in its stored form (surrounding spaces dropped, domain in punycode, all lower
 * case), or null when it is not a valid address by the rule above.
 */
export function normalizeEmail(input: string): string | null {
  const s = input.trim();
  const at = s.lastIndexOf('@');
  if (at <= 0) return null;
  const local = s.slice(0, at);
  if (!LOCAL_PART.test(local)) return null;
  const domain = asciiDomain(s.slice(at + 1));
  if (!domain) return null;
  const out = `${local.toLowerCase()}@${domain}`;
  return out.length <= MAX_EMAIL_LENGTH ? out : null;
}

export const isEmailAddress = (input: string): boolean => normalizeEmail(input) !== null;

/** The domain of a valid address (ASCII, lower case); null for anything that is not one. */
export function emailDomain(email: string): string | null {
  const n = normalizeEmail(email);
  return n ? n.slice(n.lastIndexOf('@') + 1) : null;
}

/** A valibot string schema that accepts what `normalize` accepts (bounded by `max` first) and outputs its normal form. */
function normalizedString(normalize: (input: string) => string | null, max: number, message: string) {
  return v.pipe(
    v.string(),
    v.trim(),
    v.maxLength(max, message),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const out = normalize(dataset.value);
      if (out === null) {
        addIssue({ message });
        return NEVER;
      }
      return out;
    }),
  );
}

export const EMAIL_MESSAGE = 'Enter a valid email address';

/**
 * The valibot schema of an email field: accepts what `normalizeEmail` accepts and outputs its
 * stored form. (The maxLength before the transform bounds the input and gives the RxDB schema
 * its maxLength.)
 */
export const emailAddress = normalizedString(normalizeEmail, MAX_EMAIL_LENGTH, EMAIL_MESSAGE);

/**
 * An allowed-domain pattern of an invitation (DESIGN §6) in its stored form: `example.com`
 * (exactly that domain) or `*.example.com` (its subdomains, not the domain itself), the domain
 * normalized by the address rule above and naming at least two labels. Null when it is not one.
 */
export function normalizeDomainPattern(input: string): string | null {
  const s = input.trim();
  const wildcard = s.startsWith('*.');
  const domain = asciiDomain(wildcard ? s.slice(2) : s);
  // One label alone (`com`, `*.com`) or an all-digit last label (an IP address) names no organization.
  if (!domain || !domain.includes('.') || /\.\d+$/.test(domain)) return null;
  return wildcard ? `*.${domain}` : domain;
}

export const DOMAIN_PATTERN_MESSAGE = 'Use a domain such as example.com or *.example.com';

export const allowedDomainPattern = normalizedString(normalizeDomainPattern, MAX_DOMAIN_LENGTH, DOMAIN_PATTERN_MESSAGE);

/**
 * Whether an address may claim through an invitation limited to `allowed` patterns (none =
 * anyone), DESIGN §6: `example.com` matches exactly that domain, `*.example.com` its
 * subdomains. Address and patterns are compared in their normalized forms (case and Unicode
 * spelling do not matter); a pattern that is not one matches nothing.
 */
export function domainAllowed(email: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const domain = emailDomain(email);
  if (!domain) return false;
  return allowed.some((raw) => {
    const pattern = normalizeDomainPattern(raw);
    if (!pattern) return false;
    if (pattern.startsWith('*.')) return domain.endsWith(pattern.slice(1));
    return domain === pattern;
  });
}
