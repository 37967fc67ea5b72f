/** GET /admin/v1/audit (audit:read): the audit log, newest first, with filters. */
import { Router } from 'express';
import { z } from 'zod';
import { auditRepo } from '../db/audit-repo.js';
import type { Database } from '../db/database.js';
import { asyncRoute, fromZod } from '../api/http-error.js';
import { needs } from './admin-auth.js';
import { presentAudit } from './present-audit.js';
import { limitField, nextBefore, timeField } from './list-query.js';

const ListQuery = z.strictObject({
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  target: z.string().max(200).optional(),
  since: timeField('since'),
  until: timeField('until'),
  limit: limitField,
  before: z.string().regex(/^\d{1,18}$/, 'before must be an audit entry id from a previous page').optional(),
});

export function auditRoutes(db: Database): Router {
  const r = Router();
  r.get(
    '/audit',
    needs('audit:read'),
    asyncRoute(async (req, res) => {
      const q = ListQuery.safeParse(req.query);
      if (!q.success) throw fromZod(q.error);
      const rows = await auditRepo.list(db, q.data);
      res.json({ data: rows.map(presentAudit), next_before: nextBefore(rows, q.data.limit) });
    }),
  );
  return r;
}
