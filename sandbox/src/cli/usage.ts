/** The CLI's usage text and its one usage error (exit code 2). */
import { scopes } from '@leadtosheet/shared';

export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** The shared one (@leadtosheet/shared/cli-args), which the argument parser throws. */
export { UsageError } from '@leadtosheet/shared/cli-args';

export const USAGE = `Usage: lts-sandbox <command> [options]

Commands
  serve                         Run the LeadToSheet API v1 sandbox
    --port P                    Port to listen on (default 4010; 0 = any free port)
    --host H                    Address to bind (default 127.0.0.1; the admin API answers on loopback only)
    --data FILE                 Keep data in FILE (JSON, written after each change); default: memory only
    --seed demo                 Create the demo site "Acme Demo" with forms, leads and two keys
    --seed-out FILE             With --seed demo: write { baseUrl, site, forms, keys } to FILE instead of printing the keys
    --rate-limit N              Requests per key per minute (default 600; 0 = no limit)
    --latency MS                Add MS milliseconds to every API request
    --error-rate R              Answer this share of API requests (0 to 1) with 500 internal_error

  sites create --name N [--domain D]
  sites list
  keys create --site SITE_ID --name N --scopes a,b [--expires ISO]
  keys list --site SITE_ID
  keys revoke KEY_ID
  keys rotate KEY_ID

  The sites and keys commands work on a running sandbox (--url http://127.0.0.1:PORT)
  or offline on a data file (--data FILE). Add --json for machine-readable output.

Scopes: ${scopes.join(', ')}
`;
