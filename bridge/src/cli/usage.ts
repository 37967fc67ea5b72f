/** The CLI's usage text and its usage error (exit code 2). */
import { ADMIN_SCOPES } from '../admin/scopes.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The shared one (@leadtosheet/shared/cli-args), which the argument parser throws. */
export { UsageError } from '@leadtosheet/shared/cli-args';

/** An operation that could not be done (store locked, unreachable...): exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export const USAGE = `Usage: lts-bridge <command> [options]

Run
  serve                         run the bridge; configure it with environment variables (see bridge/README.md)
  start                         demo when no LeadToSheet is configured (LTS_BASE_URL, LTS_API_KEY, DATABASE_URL all unset), else serve
  demo [--exit-when-done]       run the local demo: sandbox, bridge, a receiver that verifies signatures, demo leads

Admin keys (ltb_…) for the operators' API /admin/v1
  keys create --name NAME [--scopes a,b|all] [--expires 30d|12h|2027-01-31 | --temporary]
                                the full key is printed this once; no scopes unless given; --temporary = one hour
  keys list [--search TEXT] [--sort created|last-used] [--include-revoked]
  keys rename KEY --name NAME
  keys set-scopes KEY --scopes a,b|all|none
  keys revoke KEY               stops working at the next request; stays listed; reversible
  keys reactivate KEY
  keys rotate KEY               a new secret for the same key, printed this once; the old one stops at once
  keys delete KEY --yes         permanent; its audit entries remain
  audit [--actor PREFIX|cli] [--action ACTION] [--target ID] [--since ISO] [--until ISO] [--limit N]

  KEY is a key's id (key_…) or its prefix (ltb_ and at least 4 more characters), as keys list shows them.
  Add --json to any keys or audit command for machine-readable output.
  These commands use the bridge's own configuration (DATABASE_URL or BRIDGE_DATA_DIR, BRIDGE_ENCRYPTION_KEY)
  and open its store directly, without starting the server or the queue. On the embedded store a running
  bridge holds the store: stop it first, or use /admin/v1 meanwhile. On PostgreSQL they work beside it.

Scopes: ${ADMIN_SCOPES.join(', ')}
Exit codes: 0 done, 1 the operation failed, 2 bad command line or input refused.`;
