/** How `lts-bridge` ends on an error it did not handle, in the main thread and in the serve worker alike. */
import { writeSync } from 'node:fs';
import { ConfigError } from '../config-error.js';

/** Bad configuration: its message as it is, exit 2. Anything else: "lts-bridge: …", exit 1. Written synchronously, so nothing is lost at exit. */
export function exitOnError(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  writeSync(2, err instanceof ConfigError ? `${message}\n` : `lts-bridge: ${message}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
