/**
 * The last stop of every request that failed: SandboxErrors and body-reading failures
 * become the contract's error body with a specific message; anything else is logged and
 * answered 500 internal_error with a generic message (never a stack trace).
 */
import { errorCodes } from '@leadtosheet/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { SandboxError, badRequest } from '../domain/sandbox-error.js';
import type { Logger } from '../logger.js';
import { BODY_LIMIT_TEXT } from './json-body.js';
import { sendError } from './send-error.js';

/** Errors raised by express.json (body-parser) carry a `type`. */
function fromBodyParser(err: { type?: unknown; message?: unknown; length?: unknown }): SandboxError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return badRequest(`The request body is not valid JSON: ${String(err.message).slice(0, 200)}`);
    case 'entity.too.large': {
      const size = typeof err.length === 'number' ? ` (this one is ${(err.length / 1024 / 1024).toFixed(1)} MB)` : '';
      return badRequest(`The request body is larger than the ${BODY_LIMIT_TEXT} limit${size}.`);
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return badRequest('The request body must be UTF-8 encoded JSON.');
    case 'request.size.invalid':
    case 'request.aborted':
      return badRequest('The request body was cut short: its length does not match Content-Length.');
    default:
      return undefined;
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const known = err instanceof SandboxError ? err : err && typeof err === 'object' ? fromBodyParser(err) : undefined;
    if (known) {
      sendError(res, known);
      return;
    }
    logger.error(`unexpected error on ${req.method} ${req.path}`, {
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    sendError(
      res,
      new SandboxError({
        status: 500,
        code: errorCodes.internal,
        message: 'The sandbox had an unexpected internal error. Try again in a moment; if it keeps happening, check the sandbox logs.',
      }),
    );
  };
}

/** Any route nobody answered. */
export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new SandboxError({ status: 404, code: errorCodes.notFound, message: `There is no ${req.method} ${req.baseUrl}${req.path} here.` }));
};
