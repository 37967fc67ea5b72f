/**
 * When each site is polled, one poll per site at a time.
 *
 * - PostgreSQL (several bridge processes): the lts-poll queue (pg-boss, stately policy keyed
 *   by site), so however many processes run, a site is polled by one of them at once and a
 *   poll another process scheduled is run by whichever is free.
 * - Embedded store (one process per data directory, which is locked): timers in this process.
 *   The queue's guarantees are not needed there, and what it costs is: a poll through the
 *   queue was three more statements (fetch, schedule the next, complete) and most of the
 *   CPU of an idle bridge; 1,000 idle sites kept one core busy (README "Benchmark",
 *   2026-12-03 afternoon). Nothing durable is lost: at start-up every pollable site is
 *   scheduled again at its recorded `next_poll_at` (a backoff or Retry-After is kept).
 */
import type { PgBoss } from 'pg-boss';
import type { Logger } from '../logger.js';
import { POLL_QUEUE, type PollJob } from '../queue.js';

export interface PollScheduler {
  /** Asks for a poll of the site at `at` (now by default); a no-op when one is already due as soon. */
  schedule(siteId: string, at?: Date): Promise<void>;
  /** Makes sure each site has a poll due (start-up and the supervisor's backstop), never bringing one forward. */
  ensure(sites: { id: string; next_poll_at: Date | null }[]): Promise<void>;
  /** No new polls; waits up to `graceMs` for the ones running. */
  stop(graceMs: number): Promise<void>;
}

/** Polls at once in one process. */
const POLL_CONCURRENCY = 2;
/** A poll that failed outright (the store, not LeadToSheet: the poller handles those) is tried again after this long. */
const RETRY_MS = 5_000;

/** The lts-poll queue (PostgreSQL). */
export async function queuePolls(boss: PgBoss, run: (siteId: string) => Promise<void>, idleFetchSeconds: number): Promise<PollScheduler> {
  const work = await boss.work<PollJob>(POLL_QUEUE, { batchSize: 1, localConcurrency: POLL_CONCURRENCY, pollingIntervalSeconds: idleFetchSeconds }, async ([job]) => {
    if (job) await run(job.data.siteId);
  });
  const wake = () => boss.getWipData().filter((w) => w.workId === work).forEach((w) => boss.notifyWorker(w.id));
  /**
   * Queues a poll of the site; a no-op while one is already queued for it. This process's
   * workers are woken when it falls due, so their own idle fetch can be slow (it is only a
   * backstop for polls other processes scheduled and for retried jobs).
   */
  async function schedule(siteId: string, at?: Date) {
    await boss.send(POLL_QUEUE, { siteId } satisfies PollJob, { singletonKey: siteId, ...(at ? { startAfter: at } : {}) });
    setTimeout(wake, Math.max(0, at ? at.getTime() - Date.now() : 0) + 10).unref();
  }
  return {
    schedule,
    async ensure(sites) {
      for (const site of sites) await schedule(site.id);
    },
    async stop() {
      // The queue's graceful stop (services.ts) waits for the polls running.
      await boss.offWork(POLL_QUEUE, { wait: false });
    },
  };
}

/** Timers in this process (the embedded store). */
export function localPolls(run: (siteId: string) => Promise<void>, log: Logger): PollScheduler {
  const due = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  const running = new Map<string, Promise<void>>();
  /** Sites whose poll fell due, in order, waiting for a free slot or for their running poll to end. */
  const ready = new Set<string>();
  let stopping = false;

  function schedule(siteId: string, at?: Date) {
    if (stopping) return;
    const when = at?.getTime() ?? Date.now();
    const current = due.get(siteId);
    if (current && current.at <= when) return;
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => {
      due.delete(siteId);
      ready.add(siteId);
      pump();
    }, Math.max(0, when - Date.now()));
    timer.unref();
    due.set(siteId, { at: when, timer });
  }

  function pump() {
    for (const siteId of ready) {
      if (stopping || running.size >= POLL_CONCURRENCY) return;
      // One poll per site at a time: a poll that fell due meanwhile runs once this one ends.
      if (running.has(siteId)) continue;
      ready.delete(siteId);
      const poll = run(siteId)
        .catch((err: Error) => {
          log.error({ site: siteId, err: { message: err.message } }, `poll failed; trying again in ${RETRY_MS / 1000} s`);
          schedule(siteId, new Date(Date.now() + RETRY_MS));
        })
        .finally(() => {
          running.delete(siteId);
          pump();
        });
      running.set(siteId, poll);
    }
  }

  return {
    async schedule(siteId, at) {
      schedule(siteId, at);
    },
    async ensure(sites) {
      for (const site of sites) {
        if (due.has(site.id) || running.has(site.id) || ready.has(site.id)) continue;
        schedule(site.id, site.next_poll_at && site.next_poll_at.getTime() > Date.now() ? site.next_poll_at : undefined);
      }
    },
    async stop(graceMs) {
      stopping = true;
      for (const { timer } of due.values()) clearTimeout(timer);
      due.clear();
      ready.clear();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.all(running.values()), grace]);
      clearTimeout(timer);
    },
  };
}
