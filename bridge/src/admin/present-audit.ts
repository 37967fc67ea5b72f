/** How an audit entry looks in the admin API and the CLI's --json output. */
import type { AuditEntry } from '../db/audit-repo.js';

export const presentAudit = (e: AuditEntry) => ({
  id: e.id,
  at: new Date(e.at).toISOString(),
  actor: e.actor,
  action: e.action,
  target_type: e.target_type,
  target_id: e.target_id,
  details: e.details,
});
