/**
 * One typed error for everything that can go wrong talking to LeadToSheet, and one
 * function turning any response or network failure into it, with a message a
 * non-developer can act on. Products map it at their edge (Zapier errors, NodeApiError,
 * retry-or-park in the bridge).
 */
import { ErrorBodySchema, errorCodes } from './contract.js';
import { maskKey, redactKeys } from './keys.js';
import { describeDelay, parseRetryAfter } from './retry-after.js';
import { findScopeIn, isScope, operationLabels, operationScopes, type Operation, type Scope } from './scopes.js';
import type { TransportResponse } from './transport.js';

/** Codes the client adds to the API's own (see contract.errorCodes). */
export const localErrorCodes = {
  invalidInput: 'invalid_input',
  invalidKey: 'invalid_key_format',
  network: 'network_error',
  timeout: 'timeout',
  unexpectedResponse: 'unexpected_response',
  tooManyPages: 'too_many_pages',
} as const;

export interface ErrorDetail {
  field?: string;
  message?: string;
}

export interface LeadToSheetErrorInit {
  status: number;
  code: string;
  message: string;
  retryable: boolean;
  requiredScope?: Scope;
  retryAfterMs?: number;
  details?: ErrorDetail[];
  field?: string;
  serverMessage?: string;
  cause?: unknown;
}

export class LeadToSheetError extends Error {
  override readonly name = 'LeadToSheetError';
  /** HTTP status, or 0 when no response was received (network, timeout, local validation). */
  readonly status: number;
  readonly code: string;
  readonly retryable: boolean;
  readonly requiredScope?: Scope;
  readonly retryAfterMs?: number;
  readonly details?: ErrorDetail[];
  /** The input field at fault, for local validation errors. */
  readonly field?: string;
  /** What the server said, secrets redacted. */
  readonly serverMessage?: string;

  constructor(init: LeadToSheetErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable;
    if (init.requiredScope) this.requiredScope = init.requiredScope;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.details) this.details = init.details;
    if (init.field) this.field = init.field;
    if (init.serverMessage) this.serverMessage = init.serverMessage;
  }

  /** A plain object for JSON logs and API answers (no stack, no secrets). */
  toJSON() {
    return {
      name: this.name,
      status: this.status,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      requiredScope: this.requiredScope,
      retryAfterMs: this.retryAfterMs,
      details: this.details,
      field: this.field,
    };
  }
}

export const isLeadToSheetError = (e: unknown): e is LeadToSheetError => e instanceof LeadToSheetError;

/** What the caller was doing, to make the message specific. */
export interface ErrorContext {
  operation?: Operation;
  /** "form", "submission". */
  resource?: string;
  id?: string;
  /** The key in use: only its masked prefix ever appears in a message. */
  key?: string;
  /** Host or base URL, for network failures. */
  baseUrl?: string;
  /** For network failures to something else than LeadToSheet: what it is ("the LeadToSheet bridge") and what to check. */
  service?: { name: string; check: string };
}

/** A local input error: raised before any request is sent. */
export function invalidInput(field: string, problem: string): LeadToSheetError {
  return new LeadToSheetError({
    status: 0,
    code: localErrorCodes.invalidInput,
    message: `Invalid input "${field}": ${problem}`,
    retryable: false,
    field,
    details: [{ field, message: problem }],
  });
}

const isResponse = (x: unknown): x is TransportResponse =>
  !!x && typeof x === 'object' && typeof (x as TransportResponse).status === 'number' && 'headers' in x;

