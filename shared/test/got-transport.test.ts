import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import nock from 'nock';
import { LeadToSheetClient, LeadToSheetError, toLeadToSheetError } from '@leadtosheet/shared';
import { createGotTransport, type GotTransportOptions } from '@leadtosheet/shared/got-transport';

const KEY = 'lts_AbCd1234efgh5678IJKL';
const BASE = 'https://api.test/api/v1';
const api = () => nock('https://api.test');

type RetryInfo = Parameters<NonNullable<GotTransportOptions['onRetry']>>[0];

function transport(options: Partial<GotTransportOptions> = {}) {
  const retries: RetryInfo[] = [];
  const t = createGotTransport({
    key: KEY,
    baseUrl: BASE,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    onRetry: (info) => retries.push(info),
    ...options,
  });
  return { t, retries };
}

/** A network failure as the socket layer raises it (nock needs a real Error to emit it). */
const netError = (code: string, message = `${code} from the test`) => Object.assign(new Error(message), { code });

const GET_SITE = { method: 'GET', path: '/site', idempotent: true } as const;
const CREATE = { method: 'POST', path: '/submissions', body: { fields: { Email: 'a@b.test' } }, idempotent: false } as const;

describe('got transport: requests', () => {
  it('sends the Bearer key, asks for JSON and sends a JSON body', async () => {
    const scope = api()
      .post('/api/v1/submissions', { fields: { Email: 'a@b.test' } })
      .matchHeader('authorization', `Bearer ${KEY}`)
      .matchHeader('accept', 'application/json')
      .matchHeader('content-type', /^application\/json/)
      .matchHeader('user-agent', 'leadtosheet-automation (+got)')
      .reply(201, { id: 's1' }, { 'x-request-id': 'r1' });
    const { t } = transport();
    await expect(t.send(CREATE)).resolves.toEqual({ status: 201, headers: expect.objectContaining({ 'x-request-id': 'r1' }), body: { id: 's1' } });
    scope.done();
  });

  it('builds the URL from the base URL (trailing slash or not), path and query, dropping undefined values', async () => {
    const scope = api()
      .get('/api/v1/submissions')
      .query({ page: '2', per_page: '100', since: '2026-03-01T00:00:00.000Z', q: 'a&b=c' })
      .reply(200, { data: [] });
    const { t } = transport({ baseUrl: `${BASE}/` });
    const res = await t.send({
      method: 'GET',
      path: '/submissions',
      query: { page: 2, per_page: 100, since: '2026-03-01T00:00:00.000Z', q: 'a&b=c', form_id: undefined },
      idempotent: true,
    });
    expect(res.status).toBe(200);
    scope.done();
  });

  it('sends PATCH with its body', async () => {
    const scope = api().patch('/api/v1/forms/f1', { ignored: true }).reply(200, { id: 'f1' });
    const { t } = transport();
    await expect(t.send({ method: 'PATCH', path: '/forms/f1', body: { ignored: true }, idempotent: true })).resolves.toMatchObject({ status: 200 });
    scope.done();
  });

  it('uses the user agent it is given', async () => {
    const scope = api().get('/api/v1/site').matchHeader('user-agent', 'bridge/1.0').reply(200, {});
    await transport({ userAgent: 'bridge/1.0' }).t.send(GET_SITE);
    scope.done();
  });

  it.each<[string, string | undefined, Record<string, string>, unknown]>([
    ['JSON', JSON.stringify({ id: 's1' }), { 'content-type': 'application/json' }, { id: 's1' }],
    ['plain text', 'Service Unavailable', { 'content-type': 'text/plain' }, 'Service Unavailable'],
    ['an empty body', '', {}, undefined],
  ])('gives back %s bodies as such', async (_, body, headers, expected) => {
    const scope = api().get('/api/v1/site').reply(400, body, headers);
    await expect(transport().t.send(GET_SITE)).resolves.toMatchObject({ status: 400, body: expected });
    scope.done();
  });

  it('does not follow redirects (a 3xx comes back as it is)', async () => {
    const scope = api().get('/api/v1/site').reply(302, '', { location: 'https://elsewhere.test/steal' });
    const res = await transport().t.send(GET_SITE);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('https://elsewhere.test/steal');
    scope.done();
  });

  it('refuses a key of the wrong shape at construction, without echoing it', () => {
    const attempt = () => createGotTransport({ key: `Bearer ${KEY}`, baseUrl: BASE });
    expect(attempt).toThrow(LeadToSheetError);
    try {
      attempt();
    } catch (err) {
      expect(err).toMatchObject({ code: 'invalid_input', field: 'key' });
      expect((err as Error).message).toMatch(/without the word "Bearer"/);
      expect((err as Error).message).not.toContain(KEY);
      expect(JSON.stringify(err)).not.toContain(KEY);
    }
    expect(() => createGotTransport({ key: '', baseUrl: BASE })).toThrow(/missing/);
  });
});

