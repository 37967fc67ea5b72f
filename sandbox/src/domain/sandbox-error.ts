/**
 * The one error the sandbox's own code throws: it carries the HTTP status, the contract's
 * error code and a message specific enough to fix the request. The HTTP layer turns it
 * into `{ "error": { code, message, details?, required_scope? } }`.
 */
import { errorCodes, type Scope } from '@leadtosheet/shared';

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface SandboxErrorInit {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
  requiredScope?: Scope;
  headers?: Record<string, string>;
}

export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  readonly status: number;
  readonly code: string;
  readonly details?: ErrorDetail[];
  readonly requiredScope?: Scope;
  readonly headers: Record<string, string>;

  constructor(init: SandboxErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    if (init.details) this.details = init.details;
    if (init.requiredScope) this.requiredScope = init.requiredScope;
    this.headers = init.headers ?? {};
  }
}

export const notFound = (what: string, id: string) =>
  new SandboxError({ status: 404, code: errorCodes.notFound, message: `No ${what} with id "${id}" on this site.` });

/** 422: the request was well-formed JSON but its content is wrong. */
export const unprocessable = (message: string, details?: ErrorDetail[]) =>
  new SandboxError({ status: 422, code: errorCodes.validation, message, ...(details ? { details } : {}) });

/** 400: the request could not be read at all (bad JSON, too large). */
export const badRequest = (message: string) => new SandboxError({ status: 400, code: errorCodes.validation, message });
