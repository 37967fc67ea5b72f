/**
 * When to try a failed delivery again: the configured schedule (default 5s, 5m, 30m, 2h,
 * 5h, 10h, 10h) with ±10% jitter, or exactly the receiver's Retry-After on 429/503.
 * After the last step the delivery is parked.
 */
import { parseRetryAfter } from '@leadtosheet/shared';

/** Longest Retry-After honoured; beyond it the schedule's own step applies. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** `attempts` is how many attempts were made, the failed one included. */
export function nextRetryDelay(
  schedule: number[],
  attempts: number,
  response: { statusCode: number | null; retryAfter?: string | string[] },
  random = Math.random,
): number | undefined {
  const step = schedule[attempts - 1];
  if (step === undefined) return undefined;
  if (response.statusCode === 429 || response.statusCode === 503) {
    const asked = parseRetryAfter(response.retryAfter);
    if (asked !== undefined && asked <= MAX_RETRY_AFTER_MS) return Math.max(1000, asked);
  }
  return Math.round(step * (0.9 + random() * 0.2));
}