describe('got transport: retries', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('waits exactly Retry-After on a 429, then retries', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const scope = api().get('/api/v1/site').reply(429, { error: { code: 'rate_limited', message: 'Slow' } }, { 'retry-after': '1' }).get('/api/v1/site').reply(200, { id: 's' });
    const { t, retries } = transport();
    let settled = false;
    const pending = t.send(GET_SITE).finally(() => (settled = true));

    // Let the first attempt finish: the retry is scheduled, not run.
    for (let i = 0; i < 50 && retries.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(retries).toEqual([{ attempt: 1, delayMs: 1_000, status: 429, errorCode: 'ERR_NON_2XX_3XX_RESPONSE', path: '/site' }]);
    expect(scope.pendingMocks()).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(999);
    expect(scope.pendingMocks()).toHaveLength(1);
    expect(settled).toBe(false);

    await jest.advanceTimersByTimeAsync(1);
    jest.useRealTimers();
    await expect(pending).resolves.toMatchObject({ status: 200, body: { id: 's' } });
    scope.done();
  });

  it('retries a 429 on POST too: the server refused it before doing anything', async () => {
    const scope = api().post('/api/v1/submissions').reply(429, '', { 'retry-after': '0' }).post('/api/v1/submissions').reply(201, { id: 's1' });
    const { t, retries } = transport();
    await expect(t.send(CREATE)).resolves.toMatchObject({ status: 201 });
    expect(retries).toEqual([expect.objectContaining({ status: 429, delayMs: 1 })]);
    scope.done();
  });

  it('gives a 429 back at once when Retry-After is longer than it is willing to wait', async () => {
    const scope = api().get('/api/v1/site').reply(429, { error: { code: 'rate_limited', message: 'Slow' } }, { 'retry-after': '3600' });
    const { t, retries } = transport();
    const res = await t.send(GET_SITE);
    expect(res.status).toBe(429);
    expect(retries).toEqual([]);
    expect(toLeadToSheetError(res)).toMatchObject({ code: 'rate_limited', retryAfterMs: 3_600_000, retryable: true });
    scope.done();
  });

  it('retries a GET answered 500, then returns the 200', async () => {
    const scope = api().get('/api/v1/site').reply(500, 'oops').get('/api/v1/site').reply(200, { id: 's' });
    const { t, retries } = transport();
    await expect(t.send(GET_SITE)).resolves.toMatchObject({ status: 200, body: { id: 's' } });
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, status: 500, path: '/site' })]);
    scope.done();
  });

  it('does NOT retry POST /submissions answered 500: exactly one request', async () => {
    let requests = 0;
    const scope = api()
      .post('/api/v1/submissions')
      .times(1)
      .reply(() => {
        requests++;
        return [500, { error: { code: 'internal_error', message: 'boom' } }];
      });
    const { t, retries } = transport();
    await expect(t.send(CREATE)).resolves.toMatchObject({ status: 500 });
    expect(requests).toBe(1);
    expect(retries).toEqual([]);
    scope.done();
  });

  it('retries a POST whose connection was refused: nothing reached the server', async () => {
    const scope = api()
      .post('/api/v1/submissions')
      .replyWithError(netError('ECONNREFUSED', 'connect ECONNREFUSED 10.1.2.3:443'))
      .post('/api/v1/submissions', { fields: { Email: 'a@b.test' } })
      .reply(201, { id: 's1' });
    const { t, retries } = transport();
    await expect(t.send(CREATE)).resolves.toMatchObject({ status: 201, body: { id: 's1' } });
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, errorCode: 'ECONNREFUSED', path: '/submissions' })]);
    scope.done();
  });

  it.each(['ECONNRESET', 'EPIPE'])('does NOT retry a POST after %s: the lead may have been created', async (code) => {
    const scope = api().post('/api/v1/submissions').replyWithError(netError(code));
    const { t, retries } = transport();
    await expect(t.send(CREATE)).rejects.toMatchObject({ code });
    expect(retries).toEqual([]);
    scope.done();
  });

  it('retries a GET after ECONNRESET', async () => {
    const scope = api().get('/api/v1/site').replyWithError(netError('ECONNRESET')).get('/api/v1/site').reply(200, { id: 's' });
    const { t, retries } = transport();
    await expect(t.send(GET_SITE)).resolves.toMatchObject({ status: 200 });
    expect(retries).toEqual([expect.objectContaining({ errorCode: 'ECONNRESET' })]);
    scope.done();
  });

  it('returns the last response once the limit is exhausted', async () => {
    const scope = api()
      .get('/api/v1/site')
      .reply(503, 'first')
      .get('/api/v1/site')
      .reply(502, 'second')
      .get('/api/v1/site')
      .reply(500, { error: { code: 'internal_error', message: 'last' } });
    const { t, retries } = transport({ retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    await expect(t.send(GET_SITE)).resolves.toMatchObject({ status: 500, body: { error: { message: 'last' } } });
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    scope.done();
  });

  it('throws the last network error once the limit is exhausted', async () => {
    const scope = api().get('/api/v1/site').times(2).replyWithError(netError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.test'));
    const { t, retries } = transport({ retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 5 } });
    await expect(t.send(GET_SITE)).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(retries).toHaveLength(1);
    scope.done();
  });

  it('does not retry a 4xx', async () => {
    const scope = api().get('/api/v1/site').reply(401, { error: { code: 'invalid_token', message: 'no' } });
    const { t, retries } = transport();
    await expect(t.send(GET_SITE)).resolves.toMatchObject({ status: 401 });
    expect(retries).toEqual([]);
    scope.done();
  });
});

