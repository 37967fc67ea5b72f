/**
 * The durable queue: pg-boss, on the embedded PGlite store or PostgreSQL alike.
 * - lts-poll (PostgreSQL; see polling/poll-scheduler.ts): one job per site at a time (stately
 *   policy keyed by site id), so however many processes run, a site is polled by one of them at once.
 * - lts-deliver: jobs that each carry a few deliveries of one subscription (see deliverJobs),
 *   grouped by subscription so a slow receiver holds at most SUBSCRIPTION_CONCURRENCY of them
 *   at once; a job attempts its deliveries one after the other.
 */
import { randomUUID } from 'node:crypto';
import { PgBoss, type JobInsert } from 'pg-boss';
import type { Database, Queryable } from './db/database.js';

export const POLL_QUEUE = 'lts-poll';
export const DELIVER_QUEUE = 'lts-deliver';

export interface DeliverJob {
  /** The deliveries this job attempts, in order, all of one subscription. */
  deliveryIds?: string[];
  /** Jobs queued before deliveries were carried several to a job hold one. */
  deliveryId?: string;
}

/** The deliveries a lts-deliver job carries, whichever version queued it. */
export function jobDeliveryIds(data: DeliverJob): string[] {
  return data.deliveryIds ?? (data.deliveryId ? [data.deliveryId] : []);
}

/**
 * Most deliveries one job carries. Queue work (insert, fetch, complete) is per job, so a
 * backlog costs a fraction of it per delivery; a job is still short (see deliverer.ts: it
 * hands what is left to a new job after a failure or JOB_BUDGET_MS).
 */
export const MAX_DELIVERIES_PER_JOB = 50;

export interface PollJob {
  siteId: string;
}

/**
 * A job whose process died (kill -9, OOM, lost host) stays active until the queue gives up on
 * it: without heartbeats after expireInSeconds (5 min) plus a supervise pass (1 min by
 * default), and meanwhile its delivery waits, dead jobs hold their subscription's group
 * slots, and a site whose poll job died is not polled at all (one poll per site). With
 * heartbeats a running job shows it is alive every HEARTBEAT_SECONDS / 2; one whose process
 * is gone is retried after HEARTBEAT_SECONDS plus at most one SUPERVISE_SECONDS pass (the
 * queue's monitor pass, which finds them). That pass is every 10 s on PostgreSQL, where any
 * process may die while others run; every 30 s on the embedded store, where a dead process's
 * jobs only exist when its successor starts (one process per data directory) and each pass
 * costs the bridge's own core.
 */
export const HEARTBEAT_SECONDS = 10;
export const SUPERVISE_SECONDS = { embedded: 30, postgres: 10 } as const;

/** pg-boss's check for flows (job dependencies) the bridge never creates: hourly, not every 5 s. */
const FLOW_CHECK_SECONDS = 3600;

export async function startQueue(db: Database, onError: (err: Error) => void): Promise<PgBoss> {
  const boss = new PgBoss({
    ...db.bossOptions(),
    schema: 'pgboss',
    superviseIntervalSeconds: SUPERVISE_SECONDS[db.kind],
    monitorIntervalSeconds: SUPERVISE_SECONDS[db.kind],
    // The bridge uses neither cron schedules nor job dependencies (flows): without these two
    // settings pg-boss checks for both every 5 s, about half of an idle bridge's queries.
    schedule: false,
    flowIntervalSeconds: FLOW_CHECK_SECONDS,
    // Nor pg-boss's instance registry (getInstances()): its heartbeat samples the event loop's
    // delay on a 20 ms timer, 50 wake-ups a second, most of an idle bridge's CPU (0.88% of a core
    // for pg-boss alone on PGlite, 0.10% without).
    registerInstance: false,
  } as ConstructorParameters<typeof PgBoss>[0]);
  boss.on('error', onError);
  await boss.start();
  const heartbeat = { heartbeatSeconds: HEARTBEAT_SECONDS };
  await boss.createQueue(POLL_QUEUE, { policy: 'stately', retryLimit: 1000, retryDelay: 5, expireInSeconds: 300, ...heartbeat }).catch(ignoreExists);
  await boss
    .createQueue(DELIVER_QUEUE, { policy: 'standard', retryLimit: 1000, retryDelay: 5, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 300, ...heartbeat })
    .catch(ignoreExists);
  // Queues created by an older version have no heartbeat yet.
  for (const queue of [POLL_QUEUE, DELIVER_QUEUE]) await boss.updateQueue(queue, heartbeat);
  return boss;
}

function ignoreExists(err: Error) {
  if (!/exists/i.test(err.message)) throw err;
}

/** A lts-deliver job for deliveries of one subscription, created inside the caller's transaction. */
export function deliverJob(deliveryIds: string[], subscriptionId: string, startAfter?: Date): JobInsert<DeliverJob> & { id: string } {
  return { id: randomUUID(), data: { deliveryIds }, group: { id: subscriptionId }, ...(startAfter ? { startAfter } : {}) };
}

/**
 * Jobs for new deliveries of one subscription: spread over `parallel` jobs (the
 * subscription's concurrency, so they all run at once), at most MAX_DELIVERIES_PER_JOB each.
 * One new lead is one job of one delivery; a page of 100 is `parallel` jobs of 25. The
 * deliveries are dealt round-robin, so the jobs running side by side deliver the leads in
 * about the order they were created (1, 2, 3, 4, then 5...), not a block each.
 */
export function deliverJobs(deliveryIds: string[], subscriptionId: string, parallel: number, startAfter?: Date): (JobInsert<DeliverJob> & { id: string })[] {
  const size = Math.min(MAX_DELIVERIES_PER_JOB, Math.max(1, Math.ceil(deliveryIds.length / Math.max(1, parallel))));
  const dealt: string[][] = Array.from({ length: Math.ceil(deliveryIds.length / size) }, () => []);
  deliveryIds.forEach((id, i) => dealt[i % dealt.length]!.push(id));
  return dealt.map((ids) => deliverJob(ids, subscriptionId, startAfter));
}

/**
 * The channel that tells every bridge process sharing PostgreSQL that deliver jobs were
 * committed: its payload is the sending process's NOTIFY_SENDER and when the first of them is
 * due (ISO time, or nothing for now). Their dispatchers fetch then, instead of at their idle fetch.
 */
export const DELIVERIES_CHANNEL = 'lts_bridge_deliveries';
/** This process, in its notifications (it wakes its own dispatcher directly). */
export const NOTIFY_SENDER = randomUUID();

/** Queues deliver jobs inside the caller's transaction; on PostgreSQL other processes are told at its commit. */
export async function enqueueDeliveries(boss: PgBoss, jobs: JobInsert<DeliverJob>[], tx: Queryable): Promise<void> {
  if (jobs.length === 0) return;
  await boss.insert(DELIVER_QUEUE, jobs, { db: tx.bossDb });
  if (!tx.notify) return;
  const due = Math.min(...jobs.map((j) => (j.startAfter ? new Date(j.startAfter).getTime() : 0)));
  await tx.notify(DELIVERIES_CHANNEL, `${NOTIFY_SENDER} ${due > Date.now() ? new Date(due).toISOString() : ''}`.trimEnd());
}

/** What a notification on DELIVERIES_CHANNEL asks of this process: nothing (its own), fetch now, or fetch at a time. */
export function notifiedDue(payload: string): 'own' | 'now' | Date {
  const [sender, due] = payload.split(' ');
  if (sender === NOTIFY_SENDER) return 'own';
  const at = due ? new Date(due) : undefined;
  return at && !Number.isNaN(at.getTime()) && at.getTime() > Date.now() ? at : 'now';
}
