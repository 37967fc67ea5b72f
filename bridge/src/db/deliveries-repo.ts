/** Events, deliveries and their attempts: the outbox and the delivery log. */
import { SCHEMA } from './schema.js';
import type { Queryable } from './database.js';

export type DeliveryStatus = 'pending' | 'succeeded' | 'parked';

export interface DeliveryRow {
  id: string;
  event_id: string;
  subscription_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  job_id: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** The successful attempt recorded by recordSuccesses (see attempts). */
  success_attempted_at: Date | null;
  success_status_code: number | null;
  success_latency_ms: number | null;
  success_response_body: string | null;
}

export interface DeliveryWork extends DeliveryRow {
  payload: unknown;
  event_type: string;
  polled_at: Date;
  url: string;
  enabled: boolean;
  site_id: string;
  /** The subscription's live signing secrets (sealed), newest first. */
  secrets: string[];
}

export interface AttemptRow {
  attempted_at: Date;
  status_code: number | null;
  latency_ms: number;
  response_body: string | null;
  error: string | null;
}

const D = `${SCHEMA}.deliveries`;
const E = `${SCHEMA}.events`;
const A = `${SCHEMA}.attempts`;

export interface NewEvent {
  id: string;
  siteId: string;
  submissionId: string;
  formId: string | null;
  type: string;
  payload: unknown;
}

