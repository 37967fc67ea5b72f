/**
 * Query parameters of the lists: page, per_page (max MAX_PER_PAGE), and for submissions
 * form_id, since (ISO 8601, inclusive) and q. Unknown parameters are ignored; a bad value
 * is 422 validation_error naming the parameter. The numeric rules are zod schemas used
 * both here and in the OpenAPI document.
 */
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, submissionQuery } from '@leadtosheet/shared';
import { z } from 'zod';
import { parseOrReject } from '../domain/validate.js';
import type { PageRequest } from '../domain/paginate.js';
import type { SubmissionFilter } from '../domain/submissions.js';

export const MAX_QUERY_TEXT = 500;

const tooSmall = (name: string, min: number) => (iss: { input?: unknown }) => `${name} must be ${min} or more (got ${String(iss.input)})`;

export const PageNumberSchema = z.number().int().min(1, { error: tooSmall('page', 1) }).default(1);
export const PerPageNumberSchema = z
  .number()
  .int()
  .min(1, { error: tooSmall('per_page', 1) })
  .max(MAX_PER_PAGE, { error: (iss) => `per_page must be at most ${MAX_PER_PAGE} (got ${String(iss.input)})` })
  .default(DEFAULT_PER_PAGE);
export const SinceSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'since must be an ISO 8601 date and time such as 2026-01-31T09:00:00Z (or a date such as 2026-01-31)',
});
export const QSchema = z.string().max(MAX_QUERY_TEXT, `q must be at most ${MAX_QUERY_TEXT} characters`);
export const FormIdSchema = z.string().min(1, 'form_id must not be empty').max(200);

/** A single query value (not repeated), as text. */
const one = (name: string) =>
  z.string({ error: (iss) => (Array.isArray(iss.input) ? `give ${name} only once` : `${name} must be text`) });

const wholeNumber = (name: string, inner: z.ZodType<number, number>) =>
  one(name)
    .regex(/^-?\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(inner);

const PageQuerySchema = z.object({
  page: wholeNumber('page', PageNumberSchema.unwrap()).optional(),
  per_page: wholeNumber('per_page', PerPageNumberSchema.unwrap()).optional(),
});

const SubmissionQuerySchema = PageQuerySchema.extend({
  [submissionQuery.formId]: one('form_id').pipe(FormIdSchema).optional(),
  [submissionQuery.since]: one('since').pipe(SinceSchema).optional(),
  [submissionQuery.q]: one('q').pipe(QSchema).optional(),
});

export function parsePage(query: unknown): PageRequest {
  const q = parseOrReject(PageQuerySchema, query, 'The query', 'query');
  return { page: q.page ?? 1, perPage: q.per_page ?? DEFAULT_PER_PAGE };
}

export function parseSubmissionQuery(query: unknown): PageRequest & SubmissionFilter {
  const q = parseOrReject(SubmissionQuerySchema, query, 'The query', 'query');
  return {
    page: q.page ?? 1,
    perPage: q.per_page ?? DEFAULT_PER_PAGE,
    ...(q.form_id !== undefined ? { formId: q.form_id } : {}),
    ...(q.since !== undefined ? { sinceMs: Date.parse(q.since) } : {}),
    ...(q.q !== undefined && q.q.trim() !== '' ? { q: q.q } : {}),
  };
}
