/**
 * Submissions (leads). Creating one applies LeadToSheet's documented form rules (values
 * capped at 10,000 characters, sensitive field names dropped), files it under the form
 * it names (an unknown name creates the form) and stores it; everything is checked first,
 * so a refused request stores nothing.
 */
import {
  CreateSubmissionBodySchema,
  applyFormRules,
  type Submission,
} from '@leadtosheet/shared';
import { z } from 'zod';
import { newId } from '../ids.js';
import type { FormRecord, SubmissionRecord } from '../store/records.js';
import type { DomainContext } from './context.js';
import { DEFAULT_FORM_NAME, formNamed, newForm, siteForm } from './forms.js';
import { notFound, unprocessable } from './sandbox-error.js';
import { requireSite } from './sites.js';
import { parseOrReject } from './validate.js';

export interface CreateOptions {
  /** Arrival time to record instead of now (admin API and tests only). */
  createdAt?: string | Date;
}

export interface CreatedSubmission {
  record: SubmissionRecord;
  /** Field names dropped as sensitive. */
  dropped: string[];
  /** Field names whose value was cut to FIELD_VALUE_MAX_CHARS. */
  truncated: string[];
  /** True when the request's form_name created a new form. */
  discoveredForm: boolean;
}

const CreatedAtSchema = z.union([z.date(), z.iso.datetime({ offset: true, error: 'created_at must be an ISO 8601 date and time' })]);

export const submissionView = (ctx: DomainContext, s: SubmissionRecord): Submission => ({
  id: s.id,
  form_id: s.form_id,
  form_name: ctx.store.form(s.form_id)?.name ?? null,
  fields: s.fields,
  metadata: s.metadata,
  is_spam: s.is_spam,
  created_at: s.created_at,
});

export function createSubmission(ctx: DomainContext, siteId: string, body: unknown, options: CreateOptions = {}): CreatedSubmission {
  requireSite(ctx, siteId);
  const input = parseOrReject(CreateSubmissionBodySchema, body, 'The submission');
  const createdAt = options.createdAt === undefined ? ctx.now() : new Date(parseOrReject(CreatedAtSchema, options.createdAt, 'created_at', 'created_at'));

  let form: FormRecord | undefined;
  let discoveredForm = false;
  if (input.form_id !== undefined) {
    form = siteForm(ctx, siteId, input.form_id);
  } else {
    const name = input.form_name ?? DEFAULT_FORM_NAME;
    form = formNamed(ctx, siteId, name);
    if (!form) {
      form = newForm(ctx, siteId, { name });
      discoveredForm = true;
    }
  }

  const { fields, dropped, truncated } = applyFormRules(input.fields);
  if (Object.keys(fields).length === 0) {
    const names = dropped.map((n) => `"${n}"`).join(', ');
    throw unprocessable(
      `Nothing would be stored: every field was dropped because ${names} ${dropped.length === 1 ? 'is a sensitive field name' : 'are sensitive field names'} (passwords, card numbers, security codes and the like are never stored).`,
      dropped.map((field) => ({ field: `fields.${field}`, message: 'sensitive field name: never stored' })),
    );
  }

  const metadata = Object.fromEntries(Object.entries(input.metadata ?? {}).filter(([, v]) => v !== undefined));
  const record: SubmissionRecord = {
    id: newId('submission', ctx.now().getTime()),
    site_id: siteId,
    form_id: form.id,
    fields,
    metadata,
    is_spam: false,
    created_at: createdAt.toISOString(),
  };
  const formToAdd = discoveredForm ? form : undefined;
  ctx.store.mutate(() => {
    if (formToAdd) ctx.store.addForm(formToAdd);
    ctx.store.addSubmission(record);
  });
  return { record, dropped, truncated, discoveredForm };
}

export function siteSubmission(ctx: DomainContext, siteId: string, id: string): SubmissionRecord {
  const submission = ctx.store.submission(id);
  if (!submission || submission.site_id !== siteId) throw notFound('submission', id);
  return submission;
}

export interface SubmissionFilter {
  formId?: string;
  /** Inclusive lower bound on created_at, in ms. */
  sinceMs?: number;
  /** Case-insensitive text to find in a field value or the form's name. */
  q?: string;
}

const fieldText = (value: unknown): string => (Array.isArray(value) ? value.join(' ') : value === null ? '' : String(value));

/** Newest first; the same created_at is broken by id, newest id first. */
export function listSubmissions(ctx: DomainContext, siteId: string, filter: SubmissionFilter = {}): SubmissionRecord[] {
  if (filter.formId !== undefined) siteForm(ctx, siteId, filter.formId);
  const q = filter.q?.trim().toLowerCase();
  // created_at is parsed once per record, not in every comparison: a list of 10,000 costs a
  // few milliseconds, not tens (the bridge's benchmark reads such lists page after page).
  return ctx.store
    .submissionsOf(siteId)
    .filter((s) => filter.formId === undefined || s.form_id === filter.formId)
    .map((s) => ({ s, at: Date.parse(s.created_at) }))
    .filter(({ at }) => filter.sinceMs === undefined || at >= filter.sinceMs)
    .filter(({ s }) => {
      if (!q) return true;
      const formName = ctx.store.form(s.form_id)?.name ?? '';
      return formName.toLowerCase().includes(q) || Object.values(s.fields).some((v) => fieldText(v).toLowerCase().includes(q));
    })
    .sort((a, b) => b.at - a.at || (a.s.id < b.s.id ? 1 : a.s.id > b.s.id ? -1 : 0))
    .map(({ s }) => s);
}

