/**
 * The per-key rate limit (429 rate_limited + Retry-After) and fault injection (500 ratio,
 * 429 bursts, latency), set by options, programmatically and through the admin API,
 * seen through the shared client (retries off) and raw HTTP.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { clientFor, failure, raw, startSandbox, type Harness } from './support/sandbox-harness.js';

describe('rate limit per key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSandbox({ rateLimit: 3 });
  });
  afterAll(() => h.close());

  it('the request over the limit is 429 rate_limited with Retry-After in seconds; another key is not affected', async () => {
    const client = clientFor(h.baseUrl, h.fullKey);
    for (let i = 0; i < 3; i++) await client.getSite();
    const res = await raw(h.baseUrl, '/site', { key: h.fullKey });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/the limit is 3 per minute\. Try again in \d+ seconds/) });
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);

    const err = await failure(client.getSite());
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryable: true });
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(1000);

    const other = h.sandbox.createKey(h.site.id, { name: 'other', scopes: ['forms:read'] }).key;
    await expect(clientFor(h.baseUrl, other).getSite()).resolves.toMatchObject({ id: h.site.id });
  });

  it('a rate-limited create stores nothing; the limit can be lifted at runtime', async () => {
    const before = h.sandbox.store.counts();
    const res = await raw(h.baseUrl, '/submissions', { method: 'POST', key: h.fullKey, body: { fields: { Email: 'a@b.c' } } });
    expect(res.status).toBe(429);
    expect(h.sandbox.store.counts()).toEqual(before);

    h.sandbox.rateLimit.limit = 0;
    await expect(clientFor(h.baseUrl, h.fullKey).getSite()).resolves.toBeDefined();
  });
});

describe('fault injection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSandbox();
  });
  afterEach(() => {
    h.sandbox.faults.reset();
  });
  afterAll(() => h.close());

  it('error rate 1: every API call is 500 internal_error (retryable), a create stores nothing, no stack in the body', async () => {
    h.sandbox.faults.set({ errorRate: 1 });
    const client = clientFor(h.baseUrl, h.fullKey);
    expect(await failure(client.getSite())).toMatchObject({ status: 500, code: 'internal_error', retryable: true });
    const before = h.sandbox.store.counts();
    const res = await raw(h.baseUrl, '/submissions', { method: 'POST', key: h.fullKey, body: { fields: { Email: 'a@b.c' } } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: expect.stringMatching(/temporary internal error/) } });
    expect(res.text).not.toMatch(/\n\s+at /);
    expect(h.sandbox.store.counts()).toEqual(before);
  });

  it('faults never touch the OpenAPI document or the admin API', async () => {
    h.sandbox.faults.set({ errorRate: 1 });
    h.sandbox.faults.burst429(5, 1);
    expect((await raw(h.baseUrl, '/openapi.json')).status).toBe(200);
    expect((await raw(h.running.url, '/_sandbox/health')).status).toBe(200);
  });

  it('a 429 burst: the next N requests answer 429 with the given Retry-After, then calls work again', async () => {
    h.sandbox.faults.burst429(2, 7);
    const client = clientFor(h.baseUrl, h.fullKey);
    for (let i = 0; i < 2; i++) {
      const err = await failure(client.listForms());
      expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: 7000 });
    }
    await expect(client.listForms()).resolves.toBeDefined();
    expect(h.sandbox.faults.get().burst429).toBeNull();
  });

  it('a seeded error rate gives the same sequence of failures every time', async () => {
    const run = async () => {
      h.sandbox.faults.set({ errorRate: 0.5, seed: 42 });
      const outcomes: number[] = [];
      for (let i = 0; i < 12; i++) outcomes.push((await raw(h.baseUrl, '/site', { key: h.fullKey })).status);
      return outcomes;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it('latency delays each API request by at least the set time', async () => {
    h.sandbox.faults.set({ latencyMs: 150 });
    const started = performance.now();
    await clientFor(h.baseUrl, h.fullKey).getSite();
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('the admin API sets, reads and clears faults', async () => {
    const set = await raw(h.running.url, '/_sandbox/faults', { method: 'PATCH', body: { error_rate: 1, latency_ms: 0, burst_429: { count: 1, retry_after_seconds: 3 } } });
    expect(set.body).toEqual({ latency_ms: 0, error_rate: 1, burst_429: { remaining: 1, retry_after_seconds: 3 } });
    const first = await raw(h.baseUrl, '/site', { key: h.fullKey });
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await raw(h.baseUrl, '/site', { key: h.fullKey })).status).toBe(500);

    const cleared = await raw(h.running.url, '/_sandbox/faults', { method: 'DELETE' });
    expect(cleared.body).toEqual({ latency_ms: 0, error_rate: 0, burst_429: null });
    expect((await raw(h.baseUrl, '/site', { key: h.fullKey })).status).toBe(200);

    const bad = await raw(h.running.url, '/_sandbox/faults', { method: 'PATCH', body: { error_rate: 2 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('error_rate');
  });
});
