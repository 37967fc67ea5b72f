/**
 * The bridge's HTTP surface: operations endpoints, the tenant API under /v1, the operators'
 * API under /admin/v1, and the dashboard under /dashboard (which calls those two APIs).
 */
import express from 'express';
import { adminRouter } from '../admin/admin-router.js';
import { dashboardRouter, sessionAuth } from '../dashboard/dashboard.js';
import { createSessionStore } from '../dashboard/sessions.js';
import type { BridgeServices } from '../services.js';
import { deliveriesRoutes, recoverRoute } from './deliveries-routes.js';
import { HttpError, asyncRoute, errorHandler } from './http-error.js';
import { subscriptionsRoutes } from './subscriptions-routes.js';
import { tenantAuth } from './tenant-auth.js';

export function createApp(s: BridgeServices): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', s.config.trustProxy ?? false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(
    '/readyz',
    asyncRoute(async (_req, res) => {
      try {
        await s.db.query('SELECT 1');
        res.json({ status: 'ready', store: s.db.kind });
      } catch {
        res.status(503).json({ status: 'unavailable', store: s.db.kind, reason: 'the store is not reachable' });
      }
    }),
  );
  app.get(
    '/metrics',
    asyncRoute(async (_req, res) => {
      res.set('content-type', s.metrics.registry.contentType).send(await s.metrics.registry.metrics());
    }),
  );

  const sessions = createSessionStore();
  app.get('/', (_req, res) => res.redirect(302, '/dashboard/'));
  app.use('/dashboard', dashboardRouter(s, sessions));

  const v1 = express.Router();
  v1.use(sessionAuth(sessions, 'tenant'));
  v1.use(express.json({ limit: '100kb' }));
  v1.use(tenantAuth(s.config.ltsBaseUrl));
  v1.use('/subscriptions/:id/deliveries', deliveriesRoutes(s));
  v1.post('/subscriptions/:id/recover', recoverRoute(s));
  v1.use('/subscriptions', subscriptionsRoutes(s));
  app.use('/v1', v1);
  app.use('/admin/v1', sessionAuth(sessions, 'operator'), adminRouter(s));

  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `No route ${req.method} ${req.path}`)));
  app.use(errorHandler(s.log));
  return app;
}
