/**
 * npm run bench -w bridge [-- --store embedded|postgres] [--profile all|drain|slow|sites] [--submissions 10000] [--concurrency 16]
 *
 * Profiles (issue #12), each with its own freshly started bridge: `drain` (receivers answer at
 * once), `slow` (every receiver answers after 50 ms, what real receivers do; 2,000
 * submissions), `sites` (1,000 sites with one subscription each, polled every 10 s: idle CPU
 * and RSS, then one lead on 200 of them at once). `all` (the default) runs the three.
 *
 * The drain and slow profiles:
 * One machine: the LeadToSheet sandbox and three receivers in this process, the built bridge
 * (`node bridge/dist/cli.js serve`) as a child process on the embedded store (default) or a
 * fresh PostgreSQL database. 10,000 submissions are created at once in the sandbox, so the
 * bridge drains a backlog to three subscribers (30,000 deliveries). Then the same bodies go
 * to the same receivers from a bare loop (baseline.ts: no store, no queue, no signing, as
 * many requests in flight as the bridge can have), and the two are compared.
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
import { cpuMs, cpuMsOfAll, cpuShare, freePort, memory, resetPeak, runQueueMs, stopChild } from './proc.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BRIDGE_CLI = path.resolve(here, '../../dist/cli.js');
const BASELINE = path.resolve(here, 'baseline.js');
const PG_ADMIN_URL = process.env.LTS_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Throughput against the bare loop at the same requests in flight: receivers answering at once, and after 50 ms. */
const TARGET_RATIO = { drain: 0.3, slow: 0.8 };
const TARGET_P99_MS = 250;
/** Peak RSS of the bridge while draining (issue #12). */
const TARGET_PEAK_RSS = { embedded: 250 * 1024 * 1024, postgres: 200 * 1024 * 1024 };
/** "Near zero": below 0.5% of one core. */
const TARGET_IDLE = 0.005;
/** Idle CPU is measured over one default poll interval (10 s). */
const IDLE_MS = 10_000;
/** How long after the first idle measurement the steady one starts. */
const IDLE_WARMUP_MS = 30_000;
const DRAIN_TIMEOUT_MS = 180_000;
const PAGE = 100;
/** The bridge's default, which the bench keeps. */
const SUBSCRIPTION_CONCURRENCY = 4;

