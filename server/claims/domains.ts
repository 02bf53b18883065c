const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The domain of an address, lower case; null for anything that is not plainly `local@domain`. */
export function emailDomain(email: string): string | null {
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@')) return null;
  const domain = email.slice(at + 1).toLowerCase();
  // Every label must be a plain DNS label: this refuses trailing dots, empty labels and whitespace.
  if (!domain || !domain.split('.').every((l) => LABEL.test(l))) return null;
  return domain;
}

/**
 * Whether an address may claim through an invitation limited to `allowed` domains (none = anyone).
 * `example.com` matches exactly that domain; `*.example.com` matches its sub-domains, not
 * `example.com` itself. Case does not matter; nothing else is forgiven.
 */
export function domainAllowed(email: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const domain = emailDomain(email);
  if (!domain) return false;
  return allowed.some((raw) => {
    const pattern = raw.trim().toLowerCase();
    if (pattern.startsWith('*.')) {
      const suffix = pattern.slice(1);
      return suffix.length > 1 && domain.endsWith(suffix) && domain.length > suffix.length;
    }
    return domain === pattern;
  });
}
