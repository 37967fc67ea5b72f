/**
 * The audit log: who (an admin key's prefix, a tenant's masked lts_ prefix, or "cli"),
 * what, on which target, when. Entries outlive what they name (a deleted key keeps its
 * entries). Details never hold a secret: callers pass names, prefixes, scopes and ids.
 */
import { SCHEMA } from './schema.js';
import type { Queryable } from './database.js';

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  details: Record<string, unknown>;
}

export interface NewAuditEntry {
  actor: string;
  action: string;
  targetType: 'key' | 'subscription' | 'delivery';
  targetId: string;
  details?: Record<string, unknown>;
  /** Defaults to the database's now(). */
  at?: Date;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  since?: Date;
  until?: Date;
  before?: string;
  limit: number;
}

const T = `${SCHEMA}.audit_log`;

export const auditRepo = {
  async record(q: Queryable, e: NewAuditEntry): Promise<void> {
    await q.query(`INSERT INTO ${T} (at, actor, action, target_type, target_id, details) VALUES (COALESCE($1::timestamptz, now()), $2, $3, $4, $5, $6::jsonb)`, [
      e.at ?? null,
      e.actor,
      e.action,
      e.targetType,
      e.targetId,
      JSON.stringify(e.details ?? {}),
    ]);
  },

  /** Newest first (by the numeric id: the text alias would sort "9" after "12"); `before` is the id of the last entry of the previous page. */
  async list(q: Queryable, f: AuditFilter): Promise<AuditEntry[]> {
    return q.query<AuditEntry>(
      `SELECT a.id::text AS id, a.at, a.actor, a.action, a.target_type, a.target_id, a.details FROM ${T} a
       WHERE ($1::text IS NULL OR a.actor = $1) AND ($2::text IS NULL OR a.action = $2) AND ($3::text IS NULL OR a.target_id = $3)
         AND ($4::timestamptz IS NULL OR a.at >= $4) AND ($5::timestamptz IS NULL OR a.at < $5) AND ($6::bigint IS NULL OR a.id < $6)
       ORDER BY a.id DESC LIMIT $7`,
      [f.actor ?? null, f.action ?? null, f.target ?? null, f.since ?? null, f.until ?? null, f.before ?? null, f.limit],
    );
  },
};
