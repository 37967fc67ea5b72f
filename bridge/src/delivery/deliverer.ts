/**
 * A lts-deliver job: its deliveries (all of one subscription) attempted one after the
 * other. Each attempt: sign, POST, record, and decide: succeeded (2xx), retry later
 * (schedule or Retry-After, with its own job), parked (schedule exhausted), or subscription
 * disabled (410 Gone). A failure's record and its retry job commit together; successes
 * are recorded in group commits while the next attempt runs, and the job ends (is
 * completed) only once they are all durable. The HTTP call happens outside any transaction.
 *
 * A job stays short: after a failed attempt, after JOB_BUDGET_MS, or when the bridge is
 * stopping, it hands the deliveries it has not attempted to a new job.
 *
 * A delivery that its job no longer owns (already done, handed over, re-queued, or an old
 * job run again after a crash) is skipped: at-least-once, never a duplicate on purpose.
 */
import type { KeyObject } from 'node:crypto';
import { deliveriesRepo, type DeliveryWork } from '../db/deliveries-repo.js';
import { subscriptionsRepo } from '../db/subscriptions-repo.js';
import { deliverJob, enqueueDeliveries } from '../queue.js';
import { postWebhook, type PostResult } from './post-webhook.js';
import { nextRetryDelay } from './retry-schedule.js';
import { deliveryDispatcher } from './safe-target.js';
import { signingKey, signWebhook } from './sign-webhook.js';
import type { WorkerDeps } from '../worker-deps.js';

export type DelivererDeps = WorkerDeps;

/** How long a job waits when its subscription is at its concurrency limit in this process. */
const DEFER_MS = 250;

/** How long a job keeps attempting its deliveries before handing the rest over (the queue expires a job after 5 min). */
const JOB_BUDGET_MS = 60_000;

/**
 * Successes are recorded together: whatever finished within this long of the first. A job
 * goes on with its next attempt meanwhile and waits for its records only at its end (which
 * records what waits at once). On the embedded store each statement is planned and run on
 * the bridge's own thread, so fewer, larger ones are cheaper.
 */
const RECORD_WAIT_MS = { embedded: 30, postgres: 10 };

/** Opened signing secrets kept in memory (two per subscription at most, while one is rotated). */
const OPENED_SECRETS_MAX = 4_096;

