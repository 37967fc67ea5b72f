/**
 * When a request to LeadToSheet may be retried, and after how long. Pure: the got
 * transport asks it between attempts; tests table-drive it.
 *
 * - 429: wait exactly Retry-After (any method: the server refused before doing anything);
 *   a wait longer than `maxRetryAfterMs` is not slept through: the error goes back to the
 *   caller with its retryAfterMs, so a scheduler can come back later.
 * - 5xx, or a failure after the request may have reached the server: retry only an
 *   idempotent request (never POST /submissions: a retried create can duplicate a lead),
 *   with exponential backoff and jitter; a 503 Retry-After is honoured the same way.
 * - Failures before any byte left (connection refused, DNS): safe for every request.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  limit: 3,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

export const RETRYABLE_STATUS = [408, 429, 500, 502, 503, 504] as const;
/** Errors raised before the request could have reached the server. */
export const NOT_SENT_ERROR_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'] as const;
/** Errors after which the request may or may not have been processed. */
export const MAYBE_SENT_ERROR_CODES = ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'ESOCKETTIMEDOUT'] as const;

export interface AttemptOutcome {
  /** 1 for the first failure. */
  attempt: number;
  idempotent: boolean;
  status?: number;
  errorCode?: string;
  retryAfterMs?: number;
}

/** Milliseconds to wait before the next attempt, or 0 for "do not retry". */
export function retryDelay(outcome: AttemptOutcome, policy: RetryPolicy = defaultRetryPolicy, random = Math.random): number {
  if (outcome.attempt > policy.limit) return 0;
  const { status, errorCode, idempotent, retryAfterMs } = outcome;
  const honour = (ms: number) => (ms > policy.maxRetryAfterMs ? 0 : Math.max(1, ms));
  const backoff = () => {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (outcome.attempt - 1));
    return Math.max(1, Math.round(ceiling / 2 + random() * (ceiling / 2)));
  };

  if (status === 429) return retryAfterMs !== undefined ? honour(retryAfterMs) : backoff();
  if (status !== undefined) {
    if (!idempotent || !(RETRYABLE_STATUS as readonly number[]).includes(status)) return 0;
    return retryAfterMs !== undefined && status === 503 ? honour(retryAfterMs) : backoff();
  }
  if (errorCode && (NOT_SENT_ERROR_CODES as readonly string[]).includes(errorCode)) return backoff();
  if (idempotent && errorCode && (MAYBE_SENT_ERROR_CODES as readonly string[]).includes(errorCode)) return backoff();
  return 0;
}
