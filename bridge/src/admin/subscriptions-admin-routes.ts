/**
 * Subscriptions across every site for operators: list with filters (site, status, target
 * host), read one, pause and resume. Pausing parks what is still pending for it; resuming
 * makes it deliver again from then on (recover replays what was parked meanwhile). Rotate
 * its signing secret (returned once; the old ones sign for 24 h more) and send it a test
 * event, as the tenant API does.
 */
import { Router } from 'express';
import { z } from 'zod';
import { auditRepo } from '../db/audit-repo.js';
import { operatorViewsRepo, type OperatorSubscription } from '../db/operator-views-repo.js';
import { subscriptionsRepo } from '../db/subscriptions-repo.js';
import { HttpError, asyncRoute, fromZod } from '../api/http-error.js';
import { presentSubscription } from '../api/present.js';
import { rotateSigningSecret } from '../api/subscriptions-routes.js';
import type { BridgeServices } from '../services.js';
import { needs } from './admin-auth.js';
import { beforeField, limitField, missing, nextBefore } from './list-query.js';

const ListQuery = z.strictObject({
  site: z.string().max(200).optional(),
  status: z.enum(['active', 'disabled', 'auth_failed'], { error: 'status must be one of active, disabled, auth_failed' }).optional(),
  target_host: z.string().max(253, 'target_host must be a host name such as hooks.example.com').optional(),
  limit: limitField,
  before: beforeField,
});

const present = (row: OperatorSubscription) => presentSubscription(row, { id: row.site_id, name: row.site_name });

export function subscriptionsAdminRoutes(s: BridgeServices): Router {
  const r = Router();

  const find = async (id: string) => {
    const row = await operatorViewsRepo.subscription(s.db, id);
    if (!row) throw missing('subscription', id);
    return row;
  };

  r.get(
    '/subscriptions',
    needs('subscriptions:read'),
    asyncRoute(async (req, res) => {
      const q = ListQuery.safeParse(req.query);
      if (!q.success) throw fromZod(q.error);
      const rows = await operatorViewsRepo.subscriptions(s.db, { siteId: q.data.site, status: q.data.status, targetHost: q.data.target_host, limit: q.data.limit, before: q.data.before });
      res.json({ data: rows.map(present), next_before: nextBefore(rows, q.data.limit) });
    }),
  );

  r.get(
    '/subscriptions/:id',
    needs('subscriptions:read'),
    asyncRoute(async (req, res) => {
      res.json(present(await find(String(req.params.id))));
    }),
  );

  r.post(
    '/subscriptions/:id/pause',
    needs('subscriptions:write'),
    asyncRoute(async (req, res) => {
      const row = await find(String(req.params.id));
      if (row.enabled) {
        await s.db.transaction(async (tx) => {
          await subscriptionsRepo.disable(tx, row.id, `paused by an operator (${req.admin!.prefix}…)`);
          await auditRepo.record(tx, { actor: req.admin!.prefix, action: 'subscription.paused', targetType: 'subscription', targetId: row.id, details: { site_id: row.site_id } });
        });
        s.log.info({ admin: req.admin!.prefix, subscription: row.id }, 'subscription paused');
      }
      res.json(present(await find(row.id)));
    }),
  );

  r.post(
    '/subscriptions/:id/resume',
    needs('subscriptions:write'),
    asyncRoute(async (req, res) => {
      const row = await find(String(req.params.id));
      if (!row.enabled) {
        await s.db.transaction(async (tx) => {
          await subscriptionsRepo.update(tx, row.id, { enabled: true });
          await auditRepo.record(tx, { actor: req.admin!.prefix, action: 'subscription.resumed', targetType: 'subscription', targetId: row.id, details: { site_id: row.site_id } });
        });
        await s.polls.schedule(row.site_id);
        s.log.info({ admin: req.admin!.prefix, subscription: row.id }, 'subscription resumed');
      }
      res.json(present(await find(row.id)));
    }),
  );

  r.post(
    '/subscriptions/:id/rotate-secret',
    needs('subscriptions:write'),
    asyncRoute(async (req, res) => {
      res.json(await rotateSigningSecret(s, await find(String(req.params.id)), req.admin!.prefix));
    }),
  );

  r.post(
    '/subscriptions/:id/test',
    needs('subscriptions:write'),
    asyncRoute(async (req, res) => {
      const row = await find(String(req.params.id));
      if (!row.enabled) throw new HttpError(409, 'subscription_disabled', 'The subscription is paused or disabled; resume it before sending a test event');
      const result = await s.testEvent(row);
      await auditRepo.record(s.db, {
        actor: req.admin!.prefix,
        action: 'subscription.test_sent',
        targetType: 'subscription',
        targetId: row.id,
        details: { site_id: row.site_id, delivery_id: result.delivery_id, delivered: result.delivered, status_code: result.status_code },
      });
      s.log.info({ admin: req.admin!.prefix, subscription: row.id, delivered: result.delivered }, 'test event sent by an operator');
      res.json(result);
    }),
  );

  return r;
}
