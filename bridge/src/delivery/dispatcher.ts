/**
 * Runs lts-deliver jobs, DELIVERY_CONCURRENCY at most at once in this process, at most
 * SUBSCRIPTION_CONCURRENCY per subscription (queue group) across every process (the queue
 * counts the active jobs of a group when it hands jobs out).
 *
 * One fetch takes as many ready jobs as there are free slots, and each job is settled as
 * soon as its attempt is recorded (completions go to the queue together, just before the
 * next fetch; whatever finishes while a fetch runs is refilled by the next one). pg-boss's own workers fetch one job per worker and wait a polling interval
 * after each: with one job per worker, one query per job and a sleep; with batches, a fast
 * subscription's finished jobs stay active until the slowest of the batch is done.
 *
 * When a fetch comes back short there is nothing more to take for now: the next fetch waits
 * for a finished job (a free slot), a wake (new deliveries committed here), or the polling
 * interval (retries falling due, deliveries committed by other processes). Jobs in hand are
 * kept alive with heartbeats; a job whose process dies is retried by the queue once its
 * heartbeat is missed (see queue.ts).
 */
import type { Job, JobAttempt, PgBoss } from 'pg-boss';
import type { Logger } from '../logger.js';
import { DELIVER_QUEUE, HEARTBEAT_SECONDS, type DeliverJob } from '../queue.js';

export interface DispatcherOptions {
  boss: PgBoss;
  log: Logger;
  concurrency: number;
  perSubscription: number;
  /** Idle fetch interval. */
  pollMs: number;
  /** Called with each batch of jobs handed out, before their runs start (to load them together). */
  prepare?(jobs: Job<DeliverJob>[]): Promise<void>;
  run(job: Job<DeliverJob>): Promise<void>;
}

/** Freed slots are refilled REFILL_BATCH at a time, or REFILL_DELAY_MS after the first. */
const REFILL_BATCH = 4;
const REFILL_DELAY_MS = 5;

export function startDispatcher(o: DispatcherOptions) {
  const inHand = new Map<string, Job<DeliverJob>>();
  const perGroup = new Map<string, number>();
  let done: JobAttempt[] = [];
  let failed: { attempt: JobAttempt; message: string }[] = [];
  /** The last fetch came back short: wait for a free slot, a wake or the interval. */
  let dry = false;
  let stopping = false;
  let kick: (() => void) | undefined;

  /** Bumped by every finished job and wake, so a fetch that was short can tell whether the queue changed meanwhile. */
  let generation = 0;
  /** Slots freed since the last fetch, and the timer that refills them if no more free up. */
  let freed = 0;
  let refill: NodeJS.Timeout | undefined;
  const kickNow = () => {
    clearTimeout(refill);
    refill = undefined;
    kick?.();
  };
  const changed = () => {
    generation++;
    dry = false;
    kickNow();
  };

  const attempt = (job: Job<DeliverJob>): JobAttempt => ({ id: job.id, retryCount: (job as Job<DeliverJob> & { retryCount?: number }).retryCount ?? 0 });

  function start(job: Job<DeliverJob>) {
    const group = job.groupId ?? '';
    inHand.set(job.id, job);
    perGroup.set(group, (perGroup.get(group) ?? 0) + 1);
    o.run(job).then(
      () => done.push(attempt(job)),
      (err: Error) => failed.push({ attempt: attempt(job), message: err.message }),
    ).finally(() => {
      inHand.delete(job.id);
      const left = (perGroup.get(group) ?? 1) - 1;
      if (left > 0) perGroup.set(group, left);
      else perGroup.delete(group);
      // Refill a few slots at once (one fetch and one completion for several jobs), or
      // shortly after the first one freed.
      generation++;
      dry = false;
      if (++freed >= Math.min(REFILL_BATCH, o.concurrency) || inHand.size === 0) kickNow();
      else refill ??= setTimeout(kickNow, REFILL_DELAY_MS);
    });
  }

  async function settle() {
    if (done.length > 0) {
      const batch = done;
      done = [];
      await o.boss.complete(DELIVER_QUEUE, batch);
    }
    if (failed.length > 0) {
      const batch = failed;
      failed = [];
      for (const f of batch) await o.boss.fail(DELIVER_QUEUE, f.attempt, { message: f.message });
    }
  }

  async function fetchMore() {
    const free = o.concurrency - inHand.size;
    if (free <= 0 || dry) return;
    const before = generation;
    freed = 0;
    const full = [...perGroup].filter(([, n]) => n >= o.perSubscription).map(([g]) => g);
    const jobs = await o.boss.fetch<DeliverJob>(DELIVER_QUEUE, { batchSize: free, groupConcurrency: o.perSubscription, ignoreGroups: full });
    if (jobs.length < free && generation === before) dry = true;
    if (jobs.length === 0) return;
    // A failed load is not a failed job: each run then loads its own.
    await o.prepare?.(jobs).catch((err: Error) => o.log.warn({ err: { message: err.message } }, 'loading a batch of deliveries failed'));
    for (const job of jobs) start(job);
  }

  const loop = (async () => {
    while (!stopping) {
      try {
        await settle();
        await fetchMore();
      } catch (err) {
        o.log.error({ err: { message: (err as Error).message } }, 'delivery queue error');
        dry = true;
      }
      if (stopping) break;
      if (!dry && inHand.size < o.concurrency) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          dry = false;
          resolve();
        }, o.pollMs);
        kick = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      kick = undefined;
    }
  })();

  // Jobs in hand say they are alive; a job of a dead process is retried after HEARTBEAT_SECONDS.
  const heartbeat = setInterval(() => {
    const jobs = [...inHand.values()].map(attempt);
    if (jobs.length > 0) o.boss.touch(DELIVER_QUEUE, jobs).catch((err: Error) => o.log.warn({ err: { message: err.message } }, 'heartbeat failed'));
  }, (HEARTBEAT_SECONDS * 1000) / 2);
  heartbeat.unref();

  return {
    /** New deliveries were committed: fetch now. */
    wake: changed,
    /**
     * Stops fetching and waits up to `graceMs` for the attempts in hand; their outcomes are
     * recorded and their jobs settled. Whatever is still running after that stays active in
     * the queue and is retried once its heartbeat is missed: nothing is lost.
     */
    async stop(graceMs: number) {
      stopping = true;
      kickNow();
      await loop;
      const deadline = Date.now() + graceMs;
      while (inHand.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      clearInterval(heartbeat);
      await settle().catch((err: Error) => o.log.warn({ err: { message: err.message } }, 'settling jobs at shutdown failed'));
    },
    inHand: () => inHand.size,
  };
}

export type Dispatcher = ReturnType<typeof startDispatcher>;
