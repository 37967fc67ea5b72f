/**
 * /api/v1: the OpenAPI document (no key, no faults), then for every operation: faults,
 * rate limit, authentication, the routes, and "not found" for anything else.
 */
import { paths } from '@leadtosheet/shared';
import { Router } from 'express';
import type { DomainContext } from '../domain/context.js';
import type { Logger } from '../logger.js';
import { apiRoutes } from './api-routes.js';
import { authenticated } from './auth-middleware.js';
import { routeNotFound } from './error-handler.js';
import type { Faults } from './faults.js';
import type { RateLimiter } from './rate-limit.js';

export interface ApiRouterDeps {
  ctx: DomainContext;
  faults: Faults;
  rateLimiter: RateLimiter;
  logger: Logger;
  openapi: () => object;
}

export function apiRouter({ ctx, faults, rateLimiter, logger, openapi }: ApiRouterDeps): Router {
  const router = Router();
  router.get(paths.openapi, (_req, res) => {
    res.json(openapi());
  });
  router.use(faults.middleware);
  router.use(rateLimiter.middleware);
  router.use(authenticated(ctx));
  router.use(apiRoutes(ctx, logger));
  router.use(routeNotFound);
  return router;
}
