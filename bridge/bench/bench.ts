/**
 * npm run bench -w bridge [-- --store embedded|postgres] [--submissions 10000] [--concurrency 16]
 *
 * One machine: the LeadToSheet sandbox and three receivers in this process, the built bridge
 * (`node bridge/dist/cli.js serve`) as a child process on the embedded store (default) or a
 * fresh PostgreSQL database. 10,000 submissions are created at once in the sandbox, so the
 * bridge drains a backlog to three subscribers (30,000 deliveries). Then the same bodies go
 * to the same receivers from a bare loop (baseline.ts: no store, no queue, no signing, the
 * same concurrency), and the two are compared.
 *
 * Latency is per delivery and exact: from the poll that saw the submission (the body's
 * `timestamp`, which is the event's polled_at) to the moment the receiver got it. While a
 * backlog drains that includes the time a delivery waited in the bridge's queue behind the
 * deliveries of earlier pages: it is the bridge's own delay, not the time a lead waited
 * upstream for its poll. The baseline stamps its bodies the same way when it takes a page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createSandbox } from 'lts-sandbox';
import { cpuMs, cpuShare, freePort, memory, resetPeak, stopChild } from './proc.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BRIDGE_CLI = path.resolve(here, '../../dist/cli.js');
const BASELINE = path.resolve(here, 'baseline.js');
const PG_ADMIN_URL = process.env.LTS_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 250;
/** Peak RSS of the bridge while draining (issue #12). */
const TARGET_PEAK_RSS = { embedded: 250 * 1024 * 1024, postgres: 200 * 1024 * 1024 };
/** "Near zero": below 1% of one core. */
const TARGET_IDLE = 0.01;
/** Idle CPU is measured over one default poll interval (10 s). */
const IDLE_MS = 10_000;
/** How long after the first idle measurement the steady one starts. */
const IDLE_WARMUP_MS = 30_000;
const DRAIN_TIMEOUT_MS = 180_000;
const PAGE = 100;
/** The bridge's default, which the bench keeps. */
const SUBSCRIPTION_CONCURRENCY = 4;

