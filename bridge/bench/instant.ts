/**
 * The instant-trigger figures (part of `npm run bench`): what the bridge costs LeadToSheet
 * and how fast a lead reaches a Zap or workflow, next to what polling Zaps give.
 *
 * 1. Upstream requests per idle poll cycle for one site with 1, 10 and 50 subscriptions:
 *    every request the sandbox answers is counted (its own server's 'request' event) while
 *    the bridge idles through polls of a site with nothing new; polls are the bridge's own
 *    lts_bridge_polls_total. Target: 1 request per cycle, whatever the subscriptions.
 * 2. Lead-to-receiver latency at the default poll interval (10 s): leads are created at
 *    random moments of the cycle; latency is from the sandbox accepting the lead to the
 *    receiver (standing in for Zapier's hook URL) getting the signed push.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox } from 'lts-sandbox';
import { freePort, stopChild } from './proc.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BRIDGE_CLI = path.resolve(here, '../../dist/cli.js');
const SUBSCRIPTION_COUNTS = [1, 10, 50];
const IDLE_CYCLES = 5;
const LATENCY_LEADS = 6;
/** Zapier's polling interval per plan (Free 15 min, Professional 2 min, Team and Enterprise 1 min). */
const ZAPIER_PLANS: [string, number][] = [
  ['Free', 15 * 60],
  ['Professional', 2 * 60],
  ['Team / Enterprise', 60],
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startBridge(baseUrl: string, dataDir: string, pollSeconds?: number) {
  const port = await freePort();
  const child = spawn(process.execPath, [BRIDGE_CLI, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LTS_BASE_URL: baseUrl,
      BRIDGE_DATA_DIR: dataDir,
      BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ALLOW_PRIVATE_TARGETS: '127.0.0.0/8',
      LOG_LEVEL: 'warn',
      ...(pollSeconds ? { POLL_INTERVAL_SECONDS: String(pollSeconds) } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ; await sleep(100)) {
    if (child.exitCode !== null) throw new Error(`the bridge exited (${child.exitCode}) at start-up`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error('the bridge was not ready after 60 s');
  }
  const polls = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return [...text.matchAll(/^lts_bridge_polls_total\{outcome="(?:ok|superseded)"\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };
  return { url, polls, stop: () => stopChild(child) };
}

async function main() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lts-bridge-instant-'));
  const sandbox = createSandbox({ rateLimit: 0 });
  const api = await sandbox.listen(0);
  let upstream = 0;
  api.server.on('request', () => (upstream += 1));
  const site = sandbox.createSite({ name: 'Instant', domain: 'instant.example' });
  sandbox.createForm(site.id, { name: 'Contact' });
  const key = sandbox.createKey(site.id, { name: 'bench', scopes: ['submissions:read', 'forms:read'] }).key;

  const arrivals = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(204).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { id: string } };
      if (!arrivals.has(body.data.id)) arrivals.set(body.data.id, Date.now());
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/zap`;
  const subscribe = async (bridgeUrl: string, n: number) => {
    const res = await fetch(`${bridgeUrl}/v1/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${hookBase}/${n}`, description: `Zap ${n}` }),
    });
    if (!res.ok) throw new Error(`subscribing failed: HTTP ${res.status} ${await res.text()}`);
  };

  try {
    process.stderr.write(`instant: ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}\n`);
    // 1. Upstream requests per idle poll cycle (polling every second to keep this short).
    const fast = await startBridge(api.baseUrl, path.join(tmp, 'idle'), 1);
    const perCycle: [number, number, number][] = [];
    let subs = 0;
    for (const want of SUBSCRIPTION_COUNTS) {
      while (subs < want) await subscribe(fast.url, ++subs);
      await sleep(1_500); // the subscribe-time poll and checks settle
      const [r0, p0] = [upstream, await fast.polls()];
      await sleep(IDLE_CYCLES * 1_000 + 200);
      const [r1, p1] = [upstream, await fast.polls()];
      perCycle.push([want, r1 - r0, p1 - p0]);
    }
    await fast.stop();

    // 2. Latency at the default poll interval, one subscription.
    const slow = await startBridge(api.baseUrl, path.join(tmp, 'latency'));
    await subscribe(slow.url, 1);
    await sleep(1_000);
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_LEADS; i++) {
      await sleep(Math.random() * 10_000);
      const created = Date.now();
      const lead = sandbox.createSubmission(site.id, { formName: 'Contact', fields: { Email: `lead${i}@example.com` } });
      for (const deadline = Date.now() + 60_000; !arrivals.has(lead.id); await sleep(20)) {
        if (Date.now() > deadline) throw new Error('a lead did not arrive within 60 s');
      }
      latencies.push(arrivals.get(lead.id)! - created);
    }
    await slow.stop();

    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    const max = Math.max(...latencies);
    const lines = [
      '',
      'Instant triggers: upstream requests per idle poll cycle, one site (target: 1, whatever the subscriptions)',
      ...perCycle.map(([n, requests, polls]) => `  ${String(n).padStart(2)} subscription${n > 1 ? 's' : ' '}: ${requests} requests in ${polls} polls = ${(requests / Math.max(1, polls)).toFixed(2)} per cycle`),
      `  ratio 50 subscriptions / 1: ${(perCycle[2]![1] / Math.max(1, perCycle[2]![2]) / (perCycle[0]![1] / Math.max(1, perCycle[0]![2]))).toFixed(2)}x`,
      `  50 polling Zaps instead: 50 requests per Zap interval, one per Zap (the bridge: 1 per ${10} s poll)`,
      '',
      `Lead to receiver at the default 10 s poll interval (${LATENCY_LEADS} leads at random moments): mean ${(mean / 1000).toFixed(1)} s, max ${(max / 1000).toFixed(1)} s`,
      ...ZAPIER_PLANS.map(([plan, s]) => `  a polling Zap on ${plan.padEnd(17)} (every ${s >= 120 ? `${s / 60} min` : `${s} s`}): mean ~${(s / 2).toFixed(0)} s, max ~${s} s -> the bridge is ${((s / 2) / (mean / 1000)).toFixed(0)}x sooner on average`),
    ];
    console.log(lines.join('\n'));
  } finally {
    receiver.closeAllConnections();
    receiver.close();
    await sandbox.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`instant bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
