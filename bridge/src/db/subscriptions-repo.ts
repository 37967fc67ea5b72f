/** Subscriptions and their signing secrets (sealed at rest; several live while one rotates). */
import { SCHEMA } from './schema.js';
import type { Queryable } from './database.js';

export interface SubscriptionRow {
  id: string;
  site_id: string;
  url: string;
  events: string[];
  form_id: string | null;
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  /** Joined from the site. */
  auth_failed: boolean;
}

const T = `${SCHEMA}.subscriptions`;
const S = `${SCHEMA}.secrets`;
const SELECT = `SELECT x.*, s.auth_failed FROM ${T} x JOIN ${SCHEMA}.sites s ON s.id = x.site_id`;

export type SubscriptionStatus = 'active' | 'disabled' | 'auth_failed';

export function statusOf(row: Pick<SubscriptionRow, 'enabled' | 'auth_failed'>): SubscriptionStatus {
  if (row.auth_failed) return 'auth_failed';
  return row.enabled ? 'active' : 'disabled';
}

export const subscriptionsRepo = {
  async insert(
    q: Queryable,
    sub: { id: string; siteId: string; url: string; events: string[]; formId: string | null; description: string | null; createdBy: string },
    secret: { id: string; sealed: string },
  ): Promise<void> {
    await q.query(
      `INSERT INTO ${T} (id, site_id, url, events, form_id, description, created_by) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
      [sub.id, sub.siteId, sub.url, JSON.stringify(sub.events), sub.formId, sub.description, sub.createdBy],
    );
    await q.query(`INSERT INTO ${S} (id, subscription_id, secret_sealed) VALUES ($1, $2, $3)`, [secret.id, sub.id, secret.sealed]);
  },

  async get(q: Queryable, id: string, siteId?: string): Promise<SubscriptionRow | undefined> {
    const rows = siteId
      ? await q.query<SubscriptionRow>(`${SELECT} WHERE x.id = $1 AND x.site_id = $2`, [id, siteId])
      : await q.query<SubscriptionRow>(`${SELECT} WHERE x.id = $1`, [id]);
    return rows[0];
  },

  async listBySite(q: Queryable, siteId: string): Promise<SubscriptionRow[]> {
    return q.query<SubscriptionRow>(`${SELECT} WHERE x.site_id = $1 ORDER BY x.created_at, x.id`, [siteId]);
  },

  /** The site's subscriptions of one target URL (normally one: subscribing is idempotent per URL), oldest first. */
  async findByUrl(q: Queryable, siteId: string, url: string): Promise<SubscriptionRow[]> {
    return q.query<SubscriptionRow>(`${SELECT} WHERE x.site_id = $1 AND x.url = $2 ORDER BY x.created_at, x.id`, [siteId, url]);
  },

  /** Serialises subscribe calls for one site and URL until the transaction ends (idempotent subscribe). */
  async lockUrl(q: Queryable, siteId: string, url: string): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`subscription:${siteId}:${url}`]);
  },

  /** Enabled subscriptions of a site, for the outbox. */
  async deliverable(q: Queryable, siteId: string): Promise<SubscriptionRow[]> {
    return q.query<SubscriptionRow>(`${SELECT} WHERE x.site_id = $1 AND x.enabled AND NOT s.auth_failed`, [siteId]);
  },

  async update(q: Queryable, id: string, patch: { url?: string; formId?: string | null; enabled?: boolean; description?: string | null }): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (patch.url !== undefined) set('url', patch.url);
    if (patch.formId !== undefined) set('form_id', patch.formId);
    if (patch.description !== undefined) set('description', patch.description);
    if (patch.enabled !== undefined) {
      set('enabled', patch.enabled);
      if (patch.enabled) sets.push('disabled_reason = NULL');
    }
    if (sets.length === 0) return;
    await q.query(`UPDATE ${T} SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, values);
  },

  async disable(q: Queryable, id: string, reason: string): Promise<void> {
    await q.query(`UPDATE ${T} SET enabled = false, disabled_reason = $2, updated_at = now() WHERE id = $1`, [id, reason]);
  },

  async delete(q: Queryable, id: string): Promise<void> {
    await q.query(`DELETE FROM ${T} WHERE id = $1`, [id]);
  },

  /** Secrets still signing: the current one and any rotated one inside its grace period. */
  async liveSecrets(q: Queryable, subscriptionId: string): Promise<string[]> {
    const rows = await q.query<{ secret_sealed: string }>(
      `SELECT secret_sealed FROM ${S} WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at DESC`,
      [subscriptionId],
    );
    return rows.map((r) => r.secret_sealed);
  },

  /** New current secret; the previous ones keep signing for `graceMs`. */
  async rotateSecret(q: Queryable, subscriptionId: string, secret: { id: string; sealed: string }, graceMs: number): Promise<Date> {
    const expires = new Date(Date.now() + graceMs);
    await q.query(`UPDATE ${S} SET expires_at = $2 WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > $2)`, [subscriptionId, expires]);
    await q.query(`INSERT INTO ${S} (id, subscription_id, secret_sealed) VALUES ($1, $2, $3)`, [secret.id, subscriptionId, secret.sealed]);
    return expires;
  },
};
