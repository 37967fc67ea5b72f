/**
 * The bridge's own tables (pg-boss keeps its queue in schema "pgboss"). Idempotent: run at
 * every start by every process; an advisory lock keeps concurrent starts from racing.
 */
import { createHash } from 'node:crypto';
import type { Database } from './database.js';

export const SCHEMA = 'lts_bridge';

const ddl = `
CREATE SCHEMA IF NOT EXISTS ${SCHEMA};

CREATE TABLE IF NOT EXISTS ${SCHEMA}.sites (
  id text PRIMARY KEY,
  name text NOT NULL,
  key_sealed text NOT NULL,
  key_prefix text NOT NULL,
  auth_failed boolean NOT NULL DEFAULT false,
  poll_state jsonb,
  state_version integer NOT NULL DEFAULT 0,
  last_poll_at timestamptz,
  next_poll_at timestamptz,
  last_error_code text,
  last_error text,
  consecutive_errors integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ${SCHEMA}.subscriptions (
  id text PRIMARY KEY,
  site_id text NOT NULL REFERENCES ${SCHEMA}.sites(id),
  url text NOT NULL,
  events jsonb NOT NULL,
  form_id text,
  description text,
  enabled boolean NOT NULL DEFAULT true,
  disabled_reason text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS subscriptions_site ON ${SCHEMA}.subscriptions(site_id);

CREATE TABLE IF NOT EXISTS ${SCHEMA}.secrets (
  id text PRIMARY KEY,
  subscription_id text NOT NULL REFERENCES ${SCHEMA}.subscriptions(id) ON DELETE CASCADE,
  secret_sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz
);
CREATE INDEX IF NOT EXISTS secrets_subscription ON ${SCHEMA}.secrets(subscription_id);

CREATE TABLE IF NOT EXISTS ${SCHEMA}.events (
  id text PRIMARY KEY,
  site_id text NOT NULL,
  submission_id text NOT NULL,
  form_id text,
  type text NOT NULL,
  payload jsonb NOT NULL,
  polled_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (site_id, type, submission_id)
);

CREATE TABLE IF NOT EXISTS ${SCHEMA}.deliveries (
  id text PRIMARY KEY,
  event_id text NOT NULL REFERENCES ${SCHEMA}.events(id),
  subscription_id text NOT NULL REFERENCES ${SCHEMA}.subscriptions(id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  job_id text,
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, subscription_id)
);
CREATE INDEX IF NOT EXISTS deliveries_subscription ON ${SCHEMA}.deliveries(subscription_id, created_at DESC);
-- A delivery's successful attempt is kept on its row, not in attempts: one write per success
-- instead of two (see deliveriesRepo.recordSuccesses), attempts holds the failed ones, and a
-- success moves there when its delivery is put back in line (replay).
ALTER TABLE ${SCHEMA}.deliveries ADD COLUMN IF NOT EXISTS success_attempted_at timestamptz;
ALTER TABLE ${SCHEMA}.deliveries ADD COLUMN IF NOT EXISTS success_status_code integer;
ALTER TABLE ${SCHEMA}.deliveries ADD COLUMN IF NOT EXISTS success_latency_ms integer;
ALTER TABLE ${SCHEMA}.deliveries ADD COLUMN IF NOT EXISTS success_response_body text;
-- Only deliveries still open (pending or parked) are indexed by status: those are the ones
-- looked up by it, and a success leaves the index instead of adding to it.
DROP INDEX IF EXISTS ${SCHEMA}.deliveries_status;
CREATE INDEX IF NOT EXISTS deliveries_open ON ${SCHEMA}.deliveries(status, created_at) WHERE status <> 'succeeded';

CREATE TABLE IF NOT EXISTS ${SCHEMA}.attempts (
  id bigserial PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES ${SCHEMA}.deliveries(id) ON DELETE CASCADE,
  attempted_at timestamptz NOT NULL,
  status_code integer,
  latency_ms integer NOT NULL,
  response_body text,
  error text
);
CREATE INDEX IF NOT EXISTS attempts_delivery ON ${SCHEMA}.attempts(delivery_id, id);

CREATE TABLE IF NOT EXISTS ${SCHEMA}.admin_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  prefix text NOT NULL,
  hash text NOT NULL UNIQUE,
  scopes jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  rotated_at timestamptz,
  updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS ${SCHEMA}.audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS audit_log_target ON ${SCHEMA}.audit_log(target_id, id);
`;

export async function migrate(db: Database): Promise<void> {
  if (db.kind === 'postgres') {
    // Even when there is nothing to create, CREATE INDEX IF NOT EXISTS takes a SHARE lock on
    // its table until the transaction ends; taken one table after another while running bridges
    // write to them, that deadlocks, and a restarting bridge failed to start. So the DDL runs
    // only when this version of it is not installed yet.
    const version = createHash('sha256').update(ddl).digest('hex').slice(0, 16);
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(874512011)');
      const [table] = await tx.query<{ present: boolean }>(`SELECT to_regclass('${SCHEMA}.schema_version') IS NOT NULL AS present`);
      if (table?.present && (await tx.query(`SELECT 1 FROM ${SCHEMA}.schema_version WHERE version = $1`, [version])).length > 0) return;
      for (const statement of ddl.split(';').map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_version (version text PRIMARY KEY, installed_at timestamptz NOT NULL DEFAULT now())`);
      await tx.query(`INSERT INTO ${SCHEMA}.schema_version (version) VALUES ($1) ON CONFLICT DO NOTHING`, [version]);
    });
  } else {
    await db.exec(ddl);
  }
}
