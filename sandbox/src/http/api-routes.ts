/**
 * The LeadToSheet API v1 operations, at the paths shared/contract.ts assumes. Each route
 * checks its scope, then its input, then does its work; the answer is the contract's.
 */
import { paths } from '@leadtosheet/shared';
import { Router } from 'express';
import type { DomainContext } from '../domain/context.js';
import { formView, listForms, siteForm, updateForm } from '../domain/forms.js';
import { pageOf } from '../domain/paginate.js';
import { siteView } from '../domain/sites.js';
import { createSubmission, listSubmissions, siteSubmission, submissionView } from '../domain/submissions.js';
import type { Logger } from '../logger.js';
import { allowed, callerOf } from './auth-middleware.js';
import { jsonBody } from './json-body.js';
import { parsePage, parseSubmissionQuery } from './list-query.js';

/** Express route patterns for the contract's paths (`/forms/:id` for `paths.form(id)`). */
export const routePaths = {
  site: paths.site,
  submissions: paths.submissions,
  submission: paths.submission(':id').replace(encodeURIComponent(':id'), ':id'),
  forms: paths.forms,
  form: paths.form(':id').replace(encodeURIComponent(':id'), ':id'),
} as const;

const idParam = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join('/') : (value ?? ''));

export function apiRoutes(ctx: DomainContext, logger: Logger): Router {
  const router = Router();

  router.get(routePaths.site, allowed('getSite'), (_req, res) => {
    res.json(siteView(ctx, callerOf(res).site));
  });

  router.get(routePaths.submissions, allowed('listSubmissions'), (req, res) => {
    const { page, perPage, ...filter } = parseSubmissionQuery(req.query);
    const items = listSubmissions(ctx, callerOf(res).site.id, filter);
    const result = pageOf(items, { page, perPage });
    res.json({ data: result.data.map((s) => submissionView(ctx, s)), pagination: result.pagination });
  });

  router.get(routePaths.submission, allowed('getSubmission'), (req, res) => {
    res.json(submissionView(ctx, siteSubmission(ctx, callerOf(res).site.id, idParam(req.params.id))));
  });

  router.post(routePaths.submissions, allowed('createSubmission'), jsonBody, (req, res) => {
    const caller = callerOf(res);
    const created = createSubmission(ctx, caller.site.id, req.body ?? {});
    if (created.dropped.length || created.truncated.length || created.discoveredForm) {
      logger.info('submission created with form rules applied', {
        id: created.record.id,
        dropped: created.dropped,
        truncated: created.truncated,
        discovered_form: created.discoveredForm ? created.record.form_id : undefined,
      });
    }
    res.status(201).location(`${req.baseUrl}${paths.submission(created.record.id)}`).json(submissionView(ctx, created.record));
  });

  router.get(routePaths.forms, allowed('listForms'), (req, res) => {
    const result = pageOf(listForms(ctx, callerOf(res).site.id), parsePage(req.query));
    res.json({ data: result.data.map((f) => formView(ctx, f)), pagination: result.pagination });
  });

  router.get(routePaths.form, allowed('getForm'), (req, res) => {
    res.json(formView(ctx, siteForm(ctx, callerOf(res).site.id, idParam(req.params.id))));
  });

  router.patch(routePaths.form, allowed('updateForm'), jsonBody, (req, res) => {
    res.json(formView(ctx, updateForm(ctx, callerOf(res).site.id, idParam(req.params.id), req.body ?? {})));
  });

  return router;
}
