/** `lts-sandbox serve`: runs the sandbox until SIGINT/SIGTERM, then closes cleanly. */
import { createSandbox, DEFAULT_HOST } from '../create-sandbox.js';
import { DEFAULT_RATE_LIMIT } from '../http/rate-limit.js';
import { streamLogger } from '../logger.js';
import { writeFileAtomic } from '../store/persistence.js';
import { integer, parse, ratio } from './args.js';
import { banner } from './banner.js';
import { UsageError } from './usage.js';

export const DEFAULT_PORT = 4010;

export async function serve(args: string[], out: (text: string) => void): Promise<void> {
  const { values } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    seed: { type: 'string' },
    'seed-out': { type: 'string' },
    'rate-limit': { type: 'string' },
    latency: { type: 'string' },
    'error-rate': { type: 'string' },
  });
  const port = integer(values.port, '--port', 0, 65_535) ?? DEFAULT_PORT;
  const rateLimit = integer(values['rate-limit'], '--rate-limit', 0, 1_000_000) ?? DEFAULT_RATE_LIMIT;
  const latencyMs = integer(values.latency, '--latency', 0, 60_000);
  const errorRate = ratio(values['error-rate'], '--error-rate');
  if (values.seed !== undefined && values.seed !== 'demo') throw new UsageError(`--seed accepts only "demo" (got "${values.seed}").`);
  if (values['seed-out'] !== undefined && values.seed !== 'demo') throw new UsageError('--seed-out needs --seed demo.');

  const logger = streamLogger();
  const sandbox = createSandbox({
    ...(values.data ? { dataFile: values.data } : {}),
    rateLimit,
    faults: { ...(latencyMs !== undefined ? { latencyMs } : {}), ...(errorRate !== undefined ? { errorRate } : {}) },
    logger,
  });
  const running = await sandbox.listen(port, values.host ?? DEFAULT_HOST);

  const seed = values.seed === 'demo' ? sandbox.seedDemo() : undefined;
  if (seed && values['seed-out']) {
    const payload = { baseUrl: running.baseUrl, site: seed.site, forms: seed.forms, keys: seed.keys };
    writeFileAtomic(values['seed-out'], JSON.stringify(payload, null, 2));
  }
  out(banner({ running, dataFile: values.data, seed, seedOut: values['seed-out'], rateLimit }));

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info(`${signal} received: closing the sandbox`);
      sandbox.close().then(resolve, (err: unknown) => {
        logger.error('error while closing', { error: String(err) });
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
