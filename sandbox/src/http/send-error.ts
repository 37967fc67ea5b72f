/** Writes the contract's one error body: `{ "error": { code, message, details?, required_scope? } }`. */
import type { Response } from 'express';
import type { SandboxError } from '../domain/sandbox-error.js';

export function errorBody(err: SandboxError) {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.details?.length ? { details: err.details } : {}),
      ...(err.requiredScope ? { required_scope: err.requiredScope } : {}),
    },
  };
}

export function sendError(res: Response, err: SandboxError): void {
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  res.status(err.status).json(errorBody(err));
}
