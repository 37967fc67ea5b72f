#!/usr/bin/env node
/**
 * lts-sandbox: run the LeadToSheet API v1 sandbox and manage its sites and keys.
 * Exit codes: 0 done, 1 the operation failed, 2 bad command line (usage printed).
 */
import { SandboxError } from './domain/sandbox-error.js';
import { DataFileError } from './store/persistence.js';
import { keysCommand, sitesCommand } from './cli/admin-commands.js';
import { TargetError } from './cli/admin-target.js';
import { serve } from './cli/serve.js';
import { EXIT_FAILURE, EXIT_USAGE, USAGE, UsageError } from './cli/usage.js';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve(rest, print);
      return 0;
    case 'sites':
      print(await sitesCommand(rest));
      return 0;
    case 'keys':
      print(await keysCommand(rest));
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      print(USAGE);
      return command === undefined ? EXIT_USAGE : 0;
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`lts-sandbox: ${err.message}\n\n${USAGE}`);
      process.exit(EXIT_USAGE);
    }
    const known = err instanceof SandboxError || err instanceof TargetError || err instanceof DataFileError;
    process.stderr.write(`lts-sandbox: ${known ? (err as Error).message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`}\n`);
    process.exit(EXIT_FAILURE);
  },
);
