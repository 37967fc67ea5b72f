/**
 * /admin/v1: the operators' API, for bridge admin keys only. Authentication first (401),
 * then each route's scope (403), then its input (422).
 *
 *   keys:admin           GET/POST /keys, GET/PATCH/DELETE /keys/:id, POST /keys/:id/{revoke,reactivate,rotate}
 *   subscriptions:read   GET /subscriptions, GET /subscriptions/:id, GET /sites, GET /sites/:id
 *   subscriptions:write  POST /subscriptions/:id/{pause,resume,rotate-secret,test}
 *   deliveries:read      GET /deliveries, GET /deliveries/:id
 *   deliveries:write     POST /deliveries/:id/retry, POST /subscriptions/:id/recover
 *   audit:read           GET /audit
 */
import express, { Router } from 'express';
import type { BridgeServices } from '../services.js';
import { adminAuth } from './admin-auth.js';
import { auditRoutes } from './audit-routes.js';
import { deliveriesAdminRoutes } from './deliveries-admin-routes.js';
import { createAdminKeys, type AdminKeys } from './key-service.js';
import { HASH_SECRET_LABEL } from './key-secret.js';
import { keysRoutes } from './keys-routes.js';
import { sitesAdminRoutes } from './sites-admin-routes.js';
import { subscriptionsAdminRoutes } from './subscriptions-admin-routes.js';

/** The key service over a running bridge's store, secret and clock. */
export const adminKeysOf = (s: Pick<BridgeServices, 'db' | 'box' | 'config'>): AdminKeys =>
  createAdminKeys({ db: s.db, hashSecret: s.box.derive(HASH_SECRET_LABEL), now: s.config.clock ?? (() => new Date()) });

export function adminRouter(s: BridgeServices): Router {
  const r = Router();
  const keys = adminKeysOf(s);
  r.use(express.json({ limit: '100kb' }));
  r.use(adminAuth(keys));
  r.use('/keys', keysRoutes(keys, s.log));
  r.use(subscriptionsAdminRoutes(s));
  r.use(sitesAdminRoutes(s));
  r.use(deliveriesAdminRoutes(s));
  r.use(auditRoutes(s.db));
  return r;
}
