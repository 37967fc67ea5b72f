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
import { ConfigError, describeConfig, loadConfig } from './config.js';
import { runDemo } from './demo/run-demo.js';
import { createLogger } from './logger.js';
import { startBridge } from './services.js';

async function serve(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const bridge = await startBridge(config, log);
  log.info({ url: bridge.url, ...describeConfig(config) }, 'bridge started');
  const shutdown = (signal: string) => {
    log.info({ signal, graceSeconds: config.shutdownGraceMs / 1000 }, 'shutting down: polling stopped, finishing in-flight deliveries');
    bridge.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err: { message: (err as Error).message } }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
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

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`lts-bridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
