/** What the poller and the deliverer both work with. */
import type { PgBoss } from 'pg-boss';
import type { BridgeConfig } from './config.js';
import type { CryptoBox } from './crypto-box.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export interface WorkerDeps {
  db: Database;
  boss: PgBoss;
  config: BridgeConfig;
  box: CryptoBox;
  log: Logger;
  metrics: Metrics;
  /** Deliveries were committed in this process for `at`: wake its dispatcher then. */
  wakeAt?(at: Date): void;
}
