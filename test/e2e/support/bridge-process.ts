/**
 * The built bridge as a real child process (`node bridge/dist/cli.js serve`), configured by
 * its environment the way an operator runs it, for the crash suite: start it, wait until it
 * is ready, SIGKILL it, and tell a death we caused from one we did not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@leadtosheet/shared/free-port';

export const BRIDGE_CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bridge/dist/cli.js');

export function assertBridgeBuilt(): void {
  if (!existsSync(BRIDGE_CLI)) throw new Error(`${BRIDGE_CLI} is missing: build first (npx tsc -b)`);
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BridgeProcess {
  name: string;
  child: ChildProcess;
  url: string;
  /** What it wrote to stderr and stdout (last 20,000 characters). */
  output(): string;
  exited: Promise<Exit>;
  /** Resolves once /readyz answers 200; rejects if the process dies first or the deadline passes. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<Exit>;
  /** SIGTERM (graceful shutdown), then waits for the exit. */
  stop(): Promise<Exit>;
  alive(): boolean;
}

export async function startBridgeProcess(name: string, env: Record<string, string>): Promise<BridgeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BRIDGE_CLI, 'serve'], {
    // A clean environment: nothing from the caller's shell (DATABASE_URL, keys) leaks in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const bridge: BridgeProcess = {
    name,
    child,
    url,
    output: () => out,
    exited,
    alive: () => exit === undefined,
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exit) throw new Error(`${name} exited (${JSON.stringify(exit)}) before it was ready:\n${out}`);
        try {
          const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
          if (res.status === 200) return;
        } catch {
          /* not listening yet */
        }
        if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      if (!exit) child.kill('SIGKILL');
      return exited;
    },
    async stop() {
      if (!exit) child.kill('SIGTERM');
      return exited;
    },
  };
  return bridge;
}

/**
 * A served bridge on a fresh embedded store in a temporary directory, polling every second,
 * for the platform suites (Zapier, n8n). A child process on purpose: Zapier's test runner
 * patches this process's http.request for its logs, which a bridge must never run under.
 */
export async function startServedBridge(ltsBaseUrl: string, env: Record<string, string> = {}): Promise<BridgeProcess & { close(): Promise<void> }> {
  assertBridgeBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lts-bridge-platform-'));
  const bridge = await startBridgeProcess('bridge', {
    LTS_BASE_URL: ltsBaseUrl,
    BRIDGE_DATA_DIR: dataDir,
    BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ALLOW_PRIVATE_TARGETS: '127.0.0.0/8',
    POLL_INTERVAL_SECONDS: '1',
    RETRY_SCHEDULE: '300ms,600ms,900ms',
    DELIVERY_TIMEOUT_SECONDS: '2',
    LTS_REQUESTS_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    ...env,
  });
  await bridge.ready();
  return {
    ...bridge,
    async close() {
      await bridge.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
