/**
 * Runs `lts-bridge keys …` and `lts-bridge audit …`: checks the command line first (exit 2
 * on a usage error, before any store is touched), opens the store, runs, closes it.
 * Refused input exits 2 with the field and the reason; other failures exit 1.
 */
import { HttpError } from '../api/http-error.js';
import { ConfigError } from '../config.js';
import { checkAuditCommand } from './audit-command.js';
import { checkKeysCommand } from './keys-command.js';
import { openAdminStore } from './open-store.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE, USAGE, UsageError } from './usage.js';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export async function runAdminCommand(command: 'keys' | 'audit', args: string[], env: NodeJS.ProcessEnv, io: CliOutput): Promise<number> {
  try {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    const keysCommand = command === 'keys' ? checkKeysCommand(args) : undefined;
    const auditCommand = command === 'audit' ? checkAuditCommand(args) : undefined;
    const store = await openAdminStore(env, (line) => io.err(`lts-bridge: ${line}`));
    try {
      io.out(keysCommand ? await keysCommand.run(store.keys) : await auditCommand!.run(store.db));
      return 0;
    } finally {
      await store.close();
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`lts-bridge: ${err.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (err instanceof ConfigError) {
      io.err(err.message);
      return EXIT_USAGE;
    }
    if (err instanceof HttpError) {
      io.err(`lts-bridge: ${err.message}`);
      return err.status === 422 ? EXIT_USAGE : EXIT_FAILURE;
    }
    io.err(`lts-bridge: ${err instanceof CliError ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`}`);
    return EXIT_FAILURE;
  }
}
