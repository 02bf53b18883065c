import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { requireOrgPrincipal } from '../auth/middleware';
import { contactRoutes } from './contacts';
import { notificationRoutes } from './notifications';
import { orderRoutes } from './orders';
import { syncRoutes } from './sync';
import { activationEventRoutes, orgMachineRoutes } from './machines';

/**
 * Everything that reads or writes one organization's data names it (DESIGN §3, §5):
 * `/api/orgs/:orgId/…`, authorized for that (account, organization) pair alone.
 */
export const orgRoutes = new Hono<AppEnv>()
  .use('*', requireOrgPrincipal)
  .route('/sync', syncRoutes)
  .route('/notifications', notificationRoutes)
  .route('/contacts', contactRoutes)
  .route('/orders', orderRoutes)
  .route('/machines', orgMachineRoutes)
  .route('/activation-events', activationEventRoutes);
