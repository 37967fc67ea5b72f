#!/usr/bin/env node
/**
 * lts-bridge serve   run the bridge (configuration from the environment, see README)
 * lts-bridge start   what `npm start` runs: the demo when nothing points at a real
 *                    LeadToSheet (no LTS_BASE_URL, LTS_API_KEY or DATABASE_URL), else serve
 * lts-bridge demo    the narrated local demo (sandbox + bridge + verifying receiver)
 */
import { ConfigError, describeConfig, loadConfig } from './config.js';
import { runDemo } from './demo/run-demo.js';
import { createLogger } from './logger.js';
import { startBridge } from './services.js';

const usage = `Usage: lts-bridge <serve|start|demo> [--exit-when-done]

  serve   run the bridge; configure it with environment variables (see bridge/README.md)
  start   demo when no LeadToSheet is configured (LTS_BASE_URL, LTS_API_KEY, DATABASE_URL all unset), else serve
  demo    run the local demo: sandbox, bridge, a receiver that verifies signatures, demo leads`;

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
    case undefined:
    case '-h':
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
