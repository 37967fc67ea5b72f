/**
 * API errors in the same shape LeadToSheet uses: { error: { code, message, details? } }.
 * Unknown failures become 500 internal_error with no stack and no secret in the body.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { LeadToSheetError } from '@leadtosheet/shared';
import type { z } from 'zod';
import type { Logger } from '../logger.js';

export interface ErrorDetail {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const invalid = (field: string, message: string) => new HttpError(422, 'validation_error', `${field}: ${message}`, [{ field, message }]);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} was not found for this API key's site`);

export function fromZod(error: z.ZodError): HttpError {
  const details = error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }));
  return new HttpError(422, 'validation_error', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}

/** Maps an upstream LeadToSheet failure met while serving a request. */
export function fromUpstream(e: LeadToSheetError): HttpError {
  if (e.status === 401) return new HttpError(401, 'invalid_token', e.message, undefined, { 'www-authenticate': 'Bearer realm="lts-bridge", error="invalid_token"' });
  if (e.status === 403) return new HttpError(403, 'insufficient_scope', e.message);
  if (e.status === 429) return new HttpError(503, 'upstream_rate_limited', e.message, undefined, e.retryAfterMs ? { 'retry-after': String(Math.ceil(e.retryAfterMs / 1000)) } : undefined);
  if (e.status === 0 && e.code === 'invalid_input') return new HttpError(422, 'validation_error', e.message, e.field ? [{ field: e.field, message: e.message }] : undefined);
  return new HttpError(502, 'upstream_unavailable', `LeadToSheet could not be reached to check the key: ${e.message}`);
}

export const asyncRoute =
  (fn: (...args: Parameters<RequestHandler>) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    fn(req, res, next).catch(next);
  };

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let e: HttpError;
    if (err instanceof HttpError) e = err;
    else if (err instanceof LeadToSheetError) e = fromUpstream(err);
    else if (err?.type === 'entity.parse.failed') e = new HttpError(400, 'validation_error', 'The request body is not valid JSON');
    else if (err?.type === 'entity.too.large') e = new HttpError(413, 'validation_error', 'The request body is larger than the 100 KB limit');
    else {
      log.error({ err: { message: String(err?.message ?? err), name: err?.name }, path: req.path }, 'unexpected error');
      e = new HttpError(500, 'internal_error', 'Something went wrong in the bridge; it has been logged');
    }
    if (e.headers) res.set(e.headers);
    res.status(e.status).json({ error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } });
  };
}
