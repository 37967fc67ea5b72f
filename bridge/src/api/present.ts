/** How subscriptions and deliveries look in API answers (no secrets, snake_case, ISO dates). */
import type { AttemptRow, DeliveryRow } from '../db/deliveries-repo.js';
import { statusOf, type SubscriptionRow } from '../db/subscriptions-repo.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function presentSubscription(row: SubscriptionRow, site?: { id: string; name: string }) {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    form_id: row.form_id,
    description: row.description,
    status: statusOf(row),
    enabled: row.enabled,
    disabled_reason: row.auth_failed ? 'LeadToSheet refused the API key (401): re-create the subscription with a working key' : row.disabled_reason,
    site_id: row.site_id,
    ...(site ? { site_name: site.name } : {}),
    created_by: row.created_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function presentDelivery(row: DeliveryRow, attempts?: AttemptRow[]) {
  return {
    id: row.id,
    webhook_id: row.id,
    event_id: row.event_id,
    subscription_id: row.subscription_id,
    status: row.status === 'pending' && row.attempts > 0 ? 'retrying' : row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    next_attempt_at: iso(row.next_attempt_at),
    delivered_at: iso(row.delivered_at),
    created_at: iso(row.created_at),
    ...(attempts
      ? {
          attempt_log: attempts.map((a) => ({
            at: iso(a.attempted_at),
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            response_body: a.response_body,
            error: a.error,
          })),
        }
      : {}),
  };
}