function parseArgs(argv: string[]) {
  const o = {
    store: 'embedded' as 'embedded' | 'postgres',
    profile: 'all' as Profile | 'all',
    submissions: undefined as number | undefined,
    subscribers: 3,
    concurrency: 16,
    receiverDelayMs: 50,
    sites: 1_000,
    burst: 200,
    strict: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2);
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--store') {
      const v = value();
      if (v !== 'embedded' && v !== 'postgres') usage(`--store must be embedded or postgres, got "${v}"`);
      o.store = v as 'embedded' | 'postgres';
    } else if (flag === '--submissions') o.submissions = positive(flag, value());
    else if (flag === '--subscribers') o.subscribers = positive(flag, value());
    else if (flag === '--profile') {
      const v = value();
      if (!['all', ...PROFILES].includes(v)) usage(`--profile must be one of all, ${PROFILES.join(', ')}; got "${v}"`);
      o.profile = v as Profile | 'all';
    } else if (flag === '--receiver-delay-ms') o.receiverDelayMs = positive(flag, value());
    else if (flag === '--sites') o.sites = positive(flag, value());
    else if (flag === '--burst') o.burst = positive(flag, value());
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
    'Usage: npm run bench -w bridge [-- --store embedded|postgres] [--profile all|drain|slow|sites] [--submissions N] [--subscribers 3]\n' +
    '         [--concurrency 16] [--receiver-delay-ms 50] [--sites 1000] [--burst 200] [--strict]\n' +
    '  --profile      drain: receivers answer at once (10,000 submissions); slow: after --receiver-delay-ms (2,000);\n' +
    '                 sites: --sites sites with a subscription each, idle, then a lead on --burst of them; all: the three\n' +
    '  --concurrency  DELIVERY_CONCURRENCY of the bridge; the baseline runs as many requests in flight as the bridge can\n' +
    '                 (the lower of it and subscribers x SUBSCRIPTION_CONCURRENCY)\n' +
    '  --strict       exit 1 when a target is missed (default: report only)';
  if (problem) {
    process.stderr.write(`bench: ${problem}\n${text}\n`);
    process.exit(2);
  }
  process.stdout.write(`${text}\n`);
  process.exit(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const PROFILES = ['drain', 'slow', 'sites'] as const;
type Profile = (typeof PROFILES)[number];
type Options = ReturnType<typeof parseArgs>;
/** What one drain run is: how many submissions, how long receivers take, whether idle is measured first. */
interface DrainRun {
  profile: 'drain' | 'slow';
  submissions: number;
  receiverDelayMs: number;
  measureIdle: boolean;
}

interface Arrival {
  webhookId: string;
  submissionId: string;
  seenAt: number;
  at: number;
}

/** A receiver answering 204 (at once, or after `delayMs`), recording what arrived and when. */
async function startReceiver(delayMs = 0) {
  let arrivals: Arrival[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      if (delayMs > 0) setTimeout(() => res.writeHead(204).end(), delayMs);
      else res.writeHead(204).end();
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
  /** CPU time the process under test spent while draining, in ms. */
  cpuMs?: number;
  /** Time its threads were runnable but waiting for a CPU while draining, in ms. */
  runQueueMs?: number;
  /** CPU time of the local PostgreSQL server's processes while draining, in ms (the PostgreSQL store). */
  serverCpuMs?: number;
}

/** How the figures are printed. */
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const pct = (n: number | undefined) => (n === undefined ? '-' : `${(n * 100).toFixed(2)}%`);
const ms = (n: number) => `${Math.round(n)} ms`;

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

/**
 * What every profile runs in: the sandbox (in this process), a scratch directory, a fresh
 * PostgreSQL database for --store postgres, and the bridge as an operator runs it, started
 * by startBridge below; close() stops and removes them all.
 */
async function benchEnvironment(o: Options) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lts-bridge-bench-'));
  const sandbox = createSandbox({ rateLimit: 0 });
  const api = await sandbox.listen(0);
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
  return {
    sandbox,
    api,
    tmp,
    cleanups,
    /** The built bridge as a child process with its defaults (plus `env`), once it is ready. */
    async startBridge(env: Record<string, string> = {}) {
      const port = await freePort();
      const bridgeEnv = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        LTS_BASE_URL: api.baseUrl,
        BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        ALLOW_PRIVATE_TARGETS: '127.0.0.0/8',
        DELIVERY_CONCURRENCY: String(o.concurrency),
        LOG_LEVEL: 'warn',
        // e.g. BENCH_BRIDGE_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the bridge
        ...(process.env.BENCH_BRIDGE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_BRIDGE_NODE_OPTIONS } : {}),
        ...(pgDb ? { DATABASE_URL: pgDb.url } : { BRIDGE_DATA_DIR: path.join(tmp, 'bridge') }),
        ...env,
      };
      // e.g. BENCH_BRIDGE_NODE_ARGS="--wasm-lazy-compilation" for V8 flags NODE_OPTIONS does not take
      const nodeArgs = (process.env.BENCH_BRIDGE_NODE_ARGS ?? '').split(' ').filter(Boolean);
      const bridge = spawn(process.execPath, [...nodeArgs, BRIDGE_CLI, 'serve'], { env: bridgeEnv, stdio: ['ignore', 'inherit', 'inherit'] });
      cleanups.push(() => stopChild(bridge));
      const url = `http://127.0.0.1:${port}`;
      for (const deadline = Date.now() + 60_000; ; ) {
        if (bridge.exitCode !== null) throw new Error(`the bridge exited (${bridge.exitCode}) at start-up`);
        const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
        if (ok) break;
        if (Date.now() > deadline) throw new Error('the bridge was not ready after 60 s');
        await sleep(100);
      }
      return { bridge, url };
    },
    async close() {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
      await sandbox.close();
      if (pgDb) {
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${pgDb.name} WITH (FORCE)`);
        await admin.end();
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function subscribe(url: string, key: string, target: string): Promise<void> {
  const res = await fetch(`${url}/v1/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: target, description: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`subscribing failed: ${res.status} ${await res.text()}`);
}

const loadNote = () => `${os.availableParallelism()} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`;

/** A drain (profile drain or slow): a backlog of submissions to three subscribers, then the bare baseline. True when its targets are met. */
async function runDrain(o: Options, run: DrainRun): Promise<boolean> {
  const total = run.submissions * o.subscribers;
  const env = await benchEnvironment(o);
  const { sandbox, tmp, cleanups } = env;
  const site = sandbox.createSite({ name: 'Bench', domain: 'bench.example' });
  sandbox.createForm(site.id, { name: 'Contact' });
  sandbox.createForm(site.id, { name: 'Newsletter' });
  const key = sandbox.createKey(site.id, { name: 'bench', scopes: ['submissions:read', 'forms:read'] }).key;
  const receivers: Receiver[] = [];
  for (let i = 0; i < o.subscribers; i++) receivers.push(await startReceiver(run.receiverDelayMs));
  cleanups.unshift(() => Promise.all(receivers.map((r) => r.close())).then(() => undefined));

  try {
    process.stderr.write(
      `bench ${run.profile}: ${run.submissions} submissions to ${o.subscribers} subscribers (${total} deliveries)` +
        `${run.receiverDelayMs ? `, receivers answering after ${run.receiverDelayMs} ms` : ''}, ${o.store} store, ${loadNote()}\n`,
    );
    // The per-key budget protects LeadToSheet; the sandbox needs no protecting here.
    const { bridge, url } = await env.startBridge({ LTS_REQUESTS_PER_MINUTE: '100000' });
    for (const r of receivers) await subscribe(url, key, r.url);

    // Idle: subscribed, polling every 10 s (the default), nothing new. Right after start-up
    // V8 is still compiling the store's WebAssembly (PGlite) in the background, so idle is
    // measured twice: at once, and once that is over (the steady state the target is about).
    let idleWarming: number | undefined;
    let idleBefore: number | undefined;
    await sleep(3_000);
    if (run.measureIdle) {
      idleWarming = await cpuShare(bridge.pid!, IDLE_MS);
      await sleep(IDLE_WARMUP_MS);
      idleBefore = await cpuShare(bridge.pid!, IDLE_MS);
    }

    // The backlog: every submission exists before the bridge's next poll.
    const created: unknown[] = [];
    const createStarted = performance.now();
    for (let i = 0; i < run.submissions; i++) {
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
    const cpu0 = { bridge: cpuMs(bridge.pid!), waited: runQueueMs(bridge.pid!), server: o.store === 'postgres' ? cpuMsOfAll('postgres') : 0, self: process.cpuUsage(), at: performance.now() };
    const ok = await drained(receivers, run.submissions, bridge, DRAIN_TIMEOUT_MS, () => {
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
    const bridgeCpuMs = cpuMs(bridge.pid!) - cpu0.bridge;
    const bridgeWaitedMs = runQueueMs(bridge.pid!) - cpu0.waited;
    const serverCpuMs = o.store === 'postgres' ? cpuMsOfAll('postgres') - cpu0.server : undefined;
    const busy = { bridge: bridgeCpuMs / wall, bench: (self.user + self.system) / 1000 / wall };
    const idleAfter = await cpuShare(bridge.pid!, IDLE_MS);
    const idleRssAfter = memory(bridge.pid!).rss;
    const slots = Math.min(o.concurrency, o.subscribers * SUBSCRIPTION_CONCURRENCY);
    const postStats = { meanMs: (posts.seconds / posts.count) * 1000, slotsBusy: posts.seconds / (bridgeFigures.seconds * slots), slots };
    const bridgeRun: RunFigures = { ...bridgeFigures, peakRss: peakReset ? Math.max(drainPeak, peakSample) : peakSample, idleRss, idleRssAfter, startupPeakRss, idleWarming, idleBefore, idleAfter, busy: busy.bridge, benchBusy: busy.bench, cpuMs: bridgeCpuMs, runQueueMs: bridgeWaitedMs, serverCpuMs };
    await stopChild(bridge);

    // The baseline: the same bodies, the same receivers, as many requests in flight as the bridge can have.
    receivers.forEach((r) => r.reset());
    const jobFile = path.join(tmp, 'baseline-job.json');
    writeFileSync(jobFile, JSON.stringify({ submissions: created, receivers: receivers.map((r) => r.url), concurrency: slots, pageSize: PAGE }));
    const baseline = spawn(process.execPath, [BASELINE, jobFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => stopChild(baseline));
    let report = '';
    baseline.stdout!.on('data', (c: Buffer) => (report += c.toString('utf8')));
    let baselinePeakSample = 0;
    const cpu1 = { child: 0, self: process.cpuUsage(), at: performance.now() };
    if (!(await drained(receivers, run.submissions, baseline, DRAIN_TIMEOUT_MS, () => (baselinePeakSample = Math.max(baselinePeakSample, memory(baseline.pid!).rss))))) {
      throw new Error('the baseline did not finish');
    }
    for (const deadline = Date.now() + 10_000; !report.includes('\n') && Date.now() < deadline; ) await sleep(50);
    const baselineFigures = figures(receivers);
    const wall1 = performance.now() - cpu1.at;
    const self1 = process.cpuUsage(cpu1.self);
    const baselineCpuMs = cpuMs(baseline.pid!);
    const baselineWaitedMs = runQueueMs(baseline.pid!);
    const baselineBusy = baselineCpuMs / wall1;
    const baselineIdle = await cpuShare(baseline.pid!, IDLE_MS);
    const baselineRun: RunFigures = {
      ...baselineFigures,
      peakRss: Math.max(memory(baseline.pid!).peak, baselinePeakSample),
      idleAfter: baselineIdle,
      busy: baselineBusy,
      cpuMs: baselineCpuMs,
      runQueueMs: baselineWaitedMs,
      benchBusy: (self1.user + self1.system) / 1000 / wall1,
    };
    await stopChild(baseline);

    return print(o, run, createMs, bridgeRun, baselineRun, postStats);
  } finally {
    await env.close();
  }
}

/** Sum of a Prometheus counter over its labels, from /metrics text. */
function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

/** Idle CPU is measured over this long in the sites profile: two default poll intervals. */
const SITES_IDLE_MS = 20_000;
const SITES_SETTLE_MS = 15_000;
const SUBSCRIBE_PARALLEL = 4;

/**
 * Profile sites: `o.sites` sites with one subscription each and nothing new, every site
 * polled every 10 s (the default): CPU share of one core, RSS, polls per second. Then one
 * lead on each of `o.burst` of them at once: latency seen -> received (as in the drains) and
 * created -> received (which adds the wait for the site's next poll, up to 10 s).
 */
async function runSites(o: Options): Promise<void> {
  const env = await benchEnvironment(o);
  const receiver = await startReceiver(0);
  env.cleanups.unshift(() => receiver.close());
  try {
    process.stderr.write(`bench sites: ${o.sites} sites with one subscription each, then a lead on ${o.burst} of them, ${o.store} store, ${loadNote()}\n`);
    const sites = Array.from({ length: o.sites }, (_, i) => {
      const site = env.sandbox.createSite({ name: `Site ${i}`, domain: `site${i}.example` });
      env.sandbox.createForm(site.id, { name: 'Contact' });
      return { id: site.id, key: env.sandbox.createKey(site.id, { name: 'bench', scopes: ['submissions:read', 'forms:read'] }).key };
    });
    const { bridge, url } = await env.startBridge();
    const subscribeStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: SUBSCRIBE_PARALLEL }, async () => {
        for (let site = sites[next++]; site; site = sites[next++]) await subscribe(url, site.key, `${receiver.url}?site=${site.id}`);
      }),
    );
    const subscribeSeconds = (performance.now() - subscribeStarted) / 1000;
    await sleep(SITES_SETTLE_MS);
    const polls = async () => metricSum(await fetch(`${url}/metrics`).then((r) => r.text()), 'lts_bridge_polls_total');
    const polls0 = await polls();
    const idle = await cpuShare(bridge.pid!, SITES_IDLE_MS);
    const pollsPerSecond = ((await polls()) - polls0) / (SITES_IDLE_MS / 1000);
    const idleRss = memory(bridge.pid!).rss;

    // The burst: one lead on every (sites / burst)-th site, all at once.
    const step = Math.max(1, Math.floor(o.sites / o.burst));
    const burst = sites.filter((_, i) => i % step === 0).slice(0, o.burst);
    const peakReset = resetPeak(bridge.pid!);
    let peakSample = 0;
    const createdAt = new Map<string, number>();
    for (const site of burst) {
      const lead = env.sandbox.createSubmission(site.id, { formName: 'Contact', fields: { Name: 'Lead', Email: 'lead@example.com' } });
      createdAt.set(lead.id, Date.now());
    }
    const cpu0 = { bridge: cpuMs(bridge.pid!), at: performance.now() };
    const deadline = Date.now() + 60_000;
    for (;;) {
      peakSample = Math.max(peakSample, memory(bridge.pid!).rss);
      const got = new Set(receiver.arrivals().map((a) => a.submissionId));
      if ([...createdAt.keys()].every((id) => got.has(id))) break;
      if (bridge.exitCode !== null) throw new Error(`the bridge exited (${bridge.exitCode}) with ${got.size} of ${burst.length} leads delivered`);
      if (Date.now() > deadline) throw new Error(`the bridge delivered ${got.size} of ${burst.length} leads within 60 s`);
      await sleep(50);
    }
    const burstBusy = (cpuMs(bridge.pid!) - cpu0.bridge) / (performance.now() - cpu0.at);
    const burstPeak = peakReset ? Math.max(memory(bridge.pid!).peak, peakSample) : peakSample;
    const first = new Map<string, Arrival>();
    let duplicates = 0;
    for (const a of receiver.arrivals()) {
      if (first.has(a.webhookId)) duplicates++;
      else first.set(a.webhookId, a);
    }
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    const seen = sorted([...first.values()].map((a) => a.at - a.seenAt));
    const created = sorted([...first.values()].map((a) => a.at - createdAt.get(a.submissionId)!));
    await stopChild(bridge);

    const p99 = percentile(seen, 99);
    process.stdout.write(
      [
        '',
        `lts-bridge benchmark, profile sites: ${o.sites} sites, one subscription each, POLL_INTERVAL_SECONDS 10 (default), ${o.store} store`,
        `  subscribing the ${o.sites} (${SUBSCRIBE_PARALLEL} at a time, each with its baseline read of LeadToSheet): ${subscribeSeconds.toFixed(1)} s`,
        `  idle, nothing new (${SITES_IDLE_MS / 1000} s): ${pollsPerSecond.toFixed(1)} polls per second (${(o.sites / 10).toFixed(0)} expected), ` +
          `CPU ${(idle * 100).toFixed(1)}% of one core, RSS ${mb(idleRss)}`,
        `  then one lead on each of ${burst.length} sites at once: latency seen -> received p50 ${ms(percentile(seen, 50))}, p99 ${ms(p99)}, max ${ms(seen[seen.length - 1] ?? NaN)}; ` +
          `created -> received (adds the wait for the site's next poll) p50 ${ms(percentile(created, 50))}, p99 ${ms(percentile(created, 99))}`,
        `  while they were delivered: CPU ${(burstBusy * 100).toFixed(1)}% of one core, peak RSS ${mb(burstPeak)}; received ${first.size} of ${burst.length} (${duplicates} duplicates)`,
        '',
        targetLine([
          [`burst p99 seen -> received < ${TARGET_P99_MS} ms`, p99 < TARGET_P99_MS, ms(p99)],
          [`peak RSS < ${mb(TARGET_PEAK_RSS[o.store])}`, burstPeak < TARGET_PEAK_RSS[o.store], mb(burstPeak)],
        ]),
        '',
      ].join('\n'),
    );
  } finally {
    await env.close();
  }
}

/** CPU milliseconds the process spent per delivery while draining. */
const cpuPerDelivery = (f: RunFigures) => (f.cpuMs ?? NaN) / f.unique;
const waited = (f: RunFigures) => (f.runQueueMs === undefined || Number.isNaN(f.runQueueMs) ? '-' : `${(f.runQueueMs / 1000).toFixed(1)} s (${pct(f.runQueueMs / (f.cpuMs ?? NaN))})`);

function print(o: Options, run: DrainRun, createMs: number, b: RunFigures, base: RunFigures, posts: { meanMs: number; slotsBusy: number; slots: number }): boolean {
  const rows: [string, string, string, string][] = [
    ['deliveries per second', b.perSecond.toFixed(0), base.perSecond.toFixed(0), `${(b.perSecond / base.perSecond).toFixed(2)}x`],
    ['latency p50 (seen -> received, see below)', ms(b.p50), ms(base.p50), `${(b.p50 / Math.max(1, base.p50)).toFixed(1)}x`],
    ['latency p99', ms(b.p99), ms(base.p99), `${(b.p99 / Math.max(1, base.p99)).toFixed(1)}x`],
    ['latency max', ms(b.max), ms(base.max), ''],
    ['peak memory while draining (RSS of the process)', mb(b.peakRss), mb(base.peakRss), `${(b.peakRss / base.peakRss).toFixed(1)}x`],
    // Idle RSS before the drain only once idle was measured: until then start-up's compile is still being given back.
    ['memory idle before / after the drain (RSS)', `${b.idleBefore === undefined ? '-' : mb(b.idleRss!)} / ${mb(b.idleRssAfter!)}`, '-', ''],
    ['peak memory from start-up to the backlog (RSS)', mb(b.startupPeakRss!), '-', ''],
    ['idle CPU just after start-up (10 s, share of one core)', pct(b.idleWarming), '-', ''],
    ['idle CPU, nothing new, warmed up (10 s, 40 s later)', pct(b.idleBefore), '-', ''],
    ['idle CPU after the drain (10 s)', pct(b.idleAfter), pct(base.idleAfter), ''],
    ['drain time', `${b.seconds.toFixed(1)} s`, `${base.seconds.toFixed(1)} s`, ''],
    ['CPU while draining: the process / sandbox+receivers', `${pct(b.busy)} / ${pct(b.benchBusy)}`, `${pct(base.busy)} / ${pct(base.benchBusy)}`, ''],
    // Less moved by a busy machine than deliveries per second: what one delivery costs the process.
    ['CPU time per delivery (the process)', `${cpuPerDelivery(b).toFixed(3)} ms`, `${cpuPerDelivery(base).toFixed(3)} ms`, `${(cpuPerDelivery(b) / cpuPerDelivery(base)).toFixed(1)}x`],
    // Both PostgreSQL and the bench's receivers share the machine's cores with the bridge (the baseline has no server).
    ...(b.serverCpuMs !== undefined && b.serverCpuMs > 0 ? [['CPU time per delivery (the PostgreSQL server)', `${(b.serverCpuMs / b.unique).toFixed(3)} ms`, '-', ''] as [string, string, string, string]] : []),
    ['waiting for a CPU while draining (runnable, share of its CPU time)', waited(b), waited(base), ''],
    ['deliveries received (duplicates)', `${b.deliveries} (${b.deliveries - b.unique})`, `${base.deliveries} (${base.deliveries - base.unique})`, ''],
  ];
  const w = [Math.max(...rows.map((r) => r[0].length)), 17, 17, 8];
  const line = (r: string[]) => `  ${r[0]!.padEnd(w[0]!)}  ${r[1]!.padStart(w[1]!)}  ${r[2]!.padStart(w[2]!)}  ${r[3]!.padStart(w[3]!)}`;
  const out = [
    '',
    `lts-bridge benchmark, profile ${run.profile}: ${run.submissions} submissions created at once (${(createMs / 1000).toFixed(1)} s) -> ${o.subscribers} subscribers ` +
      `answering ${run.receiverDelayMs ? `after ${run.receiverDelayMs} ms` : 'at once'}, ${o.store} store`,
    `bridge: DELIVERY_CONCURRENCY ${o.concurrency}, SUBSCRIPTION_CONCURRENCY ${SUBSCRIPTION_CONCURRENCY}, POLL_INTERVAL_SECONDS 10 (defaults), at most ${posts.slots} requests in flight; ` +
      `baseline: a bare loop, no store, no queue, no signing, ${posts.slots} requests in flight`,
    line(['', 'bridge', 'baseline', 'ratio']),
    ...rows.map(line),
    `  the bridge's POSTs took ${posts.meanMs.toFixed(1)} ms on average; its ${posts.slots} delivery slots (${o.subscribers} subscriptions x SUBSCRIPTION_CONCURRENCY ${SUBSCRIPTION_CONCURRENCY}) were busy posting ${pct(posts.slotsBusy)} of the drain`,
    '  seen: the poll that saw the submission (its event\'s polled_at, the body\'s timestamp) for the bridge; for the',
    '  baseline, the moment its loop took the page of 100. Both include the wait behind earlier deliveries.',
    '',
    targetLine([
      [`throughput >= ${TARGET_RATIO[run.profile]}x the baseline`, b.perSecond >= TARGET_RATIO[run.profile] * base.perSecond, `${(b.perSecond / base.perSecond).toFixed(2)}x`],
      // While a slow drain queues, p99 is mostly the wait behind the backlog (the baseline's too).
      ...(run.profile === 'drain' ? [[`p99 < ${TARGET_P99_MS} ms`, b.p99 < TARGET_P99_MS, ms(b.p99)] as const] : []),
      ...(b.idleBefore !== undefined ? [[`idle CPU < ${TARGET_IDLE * 100}% of a core`, b.idleBefore < TARGET_IDLE, pct(b.idleBefore)] as const] : []),
      [`peak RSS while draining < ${mb(TARGET_PEAK_RSS[o.store])}`, b.peakRss < TARGET_PEAK_RSS[o.store], mb(b.peakRss)],
    ]),
    '',
  ];
  process.stdout.write(out.join('\n'));
  return targetsMet;
}

let targetsMet = true;
/** "targets: name: met (figure); ...", remembering whether every one was met. */
function targetLine(targets: (readonly [string, boolean, string])[]): string {
  if (targets.some(([, met]) => !met)) targetsMet = false;
  return `targets: ${targets.map(([name, met, figure]) => `${name}: ${met ? 'met' : 'MISSED'} (${figure})`).join('; ')}`;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const profiles = o.profile === 'all' ? PROFILES : [o.profile];
  for (const profile of profiles) {
    if (profile === 'sites') await runSites(o);
    else {
      await runDrain(o, {
        profile,
        submissions: o.submissions ?? (profile === 'slow' ? 2_000 : 10_000),
        receiverDelayMs: profile === 'slow' ? o.receiverDelayMs : 0,
        // Idle is measured once per bench: before the first drain.
        measureIdle: profile === profiles[0],
      });
    }
  }
  if (o.strict && !targetsMet) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
