/** Sites: one per LeadToSheet account site. A key belongs to exactly one site. */
import { errorCodes } from '@leadtosheet/shared';
import { z } from 'zod';
import { newId } from '../ids.js';
import type { SiteRecord } from '../store/records.js';
import type { DomainContext } from './context.js';
import { SandboxError } from './sandbox-error.js';
import { parseOrReject } from './validate.js';

export const CreateSiteInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'domain must be a host name such as acme.example')
    .nullish(),
});
export type CreateSiteInput = z.input<typeof CreateSiteInputSchema>;

/** Usage figures under `usage` on GET /site: what the sandbox counts for the site. */
export const SiteUsageSchema = z.looseObject({
  submissions: z.number().int().nonnegative(),
  forms: z.number().int().nonnegative(),
});
export type SiteUsage = z.infer<typeof SiteUsageSchema>;

export function createSite(ctx: DomainContext, input: CreateSiteInput): SiteRecord {
  const clean = parseOrReject(CreateSiteInputSchema, input, 'The site');
  const now = ctx.now();
  const record: SiteRecord = { id: newId('site', now.getTime()), name: clean.name, domain: clean.domain ?? null, created_at: now.toISOString() };
  return ctx.store.mutate(() => {
    ctx.store.addSite(record);
    return record;
  });
}

export function requireSite(ctx: DomainContext, siteId: string): SiteRecord {
  const site = ctx.store.site(siteId);
  if (!site) throw new SandboxError({ status: 404, code: errorCodes.notFound, message: `No site with id "${siteId.slice(0, 100)}".` });
  return site;
}

export const siteUsage = (ctx: DomainContext, siteId: string): SiteUsage => ({
  submissions: ctx.store.submissionsOf(siteId).length,
  forms: ctx.store.formsOf(siteId).length,
});

/** The site as GET /site answers it. */
export const siteView = (ctx: DomainContext, site: SiteRecord) => ({
  id: site.id,
  name: site.name,
  domain: site.domain,
  created_at: site.created_at,
  usage: siteUsage(ctx, site.id),
});
