/** Sites for operators: polling state (last and next poll, auth_failed, last error) and backlog. */
import { Router } from 'express';
import { operatorViewsRepo, type SiteOverview } from '../db/operator-views-repo.js';
import { asyncRoute } from '../api/http-error.js';
import type { BridgeServices } from '../services.js';
import { needs } from './admin-auth.js';
import { missing } from './list-query.js';

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export const presentSite = (s: SiteOverview) => ({
  id: s.id,
  name: s.name,
  key_prefix: s.key_prefix,
  auth_failed: s.auth_failed,
  last_poll_at: iso(s.last_poll_at),
  next_poll_at: iso(s.next_poll_at),
  last_error_code: s.last_error_code,
  last_error: s.last_error,
  consecutive_errors: s.consecutive_errors,
  subscriptions: s.subscriptions,
  active_subscriptions: s.active_subscriptions,
  backlog: s.backlog,
  parked: s.parked,
});

export function sitesAdminRoutes(s: BridgeServices): Router {
  const r = Router();
  r.get(
    '/sites',
    needs('subscriptions:read'),
    asyncRoute(async (_req, res) => {
      res.json({ data: (await operatorViewsRepo.sites(s.db)).map(presentSite) });
    }),
  );
  r.get(
    '/sites/:id',
    needs('subscriptions:read'),
    asyncRoute(async (req, res) => {
      const [site] = await operatorViewsRepo.sites(s.db, String(req.params.id));
      if (!site) throw missing('site', String(req.params.id));
      res.json(presentSite(site));
    }),
  );
  return r;
}
