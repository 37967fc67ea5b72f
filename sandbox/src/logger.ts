/**
 * The logger the sandbox writes to: injected, never a global. Messages must never hold
 * a full API key: log `maskKey(key)` or a key id.
 */
import { redactKeys } from '@leadtosheet/shared';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** One line per event on stderr, with any `lts_…` key that slipped in redacted. */
export function streamLogger(write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    write(`${new Date().toISOString()} ${level.padEnd(5)} ${redactKeys(message + extra)}\n`);
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
