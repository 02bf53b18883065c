import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env';
import type { Config } from '../config';
import { publicUrl } from '../config';
import { apiError } from '../http';

const SAFE = /^(GET|HEAD|OPTIONS)$/;

/** The origins state-changing requests may come from: PUBLIC_URL's; without one, also the request's own. */
export function originAllowed(config: Config, origin: string, requestUrl: string): boolean {
  const allowed = new URL(publicUrl(config)).origin;
  if (origin === allowed) return true;
  return !config.PUBLIC_URL && origin === new URL(requestUrl).origin;
}

/**
 * DESIGN §8: state-changing requests must come from the app's own origin. hono/csrf refuses
 * cross-site form posts (the requests a browser sends without asking); on top of it any
 * state-changing request that names another Origin, or that a browser marks cross-site, is
 * refused too, whatever its content type. Clients that are not browsers send no Origin and
 * pass (they carry no ambient cookies of a victim).
 */
export function originCheck(config: Config): MiddlewareHandler<AppEnv> {
  const forms = csrf({ origin: (origin, c) => originAllowed(config, origin, c.req.url) });
  const expected = new URL(publicUrl(config)).origin;
  // The most common cause is not an attack but the app opened at another address than PUBLIC_URL
  // (localhost against 127.0.0.1): the answer and the log name both addresses so the fix is obvious.
  const refuse = (c: Context<AppEnv>, origin: string | undefined) => {
    c.var.deps.logger.warn(
      { origin: origin ?? null, expected, path: c.req.path },
      `Refused a ${c.req.method} from ${origin ?? 'another site'}: Allot answers at ${expected} (PUBLIC_URL)`,
    );
    const from = origin ? `from ${origin}` : 'from another site';
    return apiError(c, 'origin-not-allowed', `This request came ${from}; Allot answers at ${expected}`, { origin: origin ?? null, expected });
  };
  return async (c, next) => {
    if (SAFE.test(c.req.method)) return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const crossOrigin = origin !== undefined && !originAllowed(config, origin, c.req.url);
    const crossSite = origin === undefined && (site === 'cross-site' || site === 'same-site');
    if (crossOrigin || crossSite) return refuse(c, origin);
    try {
      return await forms(c, next);
    } catch (err) {
      // hono/csrf refuses a form post by throwing before it calls next().
      if (err instanceof HTTPException && err.status === 403) return refuse(c, origin);
      throw err;
    }
  };
}
