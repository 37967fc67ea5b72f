/**
 * The delivery's own parts, alone, side by side in one run (`npm run bench:client -w bridge`):
 *
 * - the HTTP client: the bridge's postWebhook over its deliveryDispatcher (undici, with the
 *   connect-time SSRF guard, the deadline and the capped read) against a bare node:http
 *   keep-alive loop (what deliveries used until 2026-12-04, without request-filtering-agent's
 *   own checks, so the old path cost at least this). Both POST the same body to one receiver
 *   in a child process, 12 requests in flight (the drain's), alternating rounds; printed: CPU
 *   time of this process per request and requests per second.
 * - signing one webhook: the bridge's signWebhook with a key made once (signingKey), node's
 *   createHmac with the raw key bytes at every call, and the official `standardwebhooks`.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { deliveryDispatcher, newSigningSecret, postWebhook, signingKey, signWebhook } from 'lts-bridge';

const REQUESTS = Number(process.env.BENCH_CLIENT_REQUESTS ?? 20_000);
const IN_FLIGHT = 12;
const ROUNDS = 3;
const body = JSON.stringify({ type: 'submission.created', timestamp: new Date().toISOString(), data: { id: 'sub_bench', form_id: 'form_1', form_name: 'Contact', fields: { Email: 'a@example.com', Name: 'A. Person', Message: 'x'.repeat(200) }, created_at: new Date().toISOString() } });
const headers = { 'webhook-id': 'msg_0000000000000000000000', 'webhook-timestamp': '1795453201', 'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' };

function startReceiver(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', `
    const http = require('node:http');
    const s = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); });
    s.keepAliveTimeout = 60000;
    s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout!.once('data', (d: Buffer) => resolve({ url: `http://127.0.0.1:${String(d).trim()}/hook`, stop: () => child.kill() }));
  });
}

async function loop(send: () => Promise<unknown>): Promise<{ cpuUs: number; perSecond: number }> {
  let left = REQUESTS;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (left-- > 0) await send();
  }));
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / REQUESTS, perSecond: (REQUESTS / wall) * 1000 };
}

function nodeHttpSender(url: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(url);
  return () => new Promise<number>((resolve, reject) => {
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function bridgeSender(url: string) {
  const dispatcher = deliveryDispatcher(['127.0.0.0/8']);
  const send = async () => {
    const r = await postWebhook({ url, body, headers, timeoutMs: 10_000, dispatcher });
    if (r.statusCode !== 200) throw new Error(`the receiver answered ${r.statusCode}: ${r.error ?? ''}`);
  };
  return { send, close: () => dispatcher.destroy() };
}

function perCall(fn: () => unknown, n = 50_000): number {
  for (let i = 0; i < 1_000; i++) fn();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - started) / n / 1_000;
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const receiver = await startReceiver();
const bridge = bridgeSender(receiver.url);
const plain = nodeHttpSender(receiver.url);
const results = { bridge: [] as { cpuUs: number; perSecond: number }[], plain: [] as { cpuUs: number; perSecond: number }[] };
await loop(bridge.send); // warm-up of both, not counted
await loop(plain);
for (let round = 0; round < ROUNDS; round++) {
  results.bridge.push(await loop(bridge.send));
  results.plain.push(await loop(plain));
}
await bridge.close();
receiver.stop();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const b = { cpu: median(results.bridge.map((r) => r.cpuUs)), rate: median(results.bridge.map((r) => r.perSecond)) };
const p = { cpu: median(results.plain.map((r) => r.cpuUs)), rate: median(results.plain.map((r) => r.perSecond)) };
console.log(`delivery client: ${REQUESTS} POSTs per round, ${IN_FLIGHT} in flight, ${ROUNDS} rounds each, alternating (medians)`);
console.log(`                                         bridge (undici)   node:http loop     ratio`);
console.log(`  CPU time per request (this process)   ${fmt(b.cpu).padStart(10)} µs   ${fmt(p.cpu).padStart(10)} µs   ${fmt(b.cpu / p.cpu, 2)}x`);
console.log(`  requests per second                   ${fmt(b.rate, 0).padStart(13)}   ${fmt(p.rate, 0).padStart(13)}   ${fmt(b.rate / p.rate, 2)}x`);

const secret = newSigningSecret();
const key = signingKey(secret);
const raw = Buffer.from(secret.slice('whsec_'.length), 'base64');
const official = new Webhook(secret);
const at = new Date();
const bridgeSign = perCall(() => signWebhook('msg_1', at, body, [key]));
const rawSign = perCall(() => createHmac('sha256', raw).update(`msg_1.${Math.floor(at.getTime() / 1000)}.${body}`).digest('base64'));
const officialSign = perCall(() => official.sign('msg_1', at, body), 10_000);
console.log(`signing one webhook (${body.length} bytes)`);
console.log(`  signWebhook, key made once            ${fmt(bridgeSign, 2).padStart(10)} µs`);
console.log(`  createHmac with the key's bytes       ${fmt(rawSign, 2).padStart(10)} µs   ${fmt(rawSign / bridgeSign, 1)}x the bridge's`);
console.log(`  standardwebhooks Webhook.sign         ${fmt(officialSign, 2).padStart(10)} µs   ${fmt(officialSign / bridgeSign, 1)}x the bridge's`);
