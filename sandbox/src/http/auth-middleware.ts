/** Express glue for authentication and scopes: the caller lives in `res.locals.caller`. */
import type { Operation } from '@leadtosheet/shared';
import type { RequestHandler, Response } from 'express';
import { authenticate, requireScope, type Caller } from '../domain/authenticate.js';
import type { DomainContext } from '../domain/context.js';

export const authenticated =
  (ctx: DomainContext): RequestHandler =>
  (req, res, next) => {
    res.locals.caller = authenticate(ctx, req.headers.authorization);
    next();
  };

/** 403 insufficient_scope unless the caller's key holds the scope `operation` needs. */
export const allowed =
  (operation: Operation): RequestHandler =>
  (_req, res, next) => {
    requireScope(callerOf(res), operation);
    next();
  };

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error('route mounted without the authenticated() middleware');
  return caller;
}
