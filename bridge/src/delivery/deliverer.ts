/**
 * One delivery attempt (a lts-deliver job): sign, POST, record the attempt, and decide:
 * succeeded (2xx), retry later (schedule or Retry-After), parked (schedule exhausted),
 * or subscription disabled (410 Gone). The attempt record and the next job commit
 * together; the HTTP call happens outside any transaction.
 *
 * A job that is not the delivery's current one (already done, re-queued, or an old job
 * run again after a crash) does nothing: at-least-once, never a duplicate on purpose.
 */
import { deliveriesRepo, type DeliveryWork } from '../db/deliveries-repo.js';
import { subscriptionsRepo } from '../db/subscriptions-repo.js';
import { deliverJob, enqueueDeliveries } from '../queue.js';
import { postWebhook, type PostResult } from './post-webhook.js';
import { nextRetryDelay } from './retry-schedule.js';
import { deliveryAgents } from './safe-target.js';
import { signWebhook } from './sign-webhook.js';
import type { WorkerDeps } from '../worker-deps.js';

export type DelivererDeps = WorkerDeps;

/** How long a job waits when its subscription is at its concurrency limit in this process. */
const DEFER_MS = 250;

export function createDeliverer(deps: DelivererDeps) {
  const agents = deliveryAgents(deps.config.allowPrivateTargets);
  // The queue bounds each subscription's active jobs (exactly on the embedded store; on
  // PostgreSQL two workers fetching at the same instant can both pass). This guard makes
  // the bound exact within a process: an extra job is deferred, never waited on.
  const inFlight = new Map<string, number>();

  /** Signs and sends one attempt; no database writes. */
  async function send(work: Pick<DeliveryWork, 'id' | 'url' | 'payload' | 'subscription_id'>): Promise<PostResult> {
    const secrets = (await subscriptionsRepo.liveSecrets(deps.db, work.subscription_id)).map((s) => deps.box.open(s));
    const body = JSON.stringify(work.payload);
    const headers = signWebhook(work.id, new Date(), body, secrets);
    const result = await postWebhook({ url: work.url, body, headers: { ...headers }, timeoutMs: deps.config.deliveryTimeoutMs, agents });
    deps.metrics.attemptLatency.observe(result.latencyMs / 1000);
    return result;
  }

  async function deliver(deliveryId: string, jobId: string): Promise<void> {
    const { db, boss, config, log, metrics } = deps;
    const work = await deliveriesRepo.work(db, deliveryId);
    if (!work || work.status !== 'pending' || work.job_id !== jobId) return;
    if (!work.enabled) {
      await deliveriesRepo.markParked(db, work.id, { statusCode: null, error: 'the subscription is disabled', countAttempt: false });
      return;
    }
    const running = inFlight.get(work.subscription_id) ?? 0;
    if (running >= config.subscriptionConcurrency) {
      await defer(work, jobId);
      return;
    }
    inFlight.set(work.subscription_id, running + 1);
    const attemptedAt = new Date();
    let result: PostResult;
    try {
      result = await send(work);
    } finally {
      const left = (inFlight.get(work.subscription_id) ?? 1) - 1;
      if (left > 0) inFlight.set(work.subscription_id, left);
      else inFlight.delete(work.subscription_id);
    }
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const attempts = work.attempts + 1;
    const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`);

    await db.transaction(async (tx) => {
      // Only the job that owns the delivery may record its outcome.
      const [owner] = await tx.query<{ job_id: string | null }>('SELECT job_id FROM lts_bridge.deliveries WHERE id = $1 FOR UPDATE', [work.id]);
      if (owner?.job_id !== jobId) return;
      await deliveriesRepo.recordAttempt(tx, work.id, {
        attempted_at: attemptedAt,
        status_code: result.statusCode,
        latency_ms: result.latencyMs,
        response_body: result.body || null,
        error,
      });
      if (ok) {
        await deliveriesRepo.markSucceeded(tx, work.id, result.statusCode!);
        return;
      }
      if (result.statusCode === 410) {
        await deliveriesRepo.markParked(tx, work.id, { statusCode: 410, error: 'the receiver answered 410 Gone: subscription disabled', countAttempt: true });
        await subscriptionsRepo.disable(tx, work.subscription_id, `the receiver answered 410 Gone at ${attemptedAt.toISOString()}`);
        return;
      }
      const delay = nextRetryDelay(config.retryScheduleMs, attempts, { statusCode: result.statusCode, retryAfter: result.headers['retry-after'] });
      if (delay === undefined) {
        await deliveriesRepo.markParked(tx, work.id, { statusCode: result.statusCode, error: `${error} (gave up after ${attempts} attempts)`, countAttempt: true });
        return;
      }
      const nextAt = new Date(Date.now() + delay);
      const job = deliverJob(work.id, work.subscription_id, nextAt);
      await deliveriesRepo.markRetry(tx, work.id, { statusCode: result.statusCode, error: error!, nextAt, jobId: job.id });
      await enqueueDeliveries(boss, [job], tx.bossDb);
    });

    const outcome = ok ? 'succeeded' : result.statusCode === 410 ? 'gone' : attempts > config.retryScheduleMs.length ? 'parked' : 'retrying';
    metrics.deliveries.inc({ outcome });
    if (ok) metrics.lag.observe((Date.now() - new Date(work.polled_at).getTime()) / 1000);
    else log.warn({ delivery: work.id, subscription: work.subscription_id, attempt: attempts, status: result.statusCode, outcome }, `delivery failed: ${error}`);
  }

  /** Hands the delivery to a new job a little later, if this job still owns it. */
  async function defer(work: DeliveryWork, jobId: string): Promise<void> {
    await deps.db.transaction(async (tx) => {
      const job = deliverJob(work.id, work.subscription_id, new Date(Date.now() + DEFER_MS));
      const moved = await tx.query('UPDATE lts_bridge.deliveries SET job_id = $3 WHERE id = $1 AND job_id = $2 RETURNING id', [work.id, jobId, job.id]);
      if (moved.length === 1) await enqueueDeliveries(deps.boss, [job], tx.bossDb);
    });
  }

  return { deliver, send };
}

export type Deliverer = ReturnType<typeof createDeliverer>;