export function createDeliverer(deps: DelivererDeps) {
  const dispatcher = deliveryDispatcher(deps.config.allowPrivateTargets);
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
  /** Records what waits now: a job that has sent its last attempt waits for nothing else. */
  function flushRecords() {
    if (!recordTimer) return;
    clearTimeout(recordTimer);
    recordTimer = undefined;
    void recordWaiting();
  }
  function recordSuccess(row: Success): Promise<boolean> {
    return new Promise((done, failed) => {
      waiting.push({ row, done, failed });
      if (recording || recordTimer) return;
      recordTimer = setTimeout(() => {
        recordTimer = undefined;
        void recordWaiting();
      }, RECORD_WAIT_MS[deps.db.kind]);
    });
  }

  // Signing secrets opened (and their keys decoded) once, not at every attempt (a decryption
  // was about 5% of a drain's CPU). A rotation seals a new secret, so a cached key is never
  // stale; bounded, emptied when full.
  const opened = new Map<string, KeyObject>();
  const openSecret = (sealed: string) => {
    let key = opened.get(sealed);
    if (key === undefined) {
      if (opened.size >= OPENED_SECRETS_MAX) opened.clear();
      key = signingKey(deps.box.open(sealed));
      opened.set(sealed, key);
    }
    return key;
  };

  /** Signs and sends one attempt; no database writes. Reads the live secrets unless given. */
  async function send(work: Pick<DeliveryWork, 'id' | 'url' | 'payload' | 'subscription_id'> & { secrets?: string[] }): Promise<PostResult> {
    const sealed = work.secrets ?? (await subscriptionsRepo.liveSecrets(deps.db, work.subscription_id));
    const secrets = sealed.map(openSecret);
    const body = JSON.stringify(work.payload);
    const headers = signWebhook(work.id, new Date(), body, secrets);
    const result = await postWebhook({ url: work.url, body, headers: { ...headers }, timeoutMs: deps.config.deliveryTimeoutMs, dispatcher });
    deps.metrics.attemptLatency.observe(result.latencyMs / 1000);
    return result;
  }

  /** Set by stop(): jobs hand over what they have not attempted instead of going on. */
  let stopping = false;

  async function runJob(jobId: string, deliveryIds: string[]): Promise<void> {
    const { db, config } = deps;
    const started = Date.now();
    const loaded = new Map<string, DeliveryWork>();
    for (const id of deliveryIds) {
      const work = prepared.get(id);
      if (work) loaded.set(id, work);
      prepared.delete(id);
    }
    const missing = deliveryIds.filter((id) => !loaded.has(id));
    if (missing.length > 0) for (const work of await deliveriesRepo.workOf(db, missing)) loaded.set(work.id, work);
    const owned = deliveryIds.map((id) => loaded.get(id)).filter((w): w is DeliveryWork => w !== undefined && w.status === 'pending' && w.job_id === jobId);
    if (owned.length === 0) return;

    const subscriptionId = owned[0]!.subscription_id;
    if (!owned[0]!.enabled) {
      await db.transaction(async (tx) => {
        for (const work of owned) await deliveriesRepo.markParked(tx, work.id, { statusCode: null, error: 'the subscription is disabled', countAttempt: false });
      });
      return;
    }
    const running = inFlight.get(subscriptionId) ?? 0;
    if (running >= config.subscriptionConcurrency) {
      await handOver(owned, jobId, DEFER_MS);
      return;
    }
    inFlight.set(subscriptionId, running + 1);
    const recording: Promise<void>[] = [];
    let recordError: unknown;
    try {
      for (const [i, work] of owned.entries()) {
        if (i > 0 && (stopping || Date.now() - started > JOB_BUDGET_MS)) {
          await handOver(owned.slice(i), jobId, 0);
          break;
        }
        const outcome = await attemptOne(work, jobId);
        if (outcome) recording.push(outcome.recorded.catch((err: unknown) => void (recordError ??= err)));
        else if (i + 1 < owned.length) {
          // A failing receiver costs this job one attempt; the rest get their own first attempt.
          await handOver(owned.slice(i + 1), jobId, 0);
          break;
        }
      }
    } finally {
      const left = (inFlight.get(subscriptionId) ?? 1) - 1;
      if (left > 0) inFlight.set(subscriptionId, left);
      else inFlight.delete(subscriptionId);
    }
    if (recording.length > 0) flushRecords();
    await Promise.all(recording);
    if (recordError) throw recordError;
  }

  /**
   * One attempt of one delivery. A success returns the promise of its record (group
   * committed, awaited by the job before it ends); a failure is recorded, with its retry
   * job, before this returns false.
   */
  async function attemptOne(work: DeliveryWork, jobId: string): Promise<{ recorded: Promise<void> } | false> {
    const { db, boss, config, log, metrics } = deps;
    const attemptedAt = new Date();
    const result = await send(work);
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const attempts = work.attempts + 1;
    const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`);
    const attempt = { attempted_at: attemptedAt, status_code: result.statusCode, latency_ms: result.latencyMs, response_body: result.body || null, error };
    let retryAt: Date | undefined;

    if (ok) {
      // The common case in one statement; only the job that owns the delivery records it.
      const recorded = recordSuccess({ ...attempt, id: work.id, job_id: jobId, status_code: result.statusCode! }).then((done) => {
        if (!done) return;
        metrics.deliveries.inc({ outcome: 'succeeded' });
        metrics.lag.observe((Date.now() - new Date(work.polled_at).getTime()) / 1000);
      });
      // Handled where it is awaited (runJob); this keeps it from counting as unhandled meanwhile.
      recorded.catch(() => undefined);
      return { recorded };
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
      const job = deliverJob([work.id], work.subscription_id, nextAt);
      await deliveriesRepo.markRetry(tx, work.id, { statusCode: result.statusCode, error: error!, nextAt, jobId: job.id });
      await enqueueDeliveries(boss, [job], tx);
      retryAt = nextAt;
    });
    if (retryAt) deps.wakeAt?.(retryAt);

    const outcome = result.statusCode === 410 ? 'gone' : attempts > config.retryScheduleMs.length ? 'parked' : 'retrying';
    metrics.deliveries.inc({ outcome });
    log.warn({ delivery: work.id, subscription: work.subscription_id, attempt: attempts, status: result.statusCode, outcome }, `delivery failed: ${error}`);
    return false;
  }

  /** Hands the deliveries this job still owns to a new job, `delayMs` from now. */
  async function handOver(works: DeliveryWork[], jobId: string, delayMs: number): Promise<void> {
    const at = delayMs > 0 ? new Date(Date.now() + delayMs) : undefined;
    await deps.db.transaction(async (tx) => {
      const job = deliverJob([], works[0]!.subscription_id, at);
      const moved = await deliveriesRepo.handOver(tx, works.map((w) => w.id), jobId, job.id);
      if (moved.length > 0) await enqueueDeliveries(deps.boss, [{ ...job, data: { deliveryIds: moved } }], tx);
    });
    // Now: the dispatcher fetches again when this job ends.
    if (at) deps.wakeAt?.(at);
  }

  return {
    prepare,
    runJob,
    send,
    /** From now on, jobs hand over the deliveries they have not attempted yet. */
    stop() {
      stopping = true;
    },
    /** Closes the delivery connections; requests still running are aborted. */
    close: () => dispatcher.destroy(),
  };
}

export type Deliverer = ReturnType<typeof createDeliverer>;
