/**
 * /admin/v1 takes bridge admin keys only (`Authorization: Bearer ltb_…`), checked against
 * the store on every request: a revoked, expired, rotated or deleted key is refused on the
 * very next one. Each route then names the scope it needs (403 naming it when missing).
 */
import type { Request, RequestHandler } from 'express';
import { HttpError, asyncRoute } from '../api/http-error.js';
import type { Actor, AdminKeys, AdminPrincipal } from './key-service.js';
import type { AdminScope } from './scopes.js';

declare module 'express-serve-static-core' {
  interface Request {
    admin?: AdminPrincipal;
  }
}

export function adminAuth(keys: AdminKeys): RequestHandler {
  return asyncRoute(async (req, _res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    req.admin = await keys.authenticate(header && !match ? '' : match?.[1]);
    next();
  });
}

/** The route's scope; 403 naming it when the calling key lacks it. */
export const needs =
  (scope: AdminScope): RequestHandler =>
  (req, _res, next) => {
    const admin = req.admin!;
    if (admin.scopes.includes(scope)) return next();
    next(new HttpError(403, 'insufficient_scope', `This route needs the scope ${scope}, which the admin key ${admin.prefix}… does not hold`, [{ field: 'scope', message: `missing ${scope}` }]));
  };

export const actorOf = (req: Request): Actor => ({ kind: 'key', id: req.admin!.id, prefix: req.admin!.prefix, scopes: req.admin!.scopes });
