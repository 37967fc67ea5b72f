/**
 * The ASSUMED part of LeadToSheet API v1, in one place (see shared/API-CONTRACT.md).
 *
 * Everything here is our working guess until checked against a live account by the
 * contract check. A correction is a one-file change. Parsing is lenient: unknown fields
 * pass through untouched (`z.looseObject`), optional fields may be missing.
 * Documented facts (scopes, key shape, field cap) live in scopes.ts and keys.ts.
 */
import { z } from 'zod';

/** Paths, relative to the base URL (which ends in /api/v1). */
export const paths = {
  site: '/site',
  submissions: '/submissions',
  submission: (id: string) => `/submissions/${encodeURIComponent(id)}`,
  forms: '/forms',
  form: (id: string) => `/forms/${encodeURIComponent(id)}`,
  openapi: '/openapi.json',
} as const;

/** Documented default base URL; everything makes it configurable. */
export const DEFAULT_BASE_URL = 'https://www.leadtosheet.com/api/v1';

/** Largest `per_page` the API accepts. */
export const MAX_PER_PAGE = 100;
/** `per_page` used when none is given. */
export const DEFAULT_PER_PAGE = 25;

/** A submitted field value. */
export const FieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()], {
  error: 'a field value must be text, a number, true/false, a list of texts or null',
});
export type FieldValue = z.infer<typeof FieldValueSchema>;

/**
 * A field value as read from a response: a shape we do not expect (an object from a file
 * upload, a list of numbers) becomes text rather than a rejected lead, so one odd lead can
 * never block a list or a poll.
 */
export const ResponseFieldValueSchema = z.preprocess((value) => {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value;
}, FieldValueSchema);

/** Submission metadata: attribution and browser data, all optional, extra keys kept. */
export const metadataKeys = [
  'page_url',
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'gclid',
  'fbclid',
  'user_agent',
  'ip',
] as const;
export type MetadataKey = (typeof metadataKeys)[number];

/** Words for the metadata keys, for every product's inputs and outputs. */
export const metadataLabels: Record<MetadataKey, string> = {
  page_url: 'Page URL',
  referrer: 'Referrer',
  utm_source: 'UTM Source',
  utm_medium: 'UTM Medium',
  utm_campaign: 'UTM Campaign',
  utm_term: 'UTM Term',
  utm_content: 'UTM Content',
  gclid: 'Google Ads Click ID (gclid)',
  fbclid: 'Facebook Click ID (fbclid)',
  user_agent: 'Browser (User Agent)',
  ip: 'IP Address',
};

export const SubmissionMetadataSchema = z.looseObject(
  Object.fromEntries(metadataKeys.map((k) => [k, z.string().nullish()])) as Record<
    MetadataKey,
    z.ZodOptional<z.ZodNullable<z.ZodString>>
  >,
);
export type SubmissionMetadata = z.infer<typeof SubmissionMetadataSchema>;

/**
 * Ids: text, or a number turned into text. Not `z.coerce.string()` alone, which would turn
 * `null` into "null" and a missing id into "undefined".
 */
const Id = z.union([z.string(), z.number()]).pipe(z.coerce.string());

/** ISO 8601 timestamps, kept as strings (lenient on offset form). */
const Timestamp = z.iso.datetime({ offset: true });

export const SubmissionSchema = z.looseObject({
  id: Id,
  form_id: Id.nullish(),
  form_name: z.string().nullish(),
  fields: z.record(z.string(), ResponseFieldValueSchema),
  created_at: Timestamp,
  metadata: SubmissionMetadataSchema.nullish(),
  is_spam: z.boolean().nullish(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

export const FormSchema = z.looseObject({
  id: Id,
  name: z.string(),
  sheet_tab: z.string().nullish(),
  ignored: z.boolean(),
  created_at: Timestamp.nullish(),
  updated_at: Timestamp.nullish(),
  submission_count: z.number().int().nonnegative().nullish(),
});
export type Form = z.infer<typeof FormSchema>;

export const SiteSchema = z.looseObject({
  id: Id,
  name: z.string(),
  domain: z.string().nullish(),
  usage: z.looseObject({}).nullish(),
});
export type Site = z.infer<typeof SiteSchema>;

export const PaginationSchema = z.looseObject({
  page: z.number().int().positive(),
  per_page: z.number().int().positive(),
  total: z.number().int().nonnegative(),
  total_pages: z.number().int().nonnegative(),
});
export type Pagination = z.infer<typeof PaginationSchema>;

/** `{ data: [...], pagination: {...} }`, as every list answers. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({ data: z.array(item), pagination: PaginationSchema });
export type Page<T> = { data: T[]; pagination: Pagination };

export const SubmissionPageSchema = pageSchema(SubmissionSchema);
export const FormPageSchema = pageSchema(FormSchema);

/** Some single-object endpoints may wrap the object in `{ data }`; accept both. */
export const unwrapData = (body: unknown): unknown =>
  body && typeof body === 'object' && !Array.isArray(body) && 'data' in body && !('id' in body)
    ? (body as { data: unknown }).data
    : body;

/** Error codes by status. */
export const errorCodes = {
  validation: 'validation_error',
  invalidToken: 'invalid_token',
  insufficientScope: 'insufficient_scope',
  notFound: 'not_found',
  rateLimited: 'rate_limited',
  internal: 'internal_error',
} as const;

export const ErrorDetailSchema = z.looseObject({
  field: z.string().nullish(),
  message: z.string().nullish(),
});
/** Lenient on the optional parts: an odd `details` must not cost us the code and message. */
export const ErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    details: z.array(ErrorDetailSchema).nullish().catch(undefined),
    required_scope: z.string().nullish().catch(undefined),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Query parameter names of the submissions list. */
export const submissionQuery = {
  page: 'page',
  perPage: 'per_page',
  formId: 'form_id',
  since: 'since',
  q: 'q',
} as const;

/** Request bodies. Field names and limits here, reused by the client and the sandbox. */
export const CreateSubmissionBodySchema = z.strictObject({
  fields: z
    .record(z.string().trim().min(1, 'field names must not be empty').max(200), FieldValueSchema)
    .refine((f) => Object.keys(f).length > 0, { message: 'at least one field is required' }),
  form_name: z.string().trim().min(1, 'form_name must not be empty').max(200).optional(),
  form_id: z.string().min(1, 'form_id must not be empty').optional(),
  metadata: SubmissionMetadataSchema.optional(),
});
export type CreateSubmissionBody = z.infer<typeof CreateSubmissionBodySchema>;

export const UpdateFormBodySchema = z
  .strictObject({
    name: z.string().trim().min(1, 'name must not be empty').max(200).optional(),
    sheet_tab: z.string().trim().min(1, 'sheet_tab must not be empty').max(100).optional(),
    ignored: z.boolean().optional(),
  })
  .refine((b) => b.name !== undefined || b.sheet_tab !== undefined || b.ignored !== undefined, {
    message: 'nothing to update: give at least one of name, sheet_tab, ignored',
  });
export type UpdateFormBody = z.infer<typeof UpdateFormBodySchema>;
