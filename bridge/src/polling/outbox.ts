/**
 * The outbox: a poll's new events, one delivery per matching subscription (with the queue
 * jobs that carry them) and the cursor advance commit in ONE transaction. A crash before
 * the commit loses nothing (the next poll sees the same submissions again); a crash after
 * it loses nothing (the jobs are in the queue). Events are unique per site and submission, so two polls
 * racing cannot create two deliveries of one lead to one subscription.
 */
import type { PgBoss } from 'pg-boss';
import { bridgeEvents, type PollState, type Submission } from '@leadtosheet/shared';
import type { Database } from '../db/database.js';
import { deliveriesRepo } from '../db/deliveries-repo.js';
import { sitesRepo } from '../db/sites-repo.js';
import { subscriptionsRepo, type SubscriptionRow } from '../db/subscriptions-repo.js';
import { newId } from '../ids.js';
import { deliverJobs, enqueueDeliveries } from '../queue.js';

export const EVENT_TYPE = bridgeEvents.submissionCreated;

export interface OutboxResult {
  /** False when another poll advanced the state first: nothing was written. */
  committed: boolean;
  events: number;
  deliveries: number;
  /** The store's time of the commit: its deliveries' `created_at` (when committed). */
  at?: Date;
}

export function matches(sub: Pick<SubscriptionRow, 'events' | 'form_id'>, item: Pick<Submission, 'form_id'>): boolean {
  return sub.events.includes(EVENT_TYPE) && (!sub.form_id || sub.form_id === item.form_id);
}

/** The webhook body, close to LeadToSheet's own native webhook. */
export function eventPayload(item: Submission, at: Date) {
  return { type: EVENT_TYPE, timestamp: at.toISOString(), data: item };
}

export async function commitPoll(
  db: Database,
  boss: PgBoss,
  site: { id: string; expectedVersion: number; subscriptionConcurrency: number },
  state: PollState,
  items: Submission[],
): Promise<OutboxResult> {
  const polledAt = new Date();
  return db.transaction(async (tx) => {
    const at = await sitesRepo.advance(tx, site.id, site.expectedVersion, state);
    if (!at) return { committed: false, events: 0, deliveries: 0 };
    if (items.length === 0) return { committed: true, events: 0, deliveries: 0, at };

    const events = items.map((item) => ({
      id: newId('evt'),
      siteId: site.id,
      submissionId: item.id,
      formId: item.form_id ?? null,
      type: EVENT_TYPE,
      payload: eventPayload(item, polledAt),
    }));
    const fresh = await deliveriesRepo.insertEvents(tx, events, polledAt);
    const subs = await subscriptionsRepo.deliverable(tx, site.id);
    const deliveries: { id: string; eventId: string; subscriptionId: string; jobId: string }[] = [];
    const jobs = [];
    for (const sub of subs) {
      // The new delivery ids of this subscription, each with its event.
      const eventOf = new Map(events.filter((event, index) => fresh.has(event.id) && matches(sub, items[index]!)).map((event) => [newId('msg'), event.id]));
      for (const job of deliverJobs([...eventOf.keys()], sub.id, site.subscriptionConcurrency)) {
        jobs.push(job);
        for (const id of job.data!.deliveryIds!) deliveries.push({ id, eventId: eventOf.get(id)!, subscriptionId: sub.id, jobId: job.id });
      }
    }
    await deliveriesRepo.insertDeliveries(tx, deliveries);
    await enqueueDeliveries(boss, jobs, tx);
    return { committed: true, events: fresh.size, deliveries: deliveries.length, at };
  });
}

/**
 * LeadToSheet refused the site's key (401): the site stops polling, and every enabled
 * subscription of it gets one `site.auth_failed` event in the same transaction, so a Zap
 * or workflow shows "reconnect" instead of going quiet.
 */
export async function commitAuthFailure(
  db: Database,
  boss: PgBoss,
  site: { id: string; keyPrefix: string; subscriptionConcurrency: number },
  message: string,
): Promise<{ deliveries: number }> {
  const at = new Date();
  return db.transaction(async (tx) => {
    const subs = await subscriptionsRepo.deliverable(tx, site.id);
    await sitesRepo.markAuthFailed(tx, site.id, message);
    if (subs.length === 0) return { deliveries: 0 };
    const event = {
      id: newId('evt'),
      siteId: site.id,
      submissionId: `auth_failed@${at.toISOString()}`,
      formId: null,
      type: bridgeEvents.siteAuthFailed,
      payload: { type: bridgeEvents.siteAuthFailed, timestamp: at.toISOString(), data: { site_id: site.id, key_prefix: site.keyPrefix, message } },
    };
    await deliveriesRepo.insertEvents(tx, [event], at);
    const deliveries = [];
    const jobs = [];
    for (const sub of subs) {
      const id = newId('msg');
      const [job] = deliverJobs([id], sub.id, site.subscriptionConcurrency);
      jobs.push(job!);
      deliveries.push({ id, eventId: event.id, subscriptionId: sub.id, jobId: job!.id });
    }
    await deliveriesRepo.insertDeliveries(tx, deliveries);
    await enqueueDeliveries(boss, jobs, tx);
    return { deliveries: deliveries.length };
  });
}
