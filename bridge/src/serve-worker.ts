/**
 * `lts-bridge serve` runs the bridge in this worker thread (see cli.ts for why): it starts the
 * bridge, stops it gracefully when the main thread passes on a signal, and ends with the
 * process's exit code (0 stopped, 1 failed, 2 bad configuration).
 */
import { parentPort } from 'node:worker_threads';
import { pino } from 'pino';
import { exitOnError } from './cli/exit-on-error.js';
import { describeConfig, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startBridge } from './services.js';

/** What the main thread sends: a signal it received. */
export interface StopMessage {
  stop: string;
}

try {
  const config = loadConfig();
  // Written straight to the process's stdout, so nothing is left in the thread's buffer at exit.
  const log = createLogger(config.logLevel, pino.destination({ dest: 1, sync: true }) as unknown as NodeJS.WritableStream);
  const bridge = await startBridge(config, log);
  log.info({ url: bridge.url, ...describeConfig(config) }, 'bridge started');
  parentPort!.once('message', ({ stop }: StopMessage) => {
    log.info({ signal: stop, graceSeconds: config.shutdownGraceMs / 1000 }, 'shutting down: polling stopped, finishing in-flight deliveries');
    bridge.stop().then(
      () => process.exit(0),
      (err: Error) => {
        log.error({ err: { message: err.message } }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
} catch (err) {
  exitOnError(err);
}
