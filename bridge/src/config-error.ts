/**
 * Bad configuration: the CLI prints its message as it is and exits 2. In a module of its own
 * so the CLI's main thread (exit-on-error.ts) can tell it apart without loading the
 * configuration's schema (zod and the shared contract: ~20 MB of RSS in a thread that only
 * starts the serve worker).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
