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
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { exitOnError } from './cli/exit-on-error.js';
import type { StopMessage } from './serve-worker.js';

/**
 * The embedded store's PostgreSQL is 9 MB of WebAssembly (PGlite). V8 compiles it twice by
 * default: at once with its baseline compiler (Liftoff), then again, in the background, with
 * its optimizing one (TurboFan) for the functions that run hot. The second compilation peaked
 * the bridge at 780 MB at start-up and kept ~90 MB of code resident; without it a delivery
 * costs 10 to 20% more CPU on the embedded store, a trade for memory (README "Benchmark",
 * 2026-12-03 evening). Both flags are needed; `--liftoff-only` does not take at run time. Flags are the process's: set before
 * the worker that opens the store starts. The other commands (demo, keys, audit) open it too.
 */
v8.setFlagsFromString('--no-wasm-tier-up --no-wasm-dynamic-tiering');

/**
 * How far V8 lets the old generation grow past what survived its last full collection before
 * it collects again. By default that factor is dynamic (up to 4x under a high allocation
 * rate), tuned for throughput on a big machine: a drain left 30 MB live in an old space of
 * 85 to 92 MB, and the bridge peaked at 238 to 258 MB on PostgreSQL. At 1.2x the same drain
 * peaked at 152 to 153 MB, with the same CPU time per delivery (0.262 to 0.285 against 0.280 to 0.299 ms): the
 * extra full collections are incremental and concurrent, and cost 0.15 s in a 14 s drain
 * (README "Benchmark", 2026-12-04 night). Process-wide, so it covers the worker's heap too.
 */
v8.setFlagsFromString('--heap-growing-percent=20');

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
      return env.LTS_BASE_URL || env.LTS_API_KEY || env.DATABASE_URL ? serve() : (await import('./demo/run-demo.js')).runDemo();
    case 'demo':
      return (await import('./demo/run-demo.js')).runDemo({ exitWhenDone: flags.includes('--exit-when-done') });
    case 'keys':
    case 'audit': {
      // Loaded for the command that needs them: `serve` keeps this thread small (the bridge runs in the worker).
      const { runAdminCommand } = await import('./cli/admin-commands.js');
      const print = (stream: NodeJS.WriteStream) => (text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
      process.exitCode = await runAdminCommand(command, flags, env, { out: print(process.stdout), err: print(process.stderr) });
      return;
    }
    case undefined:
    case '-h':
    case 'help':
    case '--help':
      process.stdout.write(`${(await import('./cli/usage.js')).USAGE}\n`);
      return;
    default:
      process.stderr.write(`lts-bridge: unknown command "${command}"\n\n${(await import('./cli/usage.js')).USAGE}\n`);
      process.exit(2);
  }
}

main().catch(exitOnError);
