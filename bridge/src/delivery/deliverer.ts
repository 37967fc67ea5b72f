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

/** Successes are recorded together: whatever finished within this long of the first. */
const RECORD_WAIT_MS = 2;

export function createDeliverer(deps: DelivererDeps) {
  const agents = deliveryAgents(deps.config.allowPrivateTargets);
  // The queue bounds each subscription's active jobs (exactly on the embedded store; on
  // PostgreSQL two workers fetching at the same instant can both pass). This guard makes
  // the bound exact within a process: an extra job is deferred, never waited on.
  const inFlight = new Map<string, number>();
  /** Work loaded for a batch of jobs just handed out (see prepare), taken by deliver. */
  const prepared = new Map<string, DeliveryWork>();

  /** Loads the work of several deliveries in one query, ahead of their deliver calls. */
  async function prepare(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length < 2) return;
    for (const work of await deliveriesRepo.workOf(deps.db, deliveryIds)) prepared.set(work.id, work);
  }

  // Group commit of successes: an attempt's outcome is durable before deliver returns (and
  // its job is completed), but the attempts that finish while one statement runs are all
  // recorded by the next one.
  type Success = Parameters<typeof deliveriesRepo.recordSuccesses>[1][number];
  let waiting: { row: Success; done: (recorded: boolean) => void; failed: (err: unknown) => void }[] = [];
  let recording = false;
  async function recordWaiting() {
    recording = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const recorded = await deliveriesRepo.recordSuccesses(deps.db, batch.map((w) => w.row));
        batch.forEach((w) => w.done(recorded.has(w.row.id)));
      } catch (err) {
        batch.forEach((w) => w.failed(err));
      }
    }
    recording = false;
  }
  let recordTimer: NodeJS.Timeout | undefined;
  function recordSuccess(row: Success): Promise<boolean> {
    return new Promise((done, failed) => {
      waiting.push({ row, done, failed });
      if (recording || recordTimer) return;
      recordTimer = setTimeout(() => {
        recordTimer = undefined;
        void recordWaiting();
      }, RECORD_WAIT_MS);
    });
  }

  /** Signs and sends one attempt; no database writes. Reads the live secrets unless given. */
  async function send(work: Pick<DeliveryWork, 'id' | 'url' | 'payload' | 'subscription_id'> & { secrets?: string[] }): Promise<PostResult> {
    const sealed = work.secrets ?? (await subscriptionsRepo.liveSecrets(deps.db, work.subscription_id));
    const secrets = sealed.map((s) => deps.box.open(s));
    const body = JSON.stringify(work.payload);
    const headers = signWebhook(work.id, new Date(), body, secrets);
    const result = await postWebhook({ url: work.url, body, headers: { ...headers }, timeoutMs: deps.config.deliveryTimeoutMs, agents });
    deps.metrics.attemptLatency.observe(result.latencyMs / 1000);
    return result;
  }

  async function deliver(deliveryId: string, jobId: string): Promise<void> {
    const { db, boss, config, log, metrics } = deps;
    const work = prepared.get(deliveryId) ?? (await deliveriesRepo.work(db, deliveryId));
    prepared.delete(deliveryId);
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
    const attempt = { attempted_at: attemptedAt, status_code: result.statusCode, latency_ms: result.latencyMs, response_body: result.body || null, error };

    if (ok) {
      // The common case in one statement; only the job that owns the delivery records it.
      if (!(await recordSuccess({ ...attempt, id: work.id, job_id: jobId, status_code: result.statusCode! }))) return;
      metrics.deliveries.inc({ outcome: 'succeeded' });
      metrics.lag.observe((Date.now() - new Date(work.polled_at).getTime()) / 1000);
      return;
    }
    await db.transaction(async (tx) => {
      // Only the job that owns the delivery may record its outcome.
      const [owner] = await tx.query<{ job_id: string | null }>('SELECT job_id FROM lts_bridge.deliveries WHERE id = $1 FOR UPDATE', [work.id]);
      if (owner?.job_id !== jobId) return;
      await deliveriesRepo.recordAttempt(tx, work.id, attempt);
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

    const outcome = result.statusCode === 410 ? 'gone' : attempts > config.retryScheduleMs.length ? 'parked' : 'retrying';
    metrics.deliveries.inc({ outcome });
    log.warn({ delivery: work.id, subscription: work.subscription_id, attempt: attempts, status: result.statusCode, outcome }, `delivery failed: ${error}`);
  }

  /** Hands the delivery to a new job a little later, if this job still owns it. */
  async function defer(work: DeliveryWork, jobId: string): Promise<void> {
    await deps.db.transaction(async (tx) => {
      const job = deliverJob(work.id, work.subscription_id, new Date(Date.now() + DEFER_MS));
      const moved = await tx.query('UPDATE lts_bridge.deliveries SET job_id = $3 WHERE id = $1 AND job_id = $2 RETURNING id', [work.id, jobId, job.id]);
      if (moved.length === 1) await enqueueDeliveries(deps.boss, [job], tx.bossDb);
    });
  }

  return { prepare, deliver, send };
}

export type Deliverer = ReturnType<typeof createDeliverer>;