describe('got transport: secrets stay out of errors', () => {
  it('redacts a key from a network error message', async () => {
    const scope = api().post('/api/v1/submissions').replyWithError(netError('ECONNRESET', `proxy refused Bearer ${KEY}`));
    const { t } = transport();
    const err = (await t.send(CREATE).catch((e: unknown) => e)) as Error & { code?: string };
    expect(err.code).toBe('ECONNRESET');
    expect(err.message).toContain('lts_AbCd…');
    expect(err.message).not.toContain(KEY);
    expect(JSON.stringify(err)).not.toContain(KEY);
    expect(String(err.stack)).not.toContain(KEY);
    // Only the message, name and code survive: not got's options with the Authorization header.
    expect(Object.keys(err).sort()).toEqual(['code', 'name']);
    scope.done();
  });

  it('never puts the key in a client error, whatever fails', async () => {
    const scope = api()
      .get('/api/v1/site')
      .reply(401, { error: { code: 'invalid_token', message: `Key ${KEY} was revoked` } })
      .get('/api/v1/forms/f1')
      .replyWithError(netError('ECONNRESET', `reset while sending ${KEY}`))
      .get('/api/v1/forms/f1')
      .reply(418, `teapot ${KEY}`);
    const client = new LeadToSheetClient(transport({ retry: { limit: 1, baseDelayMs: 1 } }).t, { key: KEY, baseUrl: BASE });
    const errors = [await client.getSite().catch((e: unknown) => e), await client.getForm('f1').catch((e: unknown) => e)] as LeadToSheetError[];
    expect(errors.map((e) => e.code)).toEqual(['invalid_token', 'http_418']);
    expect(errors[0]?.message).toContain('lts_AbCd…');
    for (const err of errors) {
      expect(err.message).not.toContain(KEY);
      expect(JSON.stringify(err)).not.toContain(KEY);
      expect(err.serverMessage ?? '').not.toContain(KEY);
    }
    scope.done();
  });
});

describe('got transport: real sockets on loopback', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  const listen = async (handler: Parameters<typeof createServer>[1]) => {
    server = createServer(handler);
    server.on('connection', (socket) => server?.once('close', () => socket.destroy()));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  };

  it('a server that does not answer in time becomes a retryable `timeout` error', async () => {
    let hits = 0;
    const baseUrl = await listen(() => {
      hits++; // never answers
    });
    const { t, retries } = transport({ baseUrl, timeoutMs: 100, retry: { limit: 1, baseDelayMs: 1 } });
    const client = new LeadToSheetClient(t, { key: KEY, baseUrl });
    const err = (await client.getSite().catch((e: unknown) => e)) as LeadToSheetError;
    expect(err).toMatchObject({ status: 0, code: 'timeout', retryable: true });
    expect(err.message).toContain(`127.0.0.1:${new URL(baseUrl).port} did not answer in time`);
    expect(retries).toEqual([expect.objectContaining({ errorCode: 'ETIMEDOUT' })]);
    expect(hits).toBe(2);
    server!.closeAllConnections();
  });

  it('a POST that timed out is not sent again: the lead may exist', async () => {
    let hits = 0;
    const baseUrl = await listen(() => {
      hits++;
    });
    const { t, retries } = transport({ baseUrl, timeoutMs: 100 });
    await expect(t.send(CREATE)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(retries).toEqual([]);
    expect(hits).toBe(1);
    server!.closeAllConnections();
  });

  it('a closed port becomes a retryable network_error naming ECONNREFUSED', async () => {
    const baseUrl = await listen(() => undefined);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const { t, retries } = transport({ baseUrl, retry: { limit: 2, baseDelayMs: 1 } });
    const err = (await new LeadToSheetClient(t, { key: KEY, baseUrl }).createSubmission({ fields: { Email: 'a@b.test' } }).catch((e: unknown) => e)) as LeadToSheetError;
    expect(err).toMatchObject({ status: 0, code: 'network_error', retryable: true });
    expect(err.message).toMatch(/^Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    // Refused before anything was sent: safe to retry even a create.
    expect(retries.map((r) => r.errorCode)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
  });
});
