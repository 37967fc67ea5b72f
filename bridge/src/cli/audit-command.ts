/** `lts-bridge audit`: the audit log from the bridge host, newest first. */
import { auditRepo } from '../db/audit-repo.js';
import type { Database } from '../db/database.js';
import { presentAudit } from '../admin/present-audit.js';
import { integer, parse } from './args.js';
import { formatAudit } from './format.js';
import { UsageError } from './usage.js';

function time(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) throw new UsageError(`${flag} must be an ISO 8601 date or date and time, such as 2026-01-31T09:00:00Z (got "${value.slice(0, 40)}").`);
  return new Date(value);
}

export function checkAuditCommand(args: string[]): { run: (db: Database) => Promise<string> } {
  const { values } = parse(args, { actor: { type: 'string' }, action: { type: 'string' }, target: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, limit: { type: 'string' } });
  const filter = {
    actor: values.actor?.replace(/…$/, ''),
    action: values.action,
    target: values.target,
    since: time(values.since, '--since'),
    until: time(values.until, '--until'),
    limit: integer(values.limit, '--limit', 1, 10_000) ?? 100,
  };
  return {
    run: async (db) => {
      const entries = await auditRepo.list(db, filter);
      return values.json ? JSON.stringify(entries.map(presentAudit), null, 2) : formatAudit(entries);
    },
  };
}
