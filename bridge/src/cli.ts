#!/usr/bin/env node
/**
 * lts-bridge serve   run the bridge (configuration from the environment, see README)
 * lts-bridge start   what `npm start` runs: the demo when nothing points at a real
 *                    LeadToSheet (no LTS_BASE_URL, LTS_API_KEY or DATABASE_URL), else serve
 * lts-bridge demo    the narrated local demo (sandbox + bridge + verifying receiver)
 * lts-bridge keys    admin keys (ltb_…) for /admin/v1: create, list, rename, set-scopes,
 *                    revoke, reactivate, delete, rotate
 * lts-bridge audit   the audit log
 */
import { runAdminCommand } from './cli/admin-commands.js';
import { USAGE as usage } from './cli/usage.js';
import { Worker } from 'node:worker_threads';
import { exitOnError } from './cli/exit-on-error.js';
import { runDemo } from './demo/run-demo.js';
import type { StopMessage } from './serve-worker.js';

/**
 * Young generation of the thread that runs the bridge. V8 sizes it from the machine's memory
 * (up to 2 x 64 MB semi-spaces on a host with 16 GB or more) and grows it under the
 * allocation rate of a drain: that growth was most of the bridge's RSS while draining, on
 * either store (README "Benchmark", 2026-12-03 afternoon). A worker thread is the one place
 * Node takes that limit at run time, whichever way the bridge is started (npm start, the
 * lts-bridge bin, node dist/cli.js, a container), with no V8 flags to pass.
 */
const YOUNG_GENERATION_MB = 16;

/** Runs the bridge in a worker thread (serve-worker.ts); this thread passes signals on and exits with it. */
async function serve(): Promise<void> {
  const worker = new Worker(new URL('./serve-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => worker.postMessage({ stop: signal } satisfies StopMessage));
  worker.on('error', exitOnError);
  worker.on('exit', (code) => process.exit(code));
}

async function main(): Promise<void> {
  const [command, ...flags] = process.argv.slice(2);
  const env = process.env;
  switch (command) {
    case 'serve':
      return serve();
    case 'start':
      return env.LTS_BASE_URL || env.LTS_API_KEY || env.DATABASE_URL ? serve() : runDemo();
    case 'demo':
      return runDemo({ exitWhenDone: flags.includes('--exit-when-done') });
    case 'keys':
    case 'audit': {
      const print = (stream: NodeJS.WriteStream) => (text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
      process.exitCode = await runAdminCommand(command, flags, env, { out: print(process.stdout), err: print(process.stderr) });
      return;
    }
    case undefined:
    case '-h':
    case 'help':
    case '--help':
      process.stdout.write(`${usage}\n`);
      return;
    default:
      process.stderr.write(`lts-bridge: unknown command "${command}"\n\n${usage}\n`);
      process.exit(2);
  }
}

main().catch(exitOnError);
