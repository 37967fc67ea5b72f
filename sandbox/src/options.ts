/** Everything a sandbox can be started with; every option has a documented default. */
import type { Clock } from './clock.js';
import type { FaultOptions } from './http/faults.js';
import type { Logger } from './logger.js';

export interface SandboxOptions {
  /** JSON file holding the data: loaded at start when it exists, rewritten after each change. Default: memory only. */
  dataFile?: string;
  /** "Now", for created_at, last_used_at and key expiry. Default: the system clock. */
  now?: Clock;
  /** Requests per key per window (0 = no limit). Default 600. */
  rateLimit?: number;
  /** Rate-limit window in ms. Default 60 000 (one minute). */
  rateLimitWindowMs?: number;
  /** Faults at start: latency, error rate and its random seed. Default: none. */
  faults?: FaultOptions;
  /** Where request and error logs go. Default: nowhere. */
  logger?: Logger;
  /** Set false to never answer the /_sandbox admin API. Default true (loopback only). */
  admin?: boolean;
}
