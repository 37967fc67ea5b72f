/**
 * What operators see across every site: subscriptions with filters, sites with their
 * polling state and backlog, the delivery log of all subscriptions. Read-only queries;
 * changes go through the repos that own each table.
 */
import { SCHEMA } from './schema.js';
import type { Queryable } from './database.js';
import type { DeliveryRow, DeliveryStatus } from './deliveries-repo.js';
import type { SubscriptionRow, SubscriptionStatus } from './subscriptions-repo.js';

export interface SiteOverview {
  id: string;
  name: string;
  key_prefix: string;
  auth_failed: boolean;
  last_poll_at: Date | null;
  next_poll_at: Date | null;
  last_error_code: string | null;
  last_error: string | null;
  consecutive_errors: number;
  subscriptions: number;
  active_subscriptions: number;
  backlog: number;
  parked: number;
}

export type OperatorSubscription = SubscriptionRow & { site_name: string };
export type OperatorDelivery = DeliveryRow & { site_id: string };

const X = `${SCHEMA}.subscriptions`;
const S = `${SCHEMA}.sites`;
const D = `${SCHEMA}.deliveries`;

/** The host of a stored (normalised) target URL, lower-cased. */
const HOST = `lower(substring(x.url from '^[a-zA-Z][a-zA-Z0-9+.-]*://(\\[[^]]+\\]|[^/:?#]+)'))`;

const STATUS_SQL: Record<SubscriptionStatus, string> = {
  active: 'x.enabled AND NOT s.auth_failed',
  disabled: 'NOT x.enabled AND NOT s.auth_failed',
  auth_failed: 's.auth_failed',
};

export const operatorViewsRepo = {
  async subscriptions(
    q: Queryable,
    f: { siteId?: string; status?: SubscriptionStatus; targetHost?: string; limit: number; before?: string },
  ): Promise<OperatorSubscription[]> {
    return q.query<OperatorSubscription>(
      `SELECT x.*, s.auth_failed, s.name AS site_name FROM ${X} x JOIN ${S} s ON s.id = x.site_id
       WHERE ($1::text IS NULL OR x.site_id = $1) AND ($2::text IS NULL OR ${HOST} = lower($2)) AND ($3::text IS NULL OR x.id < $3)
         ${f.status ? `AND ${STATUS_SQL[f.status]}` : ''}
       ORDER BY x.id DESC LIMIT $4`,
      [f.siteId ?? null, f.targetHost ?? null, f.before ?? null, f.limit],
    );
  },

  async subscription(q: Queryable, id: string): Promise<OperatorSubscription | undefined> {
    const rows = await q.query<OperatorSubscription>(`SELECT x.*, s.auth_failed, s.name AS site_name FROM ${X} x JOIN ${S} s ON s.id = x.site_id WHERE x.id = $1`, [id]);
    return rows[0];
  },

  /** Every site with its polling state, subscription counts and backlog (pending deliveries). */
  async sites(q: Queryable, id?: string): Promise<SiteOverview[]> {
    return q.query<SiteOverview>(
      `SELECT s.id, s.name, s.key_prefix, s.auth_failed, s.last_poll_at, s.next_poll_at, s.last_error_code, s.last_error, s.consecutive_errors,
         (SELECT count(*)::int FROM ${X} x WHERE x.site_id = s.id) AS subscriptions,
         (SELECT count(*)::int FROM ${X} x WHERE x.site_id = s.id AND x.enabled) AS active_subscriptions,
         (SELECT count(*)::int FROM ${D} d JOIN ${X} x ON x.id = d.subscription_id WHERE x.site_id = s.id AND d.status = 'pending') AS backlog,
         (SELECT count(*)::int FROM ${D} d JOIN ${X} x ON x.id = d.subscription_id WHERE x.site_id = s.id AND d.status = 'parked') AS parked
       FROM ${S} s WHERE ($1::text IS NULL OR s.id = $1) ORDER BY s.name, s.id`,
      [id ?? null],
    );
  },

  /** The delivery log across subscriptions, newest first. */
  async deliveries(
    q: Queryable,
    f: { status?: DeliveryStatus; subscriptionId?: string; siteId?: string; since?: Date; until?: Date; limit: number; before?: string },
  ): Promise<OperatorDelivery[]> {
    return q.query<OperatorDelivery>(
      `SELECT d.*, x.site_id FROM ${D} d JOIN ${X} x ON x.id = d.subscription_id
       WHERE ($1::text IS NULL OR d.status = $1) AND ($2::text IS NULL OR d.subscription_id = $2) AND ($3::text IS NULL OR x.site_id = $3)
         AND ($4::timestamptz IS NULL OR d.created_at >= $4) AND ($5::timestamptz IS NULL OR d.created_at < $5) AND ($6::text IS NULL OR d.id < $6)
       ORDER BY d.id DESC LIMIT $7`,
      [f.status ?? null, f.subscriptionId ?? null, f.siteId ?? null, f.since ?? null, f.until ?? null, f.before ?? null, f.limit],
    );
  },

  async delivery(q: Queryable, id: string): Promise<OperatorDelivery | undefined> {
    return (await q.query<OperatorDelivery>(`SELECT d.*, x.site_id FROM ${D} d JOIN ${X} x ON x.id = d.subscription_id WHERE d.id = $1`, [id]))[0];
  },
};
