/** Sites: one per upstream LeadToSheet site, holding the key it is polled with and its poll state. */
import type { PollState } from '@leadtosheet/shared';
import { SCHEMA } from './schema.js';
import type { Queryable } from './database.js';

export interface SiteRow {
  id: string;
  name: string;
  key_sealed: string;
  key_prefix: string;
  auth_failed: boolean;
  poll_state: PollState | null;
  state_version: number;
  last_poll_at: Date | null;
  next_poll_at: Date | null;
  last_error_code: string | null;
  last_error: string | null;
  consecutive_errors: number;
}

const T = `${SCHEMA}.sites`;

export const sitesRepo = {
  /** Binds (or re-binds) a site to a key that was just checked upstream; clears auth_failed. */
  async upsertWithKey(q: Queryable, site: { id: string; name: string; keySealed: string; keyPrefix: string }): Promise<SiteRow> {
    const [row] = await q.query<SiteRow>(
      `INSERT INTO ${T} (id, name, key_sealed, key_prefix) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, key_sealed = EXCLUDED.key_sealed, key_prefix = EXCLUDED.key_prefix,
         auth_failed = false, last_error_code = NULL, last_error = NULL, consecutive_errors = 0, updated_at = now()
       RETURNING *`,
      [site.id, site.name, site.keySealed, site.keyPrefix],
    );
    return row!;
  },

  async get(q: Queryable, id: string): Promise<SiteRow | undefined> {
    return (await q.query<SiteRow>(`SELECT * FROM ${T} WHERE id = $1`, [id]))[0];
  },

  /** Sites worth polling: a working key and at least one enabled subscription. */
  async pollable(q: Queryable): Promise<SiteRow[]> {
    return q.query<SiteRow>(
      `SELECT s.* FROM ${T} s WHERE NOT s.auth_failed
         AND EXISTS (SELECT 1 FROM ${SCHEMA}.subscriptions x WHERE x.site_id = s.id AND x.enabled)`,
    );
  },

  /** Sets the baseline state once; a site that already has one keeps it (nothing is skipped). */
  async setBaselineIfMissing(q: Queryable, id: string, state: PollState): Promise<void> {
    await q.query(`UPDATE ${T} SET poll_state = $2::jsonb, state_version = state_version + 1 WHERE id = $1 AND poll_state IS NULL`, [id, JSON.stringify(state)]);
  },

  /**
   * Advances the state if nobody else did meanwhile: the store's time of the transaction (the
   * `created_at` of what it commits with it), or undefined when another poll won.
   */
  async advance(q: Queryable, id: string, expectedVersion: number, state: PollState): Promise<Date | undefined> {
    const rows = await q.query<{ at: Date }>(
      `UPDATE ${T} SET poll_state = $3::jsonb, state_version = state_version + 1, last_poll_at = now(),
         consecutive_errors = 0, last_error_code = NULL, last_error = NULL, updated_at = now()
       WHERE id = $1 AND state_version = $2 RETURNING now() AS at`,
      [id, expectedVersion, JSON.stringify(state)],
    );
    return rows[0]?.at;
  },

  async recordError(q: Queryable, id: string, code: string, message: string): Promise<number> {
    const [row] = await q.query<{ consecutive_errors: number }>(
      `UPDATE ${T} SET last_poll_at = now(), last_error_code = $2, last_error = $3, consecutive_errors = consecutive_errors + 1, updated_at = now()
       WHERE id = $1 RETURNING consecutive_errors`,
      [id, code, message],
    );
    return row?.consecutive_errors ?? 1;
  },

  async markAuthFailed(q: Queryable, id: string, message: string): Promise<void> {
    await q.query(
      `UPDATE ${T} SET auth_failed = true, last_poll_at = now(), last_error_code = 'invalid_token', last_error = $2, updated_at = now() WHERE id = $1`,
      [id, message],
    );
  },

  async setNextPoll(q: Queryable, id: string, at: Date): Promise<void> {
    await q.query(`UPDATE ${T} SET next_poll_at = $2 WHERE id = $1`, [id, at]);
  },
};
