import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { id } from '../../shared/schemas/common';
import { canSee, mayGetCertificate } from '../../shared/permissions';
import type { AppEnv } from '../app-env';
import { personOf } from '../auth/principal';
import { apiError, validate } from '../http';
import { certificateFiles } from '../mail/attachments';
import { findDoc } from '../store/docs';

const orderParam = v.object({ orderId: id });

/**
 * An order's license certificate, again (DESIGN §7), under `/api/orgs/:orgId/orders` behind
 * requireOrgPrincipal: `GET /:orderId/certificate.pdf` (application/pdf) and
 * `GET /:orderId/certificate.json` (the signed certificate, application/jose+json,
 * shared/certificate.ts), made from the order as it is now. Who may: shared/permissions.ts
 * mayGetCertificate (org admins, primary licensees, the order's own contacts, its partner); anyone else who
 * sees the order: 403 `forbidden`; an order they do not see or that does not exist (or is not
 * materialized yet): 404 `not-found`; an id that is not a UUID: 400 `invalid-body`.
 */
async function certificate(c: Context<AppEnv>, orderId: string, format: 'pdf' | 'json') {
  const deps = c.get('deps');
  const principal = c.get('principal');
  const person = personOf(principal);
  const order = await findDoc(deps.store.db, 'orders', orderId);
  const live = order && !order._deleted && order.orgId === principal.orgId ? order : null;
  if (!live || !mayGetCertificate(person, orderId)) {
    return live && canSee(person, 'orders', live)
      ? apiError(c, 'forbidden', 'Only an organization admin, a primary licensee or the order’s contacts get its certificate')
      : apiError(c, 'not-found', 'There is no such order');
  }
  const files = await certificateFiles(deps, principal.orgId, orderId);
  if (!files) return apiError(c, 'not-found', 'The order’s licenses are not made yet');
  const file = format === 'pdf' ? files.pdf : files.json;
  return c.body(new Uint8Array(file.content), 200, {
    'Content-Type': file.contentType,
    'Content-Disposition': `attachment; filename="${file.filename}"`,
  });
}

export const orderRoutes = new Hono<AppEnv>()
  .get('/:orderId/certificate.pdf', validate('param', orderParam), (c) => certificate(c, c.req.valid('param').orderId, 'pdf'))
  .get('/:orderId/certificate.json', validate('param', orderParam), (c) => certificate(c, c.req.valid('param').orderId, 'json'));
