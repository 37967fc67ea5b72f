/**
 * Real parts for the bridge suites: the sandbox over HTTP, a bridge on the embedded store
 * or on a fresh PostgreSQL database, receivers that record what they get, and a log
 * stream that tests can scan for secrets.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { createSandbox, type RunningSandbox, type Sandbox } from 'lts-sandbox';
import { createLogger, loadConfig, startBridge, type BridgeConfig, type RunningBridge } from 'lts-bridge';

export type StoreKind = 'embedded' | 'postgres';
export const STORES: StoreKind[] = ['embedded', 'postgres'];
export const PG_ADMIN_URL = process.env.LTS_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one suite; dropped by `drop()`. */
export async function freshPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lts_bridge_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface SandboxSite {
  sandbox: Sandbox;
  api: RunningSandbox;
  siteId: string;
  formIds: Record<string, string>;
  keys: { full: string; fullId: string; readOnly: string; formsOnly: string };
}

export async function startSandboxSite(name = 'Acme'): Promise<SandboxSite> {
  const sandbox = createSandbox({ rateLimit: 0 });
  const api = await sandbox.listen(0);
  return addSite(sandbox, api, name);
}

export function addSite(sandbox: Sandbox, api: RunningSandbox, name: string): SandboxSite {
  const site = sandbox.createSite({ name, domain: `${name.toLowerCase().replace(/\W/g, '')}.example` });
  const contact = sandbox.createForm(site.id, { name: 'Contact' });
  const newsletter = sandbox.createForm(site.id, { name: 'Newsletter' });
  const full = sandbox.createKey(site.id, { name: 'full', scopes: ['submissions:read', 'submissions:write', 'forms:read', 'forms:write'] });
  const readOnly = sandbox.createKey(site.id, { name: 'read', scopes: ['submissions:read', 'forms:read'] });
  const formsOnly = sandbox.createKey(site.id, { name: 'forms', scopes: ['forms:read'] });
  return {
    sandbox,
    api,
    siteId: site.id,
    formIds: { Contact: contact.id, Newsletter: newsletter.id },
    keys: { full: full.key, fullId: full.api_key.id, readOnly: readOnly.key, formsOnly: formsOnly.key },
  };
}

export interface BridgeUnderTest {
  bridge: RunningBridge;
  url: string;
  logs: () => string;
  stop(): Promise<void>;
}

export interface TestBridgeOptions {
  /** The clock admin keys are checked against (tests move it instead of sleeping). */
  clock?: () => Date;
  /** Embedded store only: keep it in this directory (as `serve` does) instead of in memory. */
  dataDir?: string;
  /** How failed dashboard sign-ins are slowed and refused (the dashboard suites shorten it). */
  dashboardSignIn?: BridgeConfig['dashboardSignIn'];
}

export async function startTestBridge(
  store: StoreKind,
  ltsBaseUrl: string,
  env: Record<string, string> = {},
  databaseUrl?: string,
  options: TestBridgeOptions = {},
): Promise<BridgeUnderTest> {
  const config: BridgeConfig = loadConfig({
    PORT: '0',
    LTS_BASE_URL: ltsBaseUrl,
    POLL_INTERVAL_SECONDS: '1',
    RETRY_SCHEDULE: '300ms,600ms,900ms',
    DELIVERY_TIMEOUT_SECONDS: '2',
    SHUTDOWN_GRACE_SECONDS: '2',
    ALLOW_PRIVATE_TARGETS: '127.0.0.0/8',
    BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'debug',
    ...(store === 'postgres' && databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(store === 'embedded' && options.dataDir ? { BRIDGE_DATA_DIR: options.dataDir } : {}),
    ...env,
  });
  let captured = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (captured += chunk.toString('utf8')));
  const overrides: Partial<BridgeConfig> = {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.dashboardSignIn ? { dashboardSignIn: options.dashboardSignIn } : {}),
  };
  const bridge = await startBridge({ ...config, ...overrides }, createLogger(config.logLevel, stream), {
    memory: store === 'embedded' && !options.dataDir,
  });
  return { bridge, url: bridge.url, logs: () => captured, stop: () => bridge.stop() };
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A receiver whose answers are scripted: each request takes the next response, then `fallback`. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
  body?: string;
}

export async function startReceiver(script: ScriptedAnswer[] = [], fallback: ScriptedAnswer = { status: 204 }) {
  const received: Received[] = [];
  const queue = [...script];
  const state = { fallback, inFlight: 0, maxInFlight: 0 };
  const server = http.createServer((req, res) => {
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    res.on('close', () => (state.inFlight -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const next = queue.shift() ?? state.fallback;
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(next.status, next.headers).end(next.status === 204 ? undefined : (next.body ?? `answer ${next.status}`));
      }, next.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Most requests this receiver had open at once. */
    maxInFlight: () => state.maxInFlight,
    /** What every request gets once the script is used up. */
    answerWith(answer: ScriptedAnswer) {
      state.fallback = answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Calls the bridge's tenant API. */
export async function api(bridgeUrl: string, key: string | undefined, method: string, path: string, body?: unknown) {
  const res = await fetch(`${bridgeUrl}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any };
}

export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