export const deliveriesRepo = {
  /** Inserts events, skipping any already recorded; returns the ids of the new ones. */
  async insertEvents(q: Queryable, events: NewEvent[], polledAt: Date): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows = await q.query<{ id: string }>(
      `INSERT INTO ${E} (id, site_id, submission_id, form_id, type, payload, polled_at)
       SELECT r.id, r.site_id, r.submission_id, r.form_id, r.type, r.payload, $2::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, site_id text, submission_id text, form_id text, type text, payload jsonb)
       ON CONFLICT (site_id, type, submission_id) DO NOTHING RETURNING id`,
      [JSON.stringify(events.map((e) => ({ id: e.id, site_id: e.siteId, submission_id: e.submissionId, form_id: e.formId, type: e.type, payload: e.payload }))), polledAt],
    );
    return new Set(rows.map((r) => r.id));
  },

  async insertDeliveries(q: Queryable, rows: { id: string; eventId: string; subscriptionId: string; jobId: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await q.query(
      `INSERT INTO ${D} (id, event_id, subscription_id, job_id, next_attempt_at)
       SELECT r.id, r.event_id, r.subscription_id, r.job_id, now() FROM jsonb_to_recordset($1::jsonb) AS r(id text, event_id text, subscription_id text, job_id text)`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, event_id: r.eventId, subscription_id: r.subscriptionId, job_id: r.jobId })))],
    );
  },

  /** Everything one attempt needs, signing secrets included. */
  async work(q: Queryable, deliveryId: string): Promise<DeliveryWork | undefined> {
    return (await deliveriesRepo.workOf(q, [deliveryId]))[0];
  },

  /** `work` for several deliveries in one query (the deliverer loads each batch it is handed). */
  async workOf(q: Queryable, deliveryIds: string[]): Promise<DeliveryWork[]> {
    return q.query<DeliveryWork>(
      `SELECT d.*, e.payload, e.type AS event_type, e.polled_at, x.url, x.enabled, x.site_id,
         ARRAY(SELECT s.secret_sealed FROM ${SCHEMA}.secrets s WHERE s.subscription_id = d.subscription_id
               AND (s.expires_at IS NULL OR s.expires_at > now()) ORDER BY s.created_at DESC) AS secrets
       FROM ${D} d JOIN ${E} e ON e.id = d.event_id JOIN ${SCHEMA}.subscriptions x ON x.id = d.subscription_id
       WHERE d.id = ANY($1::text[])`,
      [deliveryIds],
    );
  },

  /**
   * Successful attempts, each recorded only if its job still owns the delivery, in one
   * statement. Returns the ids that were recorded.
   *
   * The attempt is kept on the delivery row (success_*), not in attempts: a success is then
   * one row written, not two with an index entry more each (README "Benchmark", 2026-12-08);
   * `attempts` reads both.
   *
   * The ids are given twice, also as an array: the planner cannot see how many rows
   * jsonb_to_recordset yields (it assumes 100) and joined the input to a sequential scan of
   * the deliveries, so each statement cost more as the table grew (4.5 ms for 14 rows at
   * 30,000 deliveries on the embedded store); `id = ANY` makes it a primary-key lookup
   * (README "Benchmark", 2026-12-03 afternoon).
   */
  async recordSuccesses(q: Queryable, rows: (AttemptRow & { id: string; job_id: string; status_code: number })[]): Promise<Set<string>> {
    const recorded = await q.query<{ id: string }>(
      `UPDATE ${D} d SET status = 'succeeded', attempts = d.attempts + 1, last_status_code = i.status_code, last_error = NULL,
         delivered_at = now(), next_attempt_at = NULL, job_id = NULL, updated_at = now(),
         success_attempted_at = i.attempted_at, success_status_code = i.status_code, success_latency_ms = i.latency_ms,
         success_response_body = i.response_body
       FROM jsonb_to_recordset($1::jsonb)
         AS i(id text, job_id text, status_code integer, attempted_at timestamptz, latency_ms integer, response_body text)
       WHERE d.id = ANY($2::text[]) AND d.id = i.id AND d.job_id = i.job_id
       RETURNING d.id`,
      [JSON.stringify(rows.map((r) => ({ ...r, attempted_at: r.attempted_at.toISOString() }))), rows.map((r) => r.id)],
    );
    return new Set(recorded.map((r) => r.id));
  },

  async recordAttempt(q: Queryable, deliveryId: string, a: AttemptRow): Promise<void> {
    await q.query(
      `INSERT INTO ${A} (delivery_id, attempted_at, status_code, latency_ms, response_body, error) VALUES ($1, $2, $3, $4, $5, $6)`,
      [deliveryId, a.attempted_at, a.status_code, a.latency_ms, a.response_body, a.error],
    );
  },

  async markRetry(q: Queryable, id: string, r: { statusCode: number | null; error: string; nextAt: Date; jobId: string }): Promise<void> {
    await q.query(
      `UPDATE ${D} SET attempts = attempts + 1, last_status_code = $2, last_error = $3, next_attempt_at = $4, job_id = $5, updated_at = now() WHERE id = $1`,
      [id, r.statusCode, r.error, r.nextAt, r.jobId],
    );
  },

  async markParked(q: Queryable, id: string, r: { statusCode: number | null; error: string; countAttempt: boolean }): Promise<void> {
    await q.query(
      `UPDATE ${D} SET status = 'parked', attempts = attempts + $4, last_status_code = COALESCE($2, last_status_code), last_error = $3,
         next_attempt_at = NULL, job_id = NULL, updated_at = now() WHERE id = $1`,
      [id, r.statusCode, r.error, r.countAttempt ? 1 : 0],
    );
  },

  /**
   * Puts deliveries back in line now, carried by one job (manual retry, recovery). A success
   * kept on a delivery's row moves to its attempts first, so the next one does not replace it.
   */
  async requeue(q: Queryable, ids: string[], jobId: string): Promise<void> {
    await q.query(
      `WITH kept AS (
         INSERT INTO ${A} (delivery_id, attempted_at, status_code, latency_ms, response_body, error)
         SELECT id, success_attempted_at, success_status_code, success_latency_ms, success_response_body, NULL
         FROM ${D} WHERE id = ANY($1::text[]) AND success_attempted_at IS NOT NULL ORDER BY id)
       UPDATE ${D} SET status = 'pending', next_attempt_at = now(), job_id = $2, updated_at = now(),
         success_attempted_at = NULL, success_status_code = NULL, success_latency_ms = NULL, success_response_body = NULL
       WHERE id = ANY($1::text[])`,
      [ids, jobId],
    );
  },

  /**
   * Moves the pending deliveries a job still owns to another job (a job handing over the
   * rest of its deliveries); returns the ids moved, in the order given.
   */
  async handOver(q: Queryable, ids: string[], fromJobId: string, toJobId: string): Promise<string[]> {
    const moved = await q.query<{ id: string }>(
      `UPDATE ${D} SET job_id = $3, updated_at = now() WHERE id = ANY($1::text[]) AND job_id = $2 AND status = 'pending' RETURNING id`,
      [ids, fromJobId, toJobId],
    );
    const set = new Set(moved.map((m) => m.id));
    return ids.filter((id) => set.has(id));
  },

  async list(q: Queryable, f: { subscriptionId: string; status?: DeliveryStatus; limit: number; before?: string }): Promise<DeliveryRow[]> {
    return q.query<DeliveryRow>(
      `SELECT * FROM ${D} WHERE subscription_id = $1 AND ($2::text IS NULL OR status = $2) AND ($4::text IS NULL OR id < $4)
       ORDER BY id DESC LIMIT $3`,
      [f.subscriptionId, f.status ?? null, f.limit, f.before ?? null],
    );
  },

  async get(q: Queryable, subscriptionId: string, id: string): Promise<DeliveryRow | undefined> {
    return (await q.query<DeliveryRow>(`SELECT * FROM ${D} WHERE id = $1 AND subscription_id = $2`, [id, subscriptionId]))[0];
  },

  async attempts(q: Queryable, deliveryId: string): Promise<AttemptRow[]> {
    return q.query<AttemptRow>(
      `SELECT attempted_at, status_code, latency_ms, response_body, error FROM (
         SELECT attempted_at, status_code, latency_ms, response_body, error, id FROM ${A} WHERE delivery_id = $1
         UNION ALL
         SELECT success_attempted_at, success_status_code, success_latency_ms, success_response_body, NULL, NULL FROM ${D}
         WHERE id = $1 AND success_attempted_at IS NOT NULL) t
       ORDER BY attempted_at, id`,
      [deliveryId],
    );
  },

  /** Parked deliveries of a subscription created since a time (for recovery). */
  async parkedSince(q: Queryable, subscriptionId: string, since: Date): Promise<{ id: string }[]> {
    return q.query<{ id: string }>(`SELECT id FROM ${D} WHERE subscription_id = $1 AND status = 'parked' AND created_at >= $2 ORDER BY id`, [subscriptionId, since]);
  },

  /**
   * How many of a site's deliveries created at or after `since` wait for their first
   * attempt, counted up to `limit`: a range of the open deliveries' index, from `since` on.
   * Counted from the start of that index instead, it walked past the entries of every
   * delivery made since the last vacuum (a success leaves its old entry behind), 1.67 ms
   * each time on PostgreSQL mid-drain (README "Benchmark", 2026-12-08).
   */
  async waitingFirstAttempt(q: Queryable, siteId: string, limit: number, since: Date): Promise<number> {
    const [row] = await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM ${D} d JOIN ${SCHEMA}.subscriptions x ON x.id = d.subscription_id
         WHERE d.status = 'pending' AND d.created_at >= $3 AND d.attempts = 0 AND x.site_id = $1 LIMIT $2) t`,
      [siteId, limit, since],
    );
    return row?.n ?? 0;
  },

  /** Queue depth and age of the oldest pending delivery, for metrics (from the index of open deliveries). */
  async backlog(q: Queryable): Promise<{ pending: number; oldest_seconds: number | null; parked: number }> {
    const [row] = await q.query<{ pending: number; oldest_seconds: number | null; parked: number }>(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending'))::float AS oldest_seconds,
              count(*) FILTER (WHERE status = 'parked')::int AS parked
       FROM ${D} WHERE status <> 'succeeded'`,
    );
    return row ?? { pending: 0, oldest_seconds: null, parked: 0 };
  },
};
