/**
 * "Send a test event": a sample submission.created (marked test: true), signed like any
 * other, sent once right now; the attempt is recorded in the subscription's delivery log
 * and the result returned, so whoever set up the receiver sees at once whether it works.
 */
import type { Database } from '../db/database.js';
import { deliveriesRepo } from '../db/deliveries-repo.js';
import type { SubscriptionRow } from '../db/subscriptions-repo.js';
import { newId } from '../ids.js';
import { EVENT_TYPE } from '../polling/outbox.js';
import type { Deliverer } from './deliverer.js';

export function sampleSubmission(formId: string | null, at: Date) {
  return {
    id: `sub_test_${at.getTime().toString(36)}`,
    form_id: formId ?? 'form_test',
    form_name: 'Test form',
    fields: { Email: 'test.lead@example.com', 'Full name': 'Test Lead', Message: 'This is a test event from the LeadToSheet bridge.' },
    created_at: at.toISOString(),
    metadata: { page_url: 'https://example.com/contact', utm_source: 'lts-bridge-test' },
  };
}

/** The job a test delivery belongs to: it is attempted once, here, never queued. */
const TEST_JOB = 'test';

export async function sendTestEvent(db: Database, deliverer: Deliverer, sub: SubscriptionRow) {
  const at = new Date();
  const data = sampleSubmission(sub.form_id, at);
  const eventId = newId('evt');
  const deliveryId = newId('msg');
  const payload = { type: EVENT_TYPE, timestamp: at.toISOString(), test: true, data };
  await db.transaction(async (tx) => {
    await deliveriesRepo.insertEvents(tx, [{ id: eventId, siteId: sub.site_id, submissionId: data.id, formId: data.form_id, type: `${EVENT_TYPE}.test`, payload }], at);
    await deliveriesRepo.insertDeliveries(tx, [{ id: deliveryId, eventId, subscriptionId: sub.id, jobId: TEST_JOB }]);
  });
  const result = await deliverer.send({ id: deliveryId, url: sub.url, payload, subscription_id: sub.id });
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`);
  const attempt = { attempted_at: at, status_code: result.statusCode, latency_ms: result.latencyMs, response_body: result.body || null, error };
  // Recorded like any delivery's outcome: a success on the delivery's row (its job is "test"), a failure in its attempts.
  if (ok) await deliveriesRepo.recordSuccesses(db, [{ ...attempt, id: deliveryId, job_id: TEST_JOB, status_code: result.statusCode! }]);
  else
    await db.transaction(async (tx) => {
      await deliveriesRepo.recordAttempt(tx, deliveryId, attempt);
      await deliveriesRepo.markParked(tx, deliveryId, { statusCode: result.statusCode, error: `${error} (test events are not retried)`, countAttempt: true });
    });
  return { delivered: ok, delivery_id: deliveryId, webhook_id: deliveryId, status_code: result.statusCode, latency_ms: result.latencyMs, response_body: result.body || null, error };
}
