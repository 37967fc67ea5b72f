/**
 * Forms of a site. A form is created when the first lead names it ("discovered"), or by
 * the admin API; the API can rename it, change its sheet tab or (un)ignore it.
 */
import { UpdateFormBodySchema, type Form, type UpdateFormBody } from '@leadtosheet/shared';
import { z } from 'zod';
import { newId } from '../ids.js';
import type { FormRecord } from '../store/records.js';
import type { DomainContext } from './context.js';
import { notFound } from './sandbox-error.js';
import { requireSite } from './sites.js';
import { parseOrReject } from './validate.js';

/** Where leads go when the request names no form. */
export const DEFAULT_FORM_NAME = 'API';

export const CreateFormInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  sheet_tab: z.string().trim().min(1).max(100).optional(),
  ignored: z.boolean().optional(),
});
export type CreateFormInput = z.input<typeof CreateFormInputSchema>;

/** The form as the API answers it. */
export const formView = (ctx: DomainContext, form: FormRecord): Form & { submission_count: number } => ({
  id: form.id,
  name: form.name,
  sheet_tab: form.sheet_tab,
  ignored: form.ignored,
  created_at: form.created_at,
  updated_at: form.updated_at,
  submission_count: ctx.store.submissionsOf(form.site_id).filter((s) => s.form_id === form.id).length,
});

/** A new form record, not yet stored. */
export function newForm(ctx: DomainContext, siteId: string, input: CreateFormInput): FormRecord {
  const clean = parseOrReject(CreateFormInputSchema, input, 'The form');
  const now = ctx.now();
  return {
    id: newId('form', now.getTime()),
    site_id: siteId,
    name: clean.name,
    sheet_tab: clean.sheet_tab ?? clean.name.slice(0, 100),
    ignored: clean.ignored ?? false,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
}

export function createForm(ctx: DomainContext, siteId: string, input: CreateFormInput): FormRecord {
  requireSite(ctx, siteId);
  const record = newForm(ctx, siteId, input);
  ctx.store.mutate(() => ctx.store.addForm(record));
  return record;
}

/** The site's form with this id; another site's form is "not found" just the same. */
export function siteForm(ctx: DomainContext, siteId: string, formId: string): FormRecord {
  const form = ctx.store.form(formId);
  if (!form || form.site_id !== siteId) throw notFound('form', formId);
  return form;
}

/** The site's form with this name (trimmed, case-insensitive), if any. */
export function formNamed(ctx: DomainContext, siteId: string, name: string): FormRecord | undefined {
  const wanted = name.trim().toLowerCase();
  return ctx.store.formsOf(siteId).find((f) => f.name.toLowerCase() === wanted);
}

/** Oldest first: the order forms were discovered in. */
export const listForms = (ctx: DomainContext, siteId: string): FormRecord[] =>
  ctx.store.formsOf(siteId).sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1));

export function updateForm(ctx: DomainContext, siteId: string, formId: string, body: unknown): FormRecord {
  const form = siteForm(ctx, siteId, formId);
  const patch: UpdateFormBody = parseOrReject(UpdateFormBodySchema, body, 'The form update');
  return ctx.store.mutate(() => {
    if (patch.name !== undefined) form.name = patch.name;
    if (patch.sheet_tab !== undefined) form.sheet_tab = patch.sheet_tab;
    if (patch.ignored !== undefined) form.ignored = patch.ignored;
    form.updated_at = ctx.now().toISOString();
    return form;
  });
}
