/**
 * Runs lts-deliver jobs, DELIVERY_CONCURRENCY at most at once in this process, at most
 * SUBSCRIPTION_CONCURRENCY per subscription (queue group) across every process (the queue
 * counts the active jobs of a group when it hands jobs out).
 *
 * Why not pg-boss's own workers: each fetches its own jobs and waits a polling interval
 * after every batch, even a full one; with one job per worker that is a query per job and a
 * sleep, with bigger batches a fast subscription's finished jobs stay active until the
 * slowest of the batch is done. Here one fetch takes as many ready jobs as there are free
 * slots (freed slots are refilled a few at a time, or a few milliseconds after the first),
 * each job is settled as soon as its deliveries are recorded, and the completions go to the
 * queue together just before the next fetch. A job attempts its deliveries one after the
 * other (deliverer.ts), so a job in hand is one request in flight.
 *
 * When a fetch comes back short and nothing changed meanwhile, there is nothing to take for
 * now: the next fetch waits for a finished job, a wake (deliveries committed by this
 * process, now or falling due later: retries, deferrals), or the idle interval (deliveries
 * committed by other processes, jobs the queue retries itself). Jobs in hand are kept
 * alive with heartbeats; the jobs of a process that died are retried by the queue once
 * their heartbeat is missed (see queue.ts).
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
/** Due times of jobs queued for later are woken for in buckets this wide. */
const WAKE_BUCKET_MS = 100;
/** Rounds a finished job's completion (or failure) is tried before it is left to the queue. */
const SETTLE_TRIES = 5;

export function startDispatcher(o: DispatcherOptions) {
  const inHand = new Map<string, Job<DeliverJob>>();
  const perGroup = new Map<string, number>();
  let done: { attempt: JobAttempt; tries: number }[] = [];
  let failed: { attempt: JobAttempt; message: string; tries: number }[] = [];
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
      () => done.push({ attempt: attempt(job), tries: 0 }),
      (err: Error) => failed.push({ attempt: attempt(job), message: err.message, tries: 0 }),
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

  /**
   * Settles finished jobs. What the queue could not take is tried again on the next rounds,
   * SETTLE_TRIES times in all; after that it is left to the queue, which retries a job whose
   * heartbeat stopped, and the retry finds its deliveries done (nothing is lost either way;
   * settling is what spares that retry).
   */
  async function settle() {
    if (done.length > 0) {
      const batch = done;
      done = [];
      await o.boss.complete(DELIVER_QUEUE, batch.map((d) => d.attempt)).catch((err: unknown) => {
        done = keepUnsettled(batch, err).concat(done);
        throw err;
      });
    }
    while (failed.length > 0) {
      const f = failed[0]!;
      await o.boss.fail(DELIVER_QUEUE, f.attempt, { message: f.message }).catch((err: unknown) => {
        failed = keepUnsettled([f], err).concat(failed.slice(1));
        throw err;
      });
      failed.shift();
    }
  }

  function keepUnsettled<T extends { tries: number }>(items: T[], err: unknown): T[] {
    const kept = items.filter((i) => ++i.tries < SETTLE_TRIES);
    if (kept.length < items.length) o.log.warn({ err: { message: (err as Error).message }, jobs: items.length - kept.length }, 'could not settle finished delivery jobs; the queue will retry them after their heartbeat, and they will find their deliveries done');
    return kept;
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
      // A failed settle does not hold fetching back: new work goes on while it is retried.
      const settled = await settle().then(
        () => true,
        (err: Error) => (o.log.error({ err: { message: err.message } }, 'settling delivery jobs failed'), false),
      );
      try {
        await fetchMore();
      } catch (err) {
        o.log.error({ err: { message: (err as Error).message } }, 'delivery queue error');
        dry = true;
      }
      if (!settled) dry = true;
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

  // Jobs this process queued for later (retries, deferrals) wake it when they fall due, so the
  // idle fetch is only a backstop. One timer per WAKE_BUCKET_MS of due times.
  const dueTimers = new Map<number, NodeJS.Timeout>();
  function wakeAt(at: Date) {
    const bucket = Math.ceil(at.getTime() / WAKE_BUCKET_MS) * WAKE_BUCKET_MS;
    if (stopping || dueTimers.has(bucket)) return;
    const timer = setTimeout(() => {
      dueTimers.delete(bucket);
      changed();
    }, Math.max(0, bucket - Date.now()) + 5);
    timer.unref();
    dueTimers.set(bucket, timer);
  }

  return {
    /** New deliveries were committed: fetch now. */
    wake: changed,
    /** Deliveries were committed for later: fetch when they fall due. */
    wakeAt,
    /**
     * Stops fetching and waits up to `graceMs` for the attempts in hand; their outcomes are
     * recorded and their jobs settled. Whatever is still running after that stays active in
     * the queue and is retried once its heartbeat is missed: nothing is lost.
     */
    async stop(graceMs: number) {
      stopping = true;
      for (const timer of dueTimers.values()) clearTimeout(timer);
      dueTimers.clear();
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
