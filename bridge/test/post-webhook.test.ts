/**
 * One webhook POST over real loopback HTTP: the connect-time SSRF guard (literal addresses
 * and host names alike), no redirects, the deadline, the capped read of the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliveryDispatcher, postWebhook, RESPONSE_KEEP_CHARS } from 'lts-bridge';

let server: http.Server;
let base: string;
const received: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(`${req.url} ${req.headers['content-length']} ${Buffer.concat(chunks).toString()}`);
      if (req.url === '/ok') res.writeHead(200, { 'x-seen': 'yes' }).end('thanks');
      else if (req.url === '/big') res.writeHead(200).end('x'.repeat(200_000));
      else if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
      // '/hang': never answers
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const allowed = deliveryDispatcher(['127.0.0.0/8']);
const strict = deliveryDispatcher([]);
afterAll(() => Promise.all([allowed.destroy(), strict.destroy()]));
const post = (url: string, dispatcher = allowed, timeoutMs = 5_000) => postWebhook({ url, body: '{"a":1}', headers: { 'webhook-id': 'msg_1' }, timeoutMs, dispatcher });

describe('postWebhook', () => {
  it('sends the body with its length and headers, and keeps the status, headers and answer', async () => {
    const r = await post(`${base}/ok`);
    expect(r).toMatchObject({ statusCode: 200, body: 'thanks', headers: expect.objectContaining({ 'x-seen': 'yes' }) });
    expect(r.error).toBeUndefined();
    expect(received).toContain('/ok 7 {"a":1}');
  });

  it('does not follow a redirect', async () => {
    expect(await post(`${base}/moved`)).toMatchObject({ statusCode: 302 });
    expect(received.filter((r) => r.startsWith('/ok'))).toHaveLength(1);
  });

  it('reads at most what it keeps of a large answer', async () => {
    const r = await post(`${base}/big`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toHaveLength(RESPONSE_KEEP_CHARS);
  });

  it('gives up at the deadline', async () => {
    const r = await post(`${base}/hang`, allowed, 200);
    expect(r).toMatchObject({ statusCode: null, error: 'timed out after 200 ms' });
  });

  it('names a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await post(`http://127.0.0.1:${port}/ok`)).error).toMatch(/^ECONNREFUSED: /);
  });

  it.each([
    ['a literal loopback address', () => `${base}/ok`],
    ['a host name that resolves to loopback', () => base.replace('127.0.0.1', 'localhost') + '/ok'],
    ['an IPv4-mapped IPv6 loopback address', () => base.replace('127.0.0.1', '[::ffff:127.0.0.1]') + '/ok'],
  ])('refuses %s at connect time without an allowlist, sending nothing', async (_what, url) => {
    const before = received.length;
    const r = await post(url(), strict);
    expect(r.statusCode).toBeNull();
    expect(r.error).toMatch(/^refused: the target resolves to a private, loopback, link-local or reserved address \(.*is not allowed\)$/);
    expect(received).toHaveLength(before);
  });
});

describe('the test network guard', () => {
  it('holds undici to loopback too (nock 15 intercepts at the socket, not only node:http)', async () => {
    const r = await post('http://93.184.216.34/hook', strict, 2_000);
    expect(r).toMatchObject({ statusCode: null, error: expect.stringMatching(/Nock: Disallowed net connect for "93\.184\.216\.34:80/) });
  });
});