const header = (res: TransportResponse, name: string) => {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Turns a non-2xx response, a network failure or anything thrown into a LeadToSheetError.
 * An existing LeadToSheetError passes through unchanged.
 */
export function toLeadToSheetError(input: unknown, ctx: ErrorContext = {}): LeadToSheetError {
  if (input instanceof LeadToSheetError) return input;
  if (isResponse(input)) return fromResponse(input, ctx);
  return fromFailure(input, ctx);
}

function fromResponse(res: TransportResponse, ctx: ErrorContext): LeadToSheetError {
  const parsed = ErrorBodySchema.safeParse(res.body);
  const apiError = parsed.success ? parsed.data.error : undefined;
  // The documented shape first; then what gateways and proxies send ({ "error": "text" },
  // { "message": "text" }), then a short plain-text body.
  const loose = res.body && typeof res.body === 'object' ? (res.body as { error?: unknown; message?: unknown }) : undefined;
  const text = apiError?.message ?? [loose?.error, loose?.message, res.body].find((v): v is string => typeof v === 'string' && v.length > 0 && v.length < 300);
  const serverMessage = text ? redactKeys(text) : undefined;
  const details = apiError?.details?.map((d) => ({ field: d.field ?? undefined, message: d.message ? redactKeys(d.message) : undefined }));
  const doing = ctx.operation ? operationLabels[ctx.operation] : 'do this';
  const base = { status: res.status, serverMessage, details, cause: undefined } as const;
  const status = res.status;

  if (status === 401) {
    const keyPart = ctx.key ? ` (${maskKey(ctx.key)})` : '';
    return new LeadToSheetError({
      ...base,
      code: apiError?.code ?? errorCodes.invalidToken,
      retryable: false,
      message:
        `LeadToSheet refused the API key${keyPart}: it is invalid, expired or was revoked. ` +
        'Create a new API key in your LeadToSheet dashboard (API keys) and reconnect with it.',
    });
  }
  if (status === 403) {
    const operationScope = ctx.operation ? (operationScopes[ctx.operation] ?? undefined) : undefined;
    const requiredScope =
      (isScope(apiError?.required_scope) ? apiError.required_scope : undefined) ??
      findScopeIn(apiError?.message, operationScope) ??
      operationScope;
    const scopePart = requiredScope ? `the "${requiredScope}" scope` : 'a scope';
    return new LeadToSheetError({
      ...base,
      code: apiError?.code ?? errorCodes.insufficientScope,
      retryable: false,
      ...(requiredScope ? { requiredScope } : {}),
      message:
        `This API key lacks ${scopePart}, which is needed to ${doing}. ` +
        `Create a LeadToSheet API key that includes ${requiredScope ? `"${requiredScope}"` : 'that scope'} and reconnect with it.`,
    });
  }
  if (status === 404) {
    const what = ctx.resource ? `${ctx.resource}${ctx.id ? ` "${ctx.id}"` : ''}` : 'what was asked for';
    return new LeadToSheetError({
      ...base,
      code: apiError?.code ?? errorCodes.notFound,
      retryable: false,
      message: `Not found: ${what} does not exist on this API key's site. Check the ${ctx.resource ?? 'id'} and try again.`,
    });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(header(res, 'retry-after'));
    return new LeadToSheetError({
      ...base,
      code: apiError?.code ?? errorCodes.rateLimited,
      retryable: true,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      message:
        'LeadToSheet is limiting how fast this API key can make requests. ' +
        (retryAfterMs !== undefined ? `Try again in ${describeDelay(retryAfterMs)}.` : 'Try again in a minute.'),
    });
  }
  if (status === 400 || status === 422 || status === 413) {
    const list = details?.length
      ? details.map((d) => (d.field ? `${d.field}: ${d.message ?? 'invalid'}` : (d.message ?? 'invalid'))).join('; ')
      : (serverMessage ?? `HTTP ${status}`);
    return new LeadToSheetError({
      ...base,
      code: apiError?.code ?? errorCodes.validation,
      retryable: false,
      ...(details?.[0]?.field ? { field: details[0].field } : {}),
      message: `LeadToSheet could not ${doing} because the input was rejected: ${list}`,
    });
  }
  if (status === 408) {
    return new LeadToSheetError({
      ...base,
      code: apiError?.code ?? `http_${status}`,
      retryable: true,
      message: `LeadToSheet timed out (HTTP 408) while trying to ${doing}. It is safe to try again in a moment.`,
    });
  }
  if (status >= 500) {
    return new LeadToSheetError({
      ...base,
      code: apiError?.code ?? errorCodes.internal,
      retryable: true,
      message: `LeadToSheet had a temporary problem (HTTP ${status}) while trying to ${doing}. It is safe to try again in a moment.`,
    });
  }
  return new LeadToSheetError({
    ...base,
    code: apiError?.code ?? `http_${status}`,
    retryable: false,
    message: `LeadToSheet answered HTTP ${status} while trying to ${doing}${serverMessage ? `: ${serverMessage}` : ''}.`,
  });
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** What the common system error codes mean, in words a non-developer can act on. */
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name was not found in DNS',
  EAI_AGAIN: 'the host name could not be looked up in DNS right now',
  ECONNRESET: 'the connection was closed unexpectedly',
  EPIPE: 'the connection was closed unexpectedly',
  UND_ERR_SOCKET: 'the connection was closed unexpectedly',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENETDOWN: 'the network is down',
  ERR_CANCELED: 'the request was cancelled',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
};

type FailureLevel = { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };

/**
 * The failure and what caused it, outermost first. HTTP clients wrap the socket's error:
 * fetch puts it in `cause`, n8n's request helpers wrap axios's error (which carries the
 * code) in a NodeApiError whose message is n8n's own wording.
 */
function causeChain(err: unknown): FailureLevel[] {
  const chain: FailureLevel[] = [];
  for (let level = err; level !== null && typeof level === 'object' && chain.length < 8 && !chain.includes(level as FailureLevel); level = (level as FailureLevel).cause) {
    chain.push(level as FailureLevel);
  }
  return chain;
}

/** A system error code (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, ...), not a library's own lower-case code. */
const isSystemCode = (code: unknown): code is string => typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code);

