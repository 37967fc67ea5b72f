/** /admin/v1/keys: the admin key lifecycle for holders of keys:admin. */
import { Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { asyncRoute, fromZod } from '../api/http-error.js';
import { actorOf, needs } from './admin-auth.js';
import type { AdminKeys, IssuedAdminKey } from './key-service.js';

const ListQuery = z.strictObject({
  search: z.string().max(100, 'search must be at most 100 characters').optional(),
  sort: z.enum(['created', 'last_used'], { error: 'sort must be created or last_used' }).default('created'),
  include_revoked: z.enum(['true', 'false'], { error: 'include_revoked must be true or false' }).default('false'),
});

/** The full key appears in this answer only. */
const issued = (k: IssuedAdminKey) => ({ ...k.admin_key, key: k.key });

export function keysRoutes(keys: AdminKeys, log: Logger): Router {
  const r = Router();
  const admin = needs('keys:admin');
  const id = (p: unknown) => String(p);

  r.get(
    '/',
    admin,
    asyncRoute(async (req, res) => {
      const q = ListQuery.safeParse(req.query);
      if (!q.success) throw fromZod(q.error);
      res.json({ data: await keys.list({ search: q.data.search, sort: q.data.sort, includeRevoked: q.data.include_revoked === 'true' }) });
    }),
  );

  r.post(
    '/',
    admin,
    asyncRoute(async (req, res) => {
      const created = await keys.create(actorOf(req), req.body);
      log.info({ admin: req.admin!.prefix, created: created.admin_key.prefix, scopes: created.admin_key.scopes }, 'admin key created');
      res.status(201).json(issued(created));
    }),
  );

  r.get(
    '/:id',
    admin,
    asyncRoute(async (req, res) => {
      res.json(await keys.get(id(req.params.id)));
    }),
  );

  r.patch(
    '/:id',
    admin,
    asyncRoute(async (req, res) => {
      res.json(await keys.update(actorOf(req), id(req.params.id), req.body));
    }),
  );

  for (const action of ['revoke', 'reactivate'] as const) {
    r.post(
      `/:id/${action}`,
      admin,
      asyncRoute(async (req, res) => {
        const k = await keys[action](actorOf(req), id(req.params.id));
        log.info({ admin: req.admin!.prefix, target: k.prefix }, `admin key ${action === 'revoke' ? 'revoked' : 'reactivated'}`);
        res.json(k);
      }),
    );
  }

  r.post(
    '/:id/rotate',
    admin,
    asyncRoute(async (req, res) => {
      const rotated = await keys.rotate(actorOf(req), id(req.params.id));
      log.info({ admin: req.admin!.prefix, target: rotated.admin_key.prefix }, 'admin key rotated');
      res.json(issued(rotated));
    }),
  );

  r.delete(
    '/:id',
    admin,
    asyncRoute(async (req, res) => {
      const k = await keys.delete(actorOf(req), id(req.params.id));
      log.info({ admin: req.admin!.prefix, target: k.prefix }, 'admin key deleted');
      res.status(204).end();
    }),
  );

  return r;
}
