import type { MiddlewareHandler } from 'hono';
import { isCleanText } from '../../shared/text';
import type { AppEnv } from '../app-env';
import { apiError } from '../http';

/**
 * The path as sent, percent-decoded, or null when its escapes are not UTF-8 (`%E0%A4%A`, a
 * lone surrogate's `%ED%A0%80`) or decode to a string the text rule refuses (`%00`).
 */
function decodedPath(rawPath: string): string | null {
  try {
    const path = decodeURIComponent(rawPath);
    return isCleanText(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * Every API request's address passes the text rule of shared/text.ts before any handler reads
 * it: a path or query whose escapes are malformed or decode to NUL is refused with 400
 * `bad-request`, so no such value reaches a route or the database. (Bodies are checked where
 * they are read, by `validate('json', …)` in server/http.ts, after the route's own refusals.)
 */
export const inputGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  if (decodedPath(url.pathname) === null || decodedPath(url.search.replace(/\+/g, ' ')) === null) {
    return apiError(c, 'bad-request', 'The address of this request is not valid (malformed escapes or NUL)');
  }
  await next();
};
