/**
 * The got transport (bridge, contract check, CLI tools): timeouts, the retry policy of
 * retry-policy.ts run by got's own retry loop, secrets kept out of errors.
 * Lives behind its own entry point so Zapier and n8n never load got.
 */
import got, { HTTPError, type Got, type RequestError } from 'got';
import { DEFAULT_BASE_URL } from './contract.js';
import { checkKeyShape, redactKeys } from './keys.js';
import { invalidInput } from './errors.js';
import { parseRetryAfter } from './retry-after.js';
import { defaultRetryPolicy, retryDelay, type RetryPolicy } from './retry-policy.js';
import { buildUrl, parseBody, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

export interface GotTransportOptions {
  key: string;
  baseUrl?: string;
  /** Whole-request timeout per attempt. Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  userAgent?: string;
  /** Called before each retry (for logs and metrics): never gets the key. */
  onRetry?: (info: { attempt: number; delayMs: number; status?: number; errorCode?: string; path: string }) => void;
  /** A got instance to extend (tests). */
  got?: Got;
}

export function createGotTransport(options: GotTransportOptions): Transport {
  const check = checkKeyShape(options.key);
  if (!check.ok) throw invalidInput('key', check.problem);
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const client = (options.got ?? got).extend({
    headers: {
      authorization: `Bearer ${check.key}`,
      accept: 'application/json',
      'user-agent': options.userAgent ?? 'leadtosheet-automation (+got)',
    },
    timeout: { request: options.timeoutMs ?? 30_000 },
    followRedirect: false,
    responseType: 'text',
    retry: {
      limit: policy.limit,
      methods: ['GET', 'POST', 'PATCH'],
      statusCodes: [408, 429, 500, 502, 503, 504],
      errorCodes: ['ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN', 'EHOSTUNREACH'],
      enforceRetryRules: false,
      calculateDelay: ({ attemptCount, error }) => {
        const request = error.options.context as { idempotent?: boolean; path?: string };
        const status = error.response?.statusCode;
        const delayMs = retryDelay(
          {
            attempt: attemptCount,
            idempotent: request.idempotent === true,
            status,
            errorCode: status === undefined ? error.code : undefined,
            retryAfterMs: error.response ? parseRetryAfter(error.response.headers['retry-after']) : undefined,
          },
          policy,
        );
        if (delayMs > 0) options.onRetry?.({ attempt: attemptCount, delayMs, status, errorCode: error.code, path: request.path ?? '' });
        return delayMs;
      },
    },
  });

  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      try {
        const res = await client(buildUrl(baseUrl, request), {
          method: request.method,
          ...(request.body !== undefined ? { json: request.body } : {}),
          context: { idempotent: request.idempotent, path: request.path },
        });
        return { status: res.statusCode, headers: res.headers, body: parseBody(res.body) };
      } catch (err) {
        if (err instanceof HTTPError) {
          const res = err.response;
          return { status: res.statusCode, headers: res.headers, body: parseBody(res.body as string) };
        }
        throw scrub(err as RequestError);
      }
    },
  };
}

/**
 * got errors carry the request options (with the Authorization header): keep only what is
 * safe, and mask any key the message itself may quote.
 */
function scrub(err: RequestError): Error {
  const safe = new Error(redactKeys(String(err?.message ?? err))) as Error & { code?: string };
  safe.name = err.name;
  if (err.code) safe.code = err.code;
  return safe;
}
