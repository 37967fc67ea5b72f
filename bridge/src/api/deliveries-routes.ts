/**
 * The delivery log of one subscription: deliveries with their status and attempts, retry
 * one delivery now, recover every parked delivery since a time.
 */
import { Router, type Request } from 'express';
import { auditRepo } from '../db/audit-repo.js';
import type { Queryable } from '../db/database.js';
import { deliveriesRepo } from '../db/deliveries-repo.js';
import { subscriptionsRepo } from '../db/subscriptions-repo.js';
import { deliverJobs, enqueueDeliveries } from '../queue.js';
import type { BridgeServices } from '../services.js';
import { HttpError, asyncRoute, fromZod, notFound } from './http-error.js';
import { RecoverBody, deliveryListQuery, nextBefore } from './list-query.js';
import { presentDelivery } from './present.js';

const ListQuery = deliveryListQuery(100);

/** Puts deliveries back in line now, with fresh jobs, in one transaction (with `alsoInTx`, e.g. its audit entry). */
export function requeue(s: BridgeServices, subscriptionId: string, ids: string[], alsoInTx?: (tx: Queryable) => Promise<void>): Promise<void> {
  return s.db.transaction(async (tx) => {
    const jobs = deliverJobs(ids, subscriptionId, s.config.subscriptionConcurrency);
    for (const job of jobs) await deliveriesRepo.requeue(tx, job.data!.deliveryIds!, job.id);
    await enqueueDeliveries(s.boss, jobs, tx);
    await alsoInTx?.(tx);
  });
}

export function deliveriesRoutes(s: BridgeServices): Router {
  const r = Router({ mergeParams: true });

  const ownSubscription = async (req: Request) => {
    const row = await subscriptionsRepo.get(s.db, String(req.params.id), req.tenant!.site.id);
    if (!row) throw notFound(`Subscription "${String(req.params.id)}"`);
    return row;
  };

  r.get(
    '/',
    asyncRoute(async (req, res) => {
      const sub = await ownSubscription(req);
      const q = ListQuery.safeParse(req.query);
      if (!q.success) throw fromZod(q.error);
      const rows = await deliveriesRepo.list(s.db, { subscriptionId: sub.id, status: q.data.status, limit: q.data.limit, before: q.data.before });
      res.json({ data: rows.map((d) => presentDelivery(d)), next_before: nextBefore(rows, q.data.limit) });
    }),
  );

  r.get(
    '/:deliveryId',
    asyncRoute(async (req, res) => {
      const sub = await ownSubscription(req);
      const row = await deliveriesRepo.get(s.db, sub.id, String(req.params.deliveryId));
      if (!row) throw notFound(`Delivery "${String(req.params.deliveryId)}"`);
      res.json(presentDelivery(row, await deliveriesRepo.attempts(s.db, row.id)));
    }),
  );

  r.post(
    '/:deliveryId/retry',
    asyncRoute(async (req, res) => {
      const sub = await ownSubscription(req);
      const row = await deliveriesRepo.get(s.db, sub.id, String(req.params.deliveryId));
      if (!row) throw notFound(`Delivery "${String(req.params.deliveryId)}"`);
      if (row.status === 'succeeded') throw new HttpError(409, 'already_delivered', 'This delivery already succeeded; nothing to retry');
      if (!sub.enabled) throw new HttpError(409, 'subscription_disabled', 'The subscription is disabled; enable it before retrying');
      await requeue(s, sub.id, [row.id], (tx) =>
        auditRepo.record(tx, { actor: req.tenant!.keyPrefix, action: 'delivery.retried', targetType: 'delivery', targetId: row.id, details: { subscription_id: sub.id } }),
      );
      s.wake();
      res.status(202).json(presentDelivery((await deliveriesRepo.get(s.db, sub.id, row.id))!));
    }),
  );

  return r;
}

/** POST /v1/subscriptions/:id/recover { since }: every parked delivery since then, again. */
export function recoverRoute(s: BridgeServices) {
  return asyncRoute(async (req, res) => {
    const sub = await subscriptionsRepo.get(s.db, String(req.params.id), req.tenant!.site.id);
    if (!sub) throw notFound(`Subscription "${String(req.params.id)}"`);
    if (!sub.enabled) throw new HttpError(409, 'subscription_disabled', 'The subscription is disabled; enable it before recovering');
    const body = RecoverBody.safeParse(req.body ?? {});
    if (!body.success) throw fromZod(body.error);
    const ids = (await deliveriesRepo.parkedSince(s.db, sub.id, new Date(body.data.since))).map((d) => d.id);
    await requeue(s, sub.id, ids, (tx) =>
      auditRepo.record(tx, { actor: req.tenant!.keyPrefix, action: 'subscription.recovered', targetType: 'subscription', targetId: sub.id, details: { since: body.data.since, recovered: ids.length } }),
    );
    s.wake();
    res.status(202).json({ recovered: ids.length });
  });
}
