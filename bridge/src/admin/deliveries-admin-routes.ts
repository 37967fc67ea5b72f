/**
 * The delivery log across subscriptions for operators (filters: status, subscription,
 * site, time), one delivery with every attempt, retry one now, recover a subscription's
 * parked deliveries since a time. Retries reuse the tenant API's requeue; each is audited.
 */
import { Router } from 'express';
import { z } from 'zod';
import { auditRepo } from '../db/audit-repo.js';
import { deliveriesRepo } from '../db/deliveries-repo.js';
import { operatorViewsRepo, type OperatorDelivery } from '../db/operator-views-repo.js';
import { requeue } from '../api/deliveries-routes.js';
import { HttpError, asyncRoute, fromZod } from '../api/http-error.js';
import { RecoverBody, deliveryListQuery } from '../api/list-query.js';
import { presentDelivery } from '../api/present.js';
import type { BridgeServices } from '../services.js';
import { needs } from './admin-auth.js';
import { ADMIN_MAX_LIMIT, missing, nextBefore, timeField } from './list-query.js';

const ListQuery = deliveryListQuery(ADMIN_MAX_LIMIT, {
  subscription: z.string().max(200).optional(),
  site: z.string().max(200).optional(),
  since: timeField('since'),
  until: timeField('until'),
});

const present = (d: OperatorDelivery, attempts?: Parameters<typeof presentDelivery>[1]) => ({ ...presentDelivery(d, attempts), site_id: d.site_id });

export function deliveriesAdminRoutes(s: BridgeServices): Router {
  const r = Router();

  const find = async (id: string) => {
    const row = await operatorViewsRepo.delivery(s.db, id);
    if (!row) throw missing('delivery', id);
    return row;
  };

  r.get(
    '/deliveries',
    needs('deliveries:read'),
    asyncRoute(async (req, res) => {
      const q = ListQuery.safeParse(req.query);
      if (!q.success) throw fromZod(q.error);
      const { subscription, site, ...rest } = q.data;
      const rows = await operatorViewsRepo.deliveries(s.db, { ...rest, subscriptionId: subscription, siteId: site });
      res.json({ data: rows.map((d) => present(d)), next_before: nextBefore(rows, q.data.limit) });
    }),
  );

  r.get(
    '/deliveries/:id',
    needs('deliveries:read'),
    asyncRoute(async (req, res) => {
      const row = await find(String(req.params.id));
      res.json(present(row, await deliveriesRepo.attempts(s.db, row.id)));
    }),
  );

  r.post(
    '/deliveries/:id/retry',
    needs('deliveries:write'),
    asyncRoute(async (req, res) => {
      const row = await find(String(req.params.id));
      if (row.status === 'succeeded') throw new HttpError(409, 'already_delivered', 'This delivery already succeeded; nothing to retry');
      const sub = await operatorViewsRepo.subscription(s.db, row.subscription_id);
      if (!sub?.enabled) throw new HttpError(409, 'subscription_disabled', 'The subscription is paused or disabled; resume it before retrying');
      await requeue(s, row.subscription_id, [row.id], (tx) =>
        auditRepo.record(tx, { actor: req.admin!.prefix, action: 'delivery.retried', targetType: 'delivery', targetId: row.id, details: { subscription_id: row.subscription_id } }),
      );
      s.wake();
      s.log.info({ admin: req.admin!.prefix, delivery: row.id }, 'delivery retried by an operator');
      res.status(202).json(present(await find(row.id)));
    }),
  );

  r.post(
    '/subscriptions/:id/recover',
    needs('deliveries:write'),
    asyncRoute(async (req, res) => {
      const sub = await operatorViewsRepo.subscription(s.db, String(req.params.id));
      if (!sub) throw missing('subscription', String(req.params.id));
      const body = RecoverBody.safeParse(req.body ?? {});
      if (!body.success) throw fromZod(body.error);
      if (!sub.enabled) throw new HttpError(409, 'subscription_disabled', 'The subscription is paused or disabled; resume it before recovering');
      const ids = (await deliveriesRepo.parkedSince(s.db, sub.id, new Date(body.data.since))).map((d) => d.id);
      await requeue(s, sub.id, ids, (tx) =>
        auditRepo.record(tx, { actor: req.admin!.prefix, action: 'subscription.recovered', targetType: 'subscription', targetId: sub.id, details: { since: body.data.since, recovered: ids.length } }),
      );
      s.wake();
      s.log.info({ admin: req.admin!.prefix, subscription: sub.id, recovered: ids.length }, 'subscription recovered by an operator');
      res.status(202).json({ recovered: ids.length });
    }),
  );

  return r;
}
