import { describe, expect, it } from '@jest/globals';
import { defaultRetryPolicy, describeDelay, parseRetryAfter, retryDelay, type AttemptOutcome, type RetryPolicy } from '@leadtosheet/shared';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each<[string, unknown, number | undefined]>([
    ['delta-seconds', '120', 120_000],
    ['zero seconds', '0', 0],
    ['seconds with spaces around', ' 5 ', 5_000],
    ['decimal seconds', '1.5', 1_500],
    ['a number (some stacks parse headers)', 2, 2_000],
    ['an HTTP date 30 s ahead', 'Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['an HTTP date in the past', 'Sun, 01 Mar 2026 11:59:00 GMT', 0],
    ['an array of values: the first counts', ['3', '10'], 3_000],
    ['absent', undefined, undefined],
    ['empty', '', undefined],
    ['garbage', 'soon', undefined],
    ['negative seconds', '-1', undefined],
    ['numbers that are not seconds', '1 2', undefined],
    ['an object', { seconds: 3 }, undefined],
  ])('%s: %p → %p ms', (_, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('describeDelay', () => {
  it.each([
    [0, '1 second'],
    [1_000, '1 second'],
    [1_200, '2 seconds'],
    [30_000, '30 seconds'],
    [120_000, '2 minutes'],
    [60 * 60_000, '60 minutes'],
    [3 * 60 * 60_000, '3 hours'],
  ])('%p ms reads "%s"', (ms, text) => {
    expect(describeDelay(ms)).toBe(text);
  });
});

describe('retryDelay', () => {
  const policy: RetryPolicy = { limit: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 };
  const mid = () => 0.5;
  const GET = { idempotent: true } as const;
  const POST = { idempotent: false } as const;

  it.each<[string, AttemptOutcome, number]>([
    // 429: the server refused before doing anything, so any method waits exactly Retry-After.
    ['429 GET honours Retry-After exactly', { attempt: 1, ...GET, status: 429, retryAfterMs: 1_000 }, 1_000],
    ['429 POST honours Retry-After exactly', { attempt: 1, ...POST, status: 429, retryAfterMs: 1_000 }, 1_000],
    ['429 Retry-After: 0 still waits the minimum 1 ms', { attempt: 1, ...GET, status: 429, retryAfterMs: 0 }, 1],
    ['429 Retry-After at the cap is honoured', { attempt: 1, ...GET, status: 429, retryAfterMs: 60_000 }, 60_000],
    ['429 Retry-After over the cap is not slept through', { attempt: 1, ...GET, status: 429, retryAfterMs: 60_001 }, 0],
    ['429 without Retry-After backs off', { attempt: 1, ...POST, status: 429 }, 75],
    // 5xx: only when repeating cannot repeat an effect.
    ['500 GET is retried', { attempt: 1, ...GET, status: 500 }, 75],
    ['500 POST is not retried', { attempt: 1, ...POST, status: 500 }, 0],
    ['502 GET is retried', { attempt: 1, ...GET, status: 502 }, 75],
    ['504 POST is not retried', { attempt: 1, ...POST, status: 504 }, 0],
    ['503 GET honours Retry-After', { attempt: 1, ...GET, status: 503, retryAfterMs: 2_000 }, 2_000],
    ['503 POST is not retried even with Retry-After', { attempt: 1, ...POST, status: 503, retryAfterMs: 2_000 }, 0],
    ['500 ignores Retry-After and backs off', { attempt: 1, ...GET, status: 500, retryAfterMs: 9_000 }, 75],
    ['408 GET is retried', { attempt: 1, ...GET, status: 408 }, 75],
    // Client errors are final.
    ['400 is never retried', { attempt: 1, ...GET, status: 400 }, 0],
    ['401 is never retried', { attempt: 1, ...GET, status: 401 }, 0],
    ['404 is never retried', { attempt: 1, ...GET, status: 404 }, 0],
    // Network failures: before anything was sent it is always safe.
    ['ECONNREFUSED POST is retried', { attempt: 1, ...POST, errorCode: 'ECONNREFUSED' }, 75],
    ['ENOTFOUND POST is retried', { attempt: 1, ...POST, errorCode: 'ENOTFOUND' }, 75],
    ['EAI_AGAIN POST is retried', { attempt: 1, ...POST, errorCode: 'EAI_AGAIN' }, 75],
    // ...after it may have been processed, only for idempotent requests.
    ['ECONNRESET GET is retried', { attempt: 1, ...GET, errorCode: 'ECONNRESET' }, 75],
    ['ECONNRESET POST is not retried', { attempt: 1, ...POST, errorCode: 'ECONNRESET' }, 0],
    ['ETIMEDOUT GET is retried', { attempt: 1, ...GET, errorCode: 'ETIMEDOUT' }, 75],
    ['ETIMEDOUT POST is not retried', { attempt: 1, ...POST, errorCode: 'ETIMEDOUT' }, 0],
    ['EPIPE POST is not retried', { attempt: 1, ...POST, errorCode: 'EPIPE' }, 0],
    ['an unknown error code is not retried', { attempt: 1, ...GET, errorCode: 'ERR_SOMETHING' }, 0],
    ['no status and no code is not retried', { attempt: 1, ...GET }, 0],
    // The limit counts retries after the first attempt.
    ['the last allowed retry', { attempt: 3, ...GET, status: 500 }, 300],
    ['limit reached: 500', { attempt: 4, ...GET, status: 500 }, 0],
    ['limit reached: 429 with Retry-After', { attempt: 4, ...GET, status: 429, retryAfterMs: 1_000 }, 0],
    ['limit reached: ECONNREFUSED', { attempt: 4, ...POST, errorCode: 'ECONNREFUSED' }, 0],
  ])('%s', (_, outcome, expected) => {
    expect(retryDelay(outcome, policy, mid)).toBe(expected);
  });

  it('backs off exponentially, within [ceiling/2, ceiling], capped at maxDelayMs', () => {
    const wide: RetryPolicy = { limit: 10, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 };
    const ceilings = [100, 200, 400, 800, 1_000, 1_000];
    ceilings.forEach((ceiling, i) => {
      const outcome: AttemptOutcome = { attempt: i + 1, idempotent: true, status: 500 };
      expect(retryDelay(outcome, wide, () => 0)).toBe(ceiling / 2);
      expect(retryDelay(outcome, wide, () => 0.999999)).toBe(ceiling);
      for (let r = 0; r < 1; r += 0.1) {
        const d = retryDelay(outcome, wide, () => r);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    });
  });

  it('never answers 0 for a retry it wants, even with a tiny base delay', () => {
    const tiny: RetryPolicy = { limit: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 };
    expect(retryDelay({ attempt: 1, idempotent: true, status: 500 }, tiny, () => 0)).toBe(1);
  });

  it('uses the default policy when none is given', () => {
    expect(defaultRetryPolicy).toEqual({ limit: 3, baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 });
    const d = retryDelay({ attempt: 1, idempotent: true, status: 500 });
    expect(d).toBeGreaterThanOrEqual(250);
    expect(d).toBeLessThanOrEqual(500);
  });
});