function parseArgs(argv: string[]) {
  const o = { store: 'embedded' as 'embedded' | 'postgres', submissions: 10_000, subscribers: 3, concurrency: 16, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2);
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--store') {
      const v = value();
      if (v !== 'embedded' && v !== 'postgres') usage(`--store must be embedded or postgres, got "${v}"`);
      o.store = v as 'embedded' | 'postgres';
    } else if (flag === '--submissions') o.submissions = positive(flag, value());
    else if (flag === '--subscribers') o.subscribers = positive(flag, value());
    else if (flag === '--concurrency') o.concurrency = positive(flag, value());
    else if (flag === '--strict') o.strict = true;
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown option ${flag}`);
  }
  return o;
}

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) usage(`${flag} must be a whole number above 0, got "${v}"`);
  return n;
}

function usage(problem?: string): never {
  const text =
    'Usage: npm run bench -w bridge [-- --store embedded|postgres] [--submissions 10000] [--subscribers 3] [--concurrency 16] [--strict]\n' +
    '  --concurrency  DELIVERY_CONCURRENCY of the bridge, and requests in flight of the baseline\n' +
    '  --strict       exit 1 when a target is missed (default: report only)';
  if (problem) {
    process.stderr.write(`bench: ${problem}\n${text}\n`);
    process.exit(2);
  }
  process.stdout.write(`${text}\n`);
  process.exit(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Arrival {
  webhookId: string;
  submissionId: string;
  seenAt: number;
  at: number;
}

/** A receiver answering 204 at once, recording what arrived and when. */
async function startReceiver() {
  let arrivals: Arrival[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      res.writeHead(204).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp: string; data: { id: string } };
      arrivals.push({ webhookId: String(req.headers['webhook-id'] ?? `${body.data.id}@baseline`), submissionId: body.data.id, seenAt: Date.parse(body.timestamp), at });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    arrivals: () => arrivals,
    reset() {
      arrivals = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

interface RunFigures {
  deliveries: number;
  unique: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Peak RSS while draining (for the bridge: from the backlog's creation to the last delivery). */
  peakRss: number;
  /** The bridge's RSS idle before the backlog and after the drain, and its peak from start-up to the backlog. */
  idleRss?: number;
  idleRssAfter?: number;
  startupPeakRss?: number;
  idleWarming?: number;
  idleBefore?: number;
  idleAfter: number;
  /** CPU share of one core while draining: the process under test, and this process (sandbox + receivers). */
  busy?: number;
  benchBusy?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Figures from what the receivers got: first copy of each webhook per receiver for latency. */
function figures(receivers: Receiver[]): Omit<RunFigures, 'peakRss' | 'idleAfter' | 'idleBefore'> {
  const latencies: number[] = [];
  let deliveries = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const r of receivers) {
    const seen = new Set<string>();
    for (const a of r.arrivals()) {
      deliveries++;
      first = Math.min(first, a.seenAt);
      last = Math.max(last, a.at);
      if (seen.has(a.webhookId)) continue;
      seen.add(a.webhookId);
      latencies.push(a.at - a.seenAt);
    }
  }
  latencies.sort((a, b) => a - b);
  const seconds = (last - first) / 1000;
  return {
    deliveries,
    unique: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
}

/** Waits until every receiver has every submission, sampling nothing else; false on timeout. */
async function drained(receivers: Receiver[], submissions: number, child: ChildProcess, timeoutMs: number, onTick?: () => void): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const counted = receivers.map(() => ({ index: 0, ids: new Set<string>() }));
  let lastReport = Date.now();
  for (;;) {
    receivers.forEach((r, i) => {
      const c = counted[i]!;
      const list = r.arrivals();
      for (; c.index < list.length; c.index++) c.ids.add(list[c.index]!.submissionId);
    });
    onTick?.();
    const got = counted.reduce((n, c) => n + c.ids.size, 0);
    if (counted.every((c) => c.ids.size >= submissions)) return true;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the process under test exited (${child.exitCode ?? child.signalCode}) with ${got} of ${submissions * receivers.length} delivered`);
    if (Date.now() > deadline) return false;
    if (Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      process.stderr.write(`  … ${got} of ${submissions * receivers.length} delivered\n`);
    }
    await sleep(100);
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const total = o.submissions * o.subscribers;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lts-bridge-bench-'));
  const sandbox = createSandbox({ rateLimit: 0 });
  const api = await sandbox.listen(0);
  const site = sandbox.createSite({ name: 'Bench', domain: 'bench.example' });
  sandbox.createForm(site.id, { name: 'Contact' });
  sandbox.createForm(site.id, { name: 'Newsletter' });
  const key = sandbox.createKey(site.id, { name: 'bench', scopes: ['submissions:read', 'forms:read'] }).key;
  const receivers: Receiver[] = [];
  for (let i = 0; i < o.subscribers; i++) receivers.push(await startReceiver());

  let pgDb: { url: string; name: string } | undefined;
  if (o.store === 'postgres') {
    const name = `lts_bridge_bench_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    pgDb = { name, url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) };
  }

  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await Promise.all(receivers.map((r) => r.close()));
    await sandbox.close();
    if (pgDb) {
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pgDb.name} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(tmp, { recursive: true, force: true });
  };

  try {
    const [load1] = os.loadavg();
    process.stderr.write(
      `bench: ${o.submissions} submissions to ${o.subscribers} subscribers (${total} deliveries), ${o.store} store, ` +
        `${os.availableParallelism()} CPUs, load average ${load1!.toFixed(2)}\n`,
    );

    // The bridge, as an operator runs it.
    const port = await freePort();
    const bridgeEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LTS_BASE_URL: api.baseUrl,
      BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ALLOW_PRIVATE_TARGETS: '127.0.0.0/8',
      // The per-key budget protects LeadToSheet; the sandbox needs no protecting here.
      LTS_REQUESTS_PER_MINUTE: '100000',
      DELIVERY_CONCURRENCY: String(o.concurrency),
      LOG_LEVEL: 'warn',
      // e.g. BENCH_BRIDGE_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the bridge
      ...(process.env.BENCH_BRIDGE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_BRIDGE_NODE_OPTIONS } : {}),
      ...(pgDb ? { DATABASE_URL: pgDb.url } : { BRIDGE_DATA_DIR: path.join(tmp, 'bridge') }),
    };
    const bridge = spawn(process.execPath, [BRIDGE_CLI, 'serve'], { env: bridgeEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    cleanups.push(() => stopChild(bridge));
    const url = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 60_000; ; ) {
      if (bridge.exitCode !== null) throw new Error(`the bridge exited (${bridge.exitCode}) at start-up`);
      const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error('the bridge was not ready after 60 s');
      await sleep(100);
    }
    for (const r of receivers) {
      const res = await fetch(`${url}/v1/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: r.url, description: 'bench' }),
      });
      if (res.status !== 201) throw new Error(`subscribing failed: ${res.status} ${await res.text()}`);
    }

    // Idle: subscribed, polling every 10 s (the default), nothing new. Right after start-up
    // V8 is still compiling the store's WebAssembly (PGlite) in the background, so idle is
    // measured twice: at once, and once that is over (the steady state the target is about).
    await sleep(3_000);
    const idleWarming = await cpuShare(bridge.pid!, IDLE_MS);
    await sleep(IDLE_WARMUP_MS);
    const idleBefore = await cpuShare(bridge.pid!, IDLE_MS);

    // The backlog: every submission exists before the bridge's next poll.
    const created: unknown[] = [];
    const createStarted = performance.now();
    for (let i = 0; i < o.submissions; i++) {
      created.push(
        sandbox.createSubmission(site.id, {
          formName: i % 2 ? 'Contact' : 'Newsletter',
          fields: { Name: `Lead ${i}`, Email: `lead${i}@example.com`, Phone: `+1 555 01${String(i % 100).padStart(2, '0')}`, Message: 'Please call me back about pricing for the team plan.' },
          metadata: { page_url: 'https://bench.example/contact', ip: '203.0.113.7' },
        }),
      );
    }
    const createMs = performance.now() - createStarted;
    // Memory: idle RSS now; the peak so far is start-up's (opening the store, compiling
    // PGlite's WebAssembly); then the peak is reset so the drain's own is measured.
    const startupPeakRss = memory(bridge.pid!).peak;
    const idleRss = memory(bridge.pid!).rss;
    const peakReset = resetPeak(bridge.pid!);
    let peakSample = 0;
    const cpu0 = { bridge: cpuMs(bridge.pid!), self: process.cpuUsage(), at: performance.now() };
    const ok = await drained(receivers, o.submissions, bridge, DRAIN_TIMEOUT_MS, () => {
      peakSample = Math.max(peakSample, memory(bridge.pid!).rss);
    });
    if (!ok) throw new Error(`the bridge did not deliver everything within ${DRAIN_TIMEOUT_MS / 1000} s`);
    const drainPeak = memory(bridge.pid!).peak;
    const bridgeFigures = figures(receivers);
    // How busy the delivery slots were: the POSTs' own time (the bridge's attempt-latency
    // histogram) against the drain time of the slots that could run (3 subscriptions x 4).
    const metricsText = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
    const metric = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metricsText)?.[1] ?? NaN);
    const posts = { seconds: metric('lts_bridge_delivery_attempt_seconds_sum'), count: metric('lts_bridge_delivery_attempt_seconds_count') };
    const wall = performance.now() - cpu0.at;
    const self = process.cpuUsage(cpu0.self);
    const busy = { bridge: (cpuMs(bridge.pid!) - cpu0.bridge) / wall, bench: (self.user + self.system) / 1000 / wall };
    const idleAfter = await cpuShare(bridge.pid!, IDLE_MS);
    const idleRssAfter = memory(bridge.pid!).rss;
    const slots = Math.min(o.concurrency, o.subscribers * SUBSCRIPTION_CONCURRENCY);
    const postStats = { meanMs: (posts.seconds / posts.count) * 1000, slotsBusy: posts.seconds / (bridgeFigures.seconds * slots), slots };
    const bridgeRun: RunFigures = { ...bridgeFigures, peakRss: peakReset ? Math.max(drainPeak, peakSample) : peakSample, idleRss, idleRssAfter, startupPeakRss, idleWarming, idleBefore, idleAfter, busy: busy.bridge, benchBusy: busy.bench };
    await stopChild(bridge);

    // The baseline: the same bodies, the same receivers, the same concurrency.
    receivers.forEach((r) => r.reset());
    const jobFile = path.join(tmp, 'baseline-job.json');
    writeFileSync(jobFile, JSON.stringify({ submissions: created, receivers: receivers.map((r) => r.url), concurrency: o.concurrency, pageSize: PAGE }));
    const baseline = spawn(process.execPath, [BASELINE, jobFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => stopChild(baseline));
    let report = '';
    baseline.stdout!.on('data', (c: Buffer) => (report += c.toString('utf8')));
    let baselinePeakSample = 0;
    const cpu1 = { child: 0, self: process.cpuUsage(), at: performance.now() };
    if (!(await drained(receivers, o.submissions, baseline, DRAIN_TIMEOUT_MS, () => (baselinePeakSample = Math.max(baselinePeakSample, memory(baseline.pid!).rss))))) {
      throw new Error('the baseline did not finish');
    }
    for (const deadline = Date.now() + 10_000; !report.includes('\n') && Date.now() < deadline; ) await sleep(50);
    const baselineFigures = figures(receivers);
    const wall1 = performance.now() - cpu1.at;
    const self1 = process.cpuUsage(cpu1.self);
    const baselineBusy = cpuMs(baseline.pid!) / wall1;
    const baselineIdle = await cpuShare(baseline.pid!, IDLE_MS);
    const baselineRun: RunFigures = {
      ...baselineFigures,
      peakRss: Math.max(memory(baseline.pid!).peak, baselinePeakSample),
      idleAfter: baselineIdle,
      busy: baselineBusy,
      benchBusy: (self1.user + self1.system) / 1000 / wall1,
    };
    await stopChild(baseline);

    print(o, createMs, bridgeRun, baselineRun, postStats);
    const met = bridgeRun.perSecond >= TARGET_RATIO * baselineRun.perSecond && bridgeRun.p99 < TARGET_P99_MS && bridgeRun.idleBefore! < TARGET_IDLE;
    if (o.strict && !met) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

function print(o: ReturnType<typeof parseArgs>, createMs: number, b: RunFigures, base: RunFigures, posts: { meanMs: number; slotsBusy: number; slots: number }) {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  const pct = (n: number | undefined) => (n === undefined ? '-' : `${(n * 100).toFixed(2)}%`);
  const ms = (n: number) => `${Math.round(n)} ms`;
  const rows: [string, string, string, string][] = [
    ['deliveries per second', b.perSecond.toFixed(0), base.perSecond.toFixed(0), `${(b.perSecond / base.perSecond).toFixed(2)}x`],
    ['latency p50 (seen -> received, see below)', ms(b.p50), ms(base.p50), `${(b.p50 / Math.max(1, base.p50)).toFixed(1)}x`],
    ['latency p99', ms(b.p99), ms(base.p99), `${(b.p99 / Math.max(1, base.p99)).toFixed(1)}x`],
    ['latency max', ms(b.max), ms(base.max), ''],
    ['peak memory while draining (RSS of the process)', mb(b.peakRss), mb(base.peakRss), `${(b.peakRss / base.peakRss).toFixed(1)}x`],
    ['memory idle before / after the drain (RSS)', `${mb(b.idleRss!)} / ${mb(b.idleRssAfter!)}`, '-', ''],
    ['peak memory from start-up to the backlog (RSS)', mb(b.startupPeakRss!), '-', ''],
    ['idle CPU just after start-up (10 s, share of one core)', pct(b.idleWarming), '-', ''],
    ['idle CPU, nothing new, warmed up (10 s, 40 s later)', pct(b.idleBefore), '-', ''],
    ['idle CPU after the drain (10 s)', pct(b.idleAfter), pct(base.idleAfter), ''],
    ['drain time', `${b.seconds.toFixed(1)} s`, `${base.seconds.toFixed(1)} s`, ''],
    ['CPU while draining: the process / sandbox+receivers', `${pct(b.busy)} / ${pct(b.benchBusy)}`, `${pct(base.busy)} / ${pct(base.benchBusy)}`, ''],
    ['deliveries received (duplicates)', `${b.deliveries} (${b.deliveries - b.unique})`, `${base.deliveries} (${base.deliveries - base.unique})`, ''],
  ];
  const w = [Math.max(...rows.map((r) => r[0].length)), 17, 17, 8];
  const line = (r: string[]) => `  ${r[0]!.padEnd(w[0]!)}  ${r[1]!.padStart(w[1]!)}  ${r[2]!.padStart(w[2]!)}  ${r[3]!.padStart(w[3]!)}`;
  const out = [
    '',
    `lts-bridge benchmark: ${o.submissions} submissions created at once (${(createMs / 1000).toFixed(1)} s) -> ${o.subscribers} subscribers, ${o.store} store`,
    `bridge: DELIVERY_CONCURRENCY ${o.concurrency}, SUBSCRIPTION_CONCURRENCY ${SUBSCRIPTION_CONCURRENCY}, POLL_INTERVAL_SECONDS 10 (defaults); baseline: a bare loop, no store, no queue, no signing, ${o.concurrency} requests in flight`,
    line(['', 'bridge', 'baseline', 'ratio']),
    ...rows.map(line),
    `  the bridge's POSTs took ${posts.meanMs.toFixed(1)} ms on average; its ${posts.slots} delivery slots (${o.subscribers} subscriptions x SUBSCRIPTION_CONCURRENCY ${SUBSCRIPTION_CONCURRENCY}) were busy posting ${pct(posts.slotsBusy)} of the drain`,
    '  seen: the poll that saw the submission (its event\'s polled_at, the body\'s timestamp) for the bridge; for the',
    '  baseline, the moment its loop took the page of 100. Both include the wait behind earlier deliveries.',
    '',
    `targets: throughput >= ${TARGET_RATIO * 100}% of the baseline: ${b.perSecond >= TARGET_RATIO * base.perSecond ? 'met' : 'MISSED'} (${((b.perSecond / base.perSecond) * 100).toFixed(0)}%); ` +
      `p99 < ${TARGET_P99_MS} ms: ${b.p99 < TARGET_P99_MS ? 'met' : 'MISSED'} (${ms(b.p99)}); ` +
      `idle CPU near zero (< ${TARGET_IDLE * 100}% of a core): ${b.idleBefore! < TARGET_IDLE ? 'met' : 'MISSED'} (${pct(b.idleBefore)}); ` +
      `peak RSS while draining < ${mb(TARGET_PEAK_RSS[o.store])}: ${b.peakRss < TARGET_PEAK_RSS[o.store] ? 'met' : 'MISSED'} (${mb(b.peakRss)})`,
    '',
  ];
  process.stdout.write(out.join('\n'));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
