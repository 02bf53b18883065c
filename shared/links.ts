/**
 * Paths into the app. The app's URLs carry the organization (`/o/:orgId/…`, DESIGN §5), so
 * a link from an email opens that organization's data whichever one the person last used.
 * Links that belong to no organization (`/join/:token`, `/my-licenses`, sign-in) stay as they are.
 */

/** `/o/${orgId}${path}`; `path` starts with '/' (`orgPath(id, '/licenses')` → `/o/<id>/licenses`). */
export function orgPath(orgId: string, path: string): string {
  return `/o/${encodeURIComponent(orgId)}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The organization a `/o/:orgId/…` path names, and the path inside it; null for any other path. */
export function parseOrgPath(path: string): { orgId: string; path: string } | null {
  const m = /^\/o\/([^/?#]+)(.*)$/.exec(path);
  if (!m) return null;
  const rest = m[2] === '' ? '/' : m[2];
  if (!rest.startsWith('/') && !rest.startsWith('?') && !rest.startsWith('#')) return null;
  return { orgId: decodeURIComponent(m[1]), path: rest.startsWith('/') ? rest : `/${rest}` };
}