function fromFailure(err: unknown, ctx: ErrorContext): LeadToSheetError {
  const chain = causeChain(err);
  const failing = chain.find((level) => isSystemCode(level.code));
  const code = failing?.code as string | undefined;
  const host = ctx.baseUrl ? safeHost(ctx.baseUrl) : 'LeadToSheet';
  const where = ctx.service ? `${ctx.service.name} at ${host}` : host;
  const isTimeout =
    (code !== undefined && TIMEOUT_CODES.has(code)) ||
    // axios: a timeout is ECONNABORTED with "timeout of 30000ms exceeded"
    (code === 'ECONNABORTED' && typeof failing?.message === 'string' && /timeout/i.test(failing.message)) ||
    chain.some((level) => level.name === 'TimeoutError' || level.name === 'AbortError');
  const top = chain[0];
  const words = (code && NETWORK_CAUSES[code]) ?? redactKeys(typeof top?.message === 'string' ? top.message : String(err));
  return new LeadToSheetError({
    status: 0,
    code: isTimeout ? localErrorCodes.timeout : localErrorCodes.network,
    retryable: true,
    cause: err,
    message: isTimeout
      ? `${ctx.service ? capitalize(where) : where} did not answer in time${code ? ` (${code})` : ''}. It is safe to try again; if it keeps happening, ${ctx.service?.check ?? 'check the API base URL'}.`
      : `Could not reach ${where}${code ? ` (${code})` : ''}: ${words}. ${ctx.service ? `${capitalize(ctx.service.check)}, then try again.` : 'Check the API base URL and the network, then try again.'}`,
  });
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function safeHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return 'LeadToSheet';
  }
}

/** The server answered 2xx with something that does not match the contract. */
export function unexpectedResponse(operation: Operation, problem: string): LeadToSheetError {
  return new LeadToSheetError({
    status: 0,
    code: localErrorCodes.unexpectedResponse,
    retryable: false,
    message: `LeadToSheet answered in an unexpected format while trying to ${operationLabels[operation]}: ${problem}`,
  });
}
