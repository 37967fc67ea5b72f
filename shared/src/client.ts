/**
 * The LeadToSheet API v1 client, written once over the Transport port.
 * Inputs are validated before anything is sent; every answer is parsed through the
 * contract's schemas; every failure becomes a LeadToSheetError.
 */
import { z } from 'zod';
import {
  CreateSubmissionBodySchema,
  FormPageSchema,
  FormSchema,
  MAX_PER_PAGE,
  SiteSchema,
  SubmissionPageSchema,
  SubmissionSchema,
  UpdateFormBodySchema,
  paths,
  submissionQuery,
  unwrapData,
  type FieldValue,
  type Form,
  type Page,
  type Site,
  type Submission,
  type SubmissionMetadata,
} from './contract.js';
import { invalidInput, toLeadToSheetError, unexpectedResponse, type ErrorContext } from './errors.js';
import { paginate, type PaginateOptions } from './pagination.js';
import type { Operation } from './scopes.js';
import type { Transport, TransportRequest } from './transport.js';
import { issuePath, validateInput } from './validation.js';

export interface PageInput {
  page?: number;
  perPage?: number;
}
export interface SubmissionFilter {
  formId?: string;
  /** Inclusive lower bound on created_at: a Date or an ISO 8601 string. */
  since?: string | Date;
  /** Free-text search. */
  q?: string;
}
export type ListSubmissionsInput = PageInput & SubmissionFilter;

export interface CreateSubmissionInput {
  fields: Record<string, FieldValue>;
  /** Form to file the lead under, by name (an unknown name creates the form). */
  formName?: string;
  formId?: string;
  metadata?: SubmissionMetadata;
}

export interface UpdateFormInput {
  name?: string;
  sheetTab?: string;
  ignored?: boolean;
}

export interface ClientOptions {
  /** The key in use, only to name its masked prefix in error messages. */
  key?: string;
  /** The base URL in use, only to name its host in network error messages. */
  baseUrl?: string;
}

const PageInputSchema = z.object({
  page: z.number({ error: 'page must be a whole number from 1' }).int('page must be a whole number from 1').min(1, 'page must be 1 or more').optional(),
  perPage: z
    .number({ error: `per_page must be a whole number from 1 to ${MAX_PER_PAGE}` })
    .int(`per_page must be a whole number from 1 to ${MAX_PER_PAGE}`)
    .min(1, `per_page must be between 1 and ${MAX_PER_PAGE}`)
    .max(MAX_PER_PAGE, `per_page must be between 1 and ${MAX_PER_PAGE}`)
    .optional(),
});

const IdSchema = (what: string) =>
  z.string({ error: `the ${what} id must be text` }).trim().min(1, `the ${what} id is empty`).max(200, `the ${what} id is too long`);

/** A date, or a string starting with YYYY-MM-DD (Date.parse alone reads "1" as 2001-01-01). */
const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}(?:$|[T ])/;

function toIso(field: string, value: string | Date | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const date = value instanceof Date ? value : typeof value === 'string' && ISO_DATE_START.test(value.trim()) ? new Date(value.trim()) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw invalidInput(field, `expected a date and time such as 2026-01-31T09:00:00Z, got "${String(value)}"`);
  }
  return date.toISOString();
}

export class LeadToSheetClient {
  constructor(
    private readonly transport: Transport,
    private readonly options: ClientOptions = {},
  ) {}

  /** Identity and usage of the key's site. Needs no scope: the connection test. */
  async getSite(): Promise<Site> {
    return this.call('getSite', { method: 'GET', path: paths.site, idempotent: true }, SiteSchema, {}, true);
  }

  /** One page of submissions, newest first. */
  async listSubmissions(input: ListSubmissionsInput = {}): Promise<Page<Submission>> {
    const { page, perPage } = validateInput(PageInputSchema, { page: input.page, perPage: input.perPage });
    const formId = input.formId === undefined || input.formId === '' ? undefined : validateInput(IdSchema('form'), input.formId, 'formId');
    const q = input.q === undefined || input.q === '' ? undefined : validateInput(z.string().max(500, 'the search text is longer than 500 characters'), input.q, 'q');
    const query = {
      [submissionQuery.page]: page,
      [submissionQuery.perPage]: perPage,
      [submissionQuery.formId]: formId,
      [submissionQuery.since]: toIso('since', input.since),
      [submissionQuery.q]: q,
    };
    return this.call('listSubmissions', { method: 'GET', path: paths.submissions, query, idempotent: true }, SubmissionPageSchema, {
      resource: formId ? 'form' : undefined,
      id: formId,
    });
  }

  /** Every submission matching the filter, newest first, across pages (hard cap on pages). */
  iterateSubmissions(input: SubmissionFilter & { perPage?: number } & PaginateOptions = {}): AsyncGenerator<Submission> {
    const { maxPages, stopAtCap, ...filter } = input;
    return paginate((page) => this.listSubmissions({ ...filter, page, perPage: filter.perPage ?? MAX_PER_PAGE }), { maxPages, stopAtCap });
  }

  async getSubmission(id: string): Promise<Submission> {
    const clean = validateInput(IdSchema('submission'), id, 'id');
    return this.call('getSubmission', { method: 'GET', path: paths.submission(clean), idempotent: true }, SubmissionSchema, {
      resource: 'submission',
      id: clean,
    }, true);
  }

  /** Creates a lead. Never retried automatically once sent: a retry could duplicate it. */
  async createSubmission(input: CreateSubmissionInput): Promise<Submission> {
    if (!input || typeof input !== 'object') throw invalidInput('fields', 'give the lead\'s fields as name/value pairs');
    if (!input.fields || typeof input.fields !== 'object' || Object.keys(input.fields).length === 0) {
      throw invalidInput('fields', 'at least one field is required, for example { "Email": "alice@example.com" }');
    }
    const body = validateInput(CreateSubmissionBodySchema, {
      fields: input.fields,
      form_name: input.formName === '' ? undefined : input.formName,
      form_id: input.formId === '' ? undefined : input.formId,
      metadata: input.metadata && Object.keys(input.metadata).length ? input.metadata : undefined,
    });
    return this.call('createSubmission', { method: 'POST', path: paths.submissions, body, idempotent: false }, SubmissionSchema, {
      resource: body.form_id ? 'form' : undefined,
      id: body.form_id,
    }, true);
  }

  async listForms(input: PageInput = {}): Promise<Page<Form>> {
    const { page, perPage } = validateInput(PageInputSchema, { page: input.page, perPage: input.perPage });
    return this.call('listForms', { method: 'GET', path: paths.forms, query: { page, per_page: perPage }, idempotent: true }, FormPageSchema);
  }

  iterateForms(input: { perPage?: number } & PaginateOptions = {}): AsyncGenerator<Form> {
    const { maxPages, stopAtCap, perPage } = input;
    return paginate((page) => this.listForms({ page, perPage: perPage ?? MAX_PER_PAGE }), { maxPages, stopAtCap });
  }

  async getForm(id: string): Promise<Form> {
    const clean = validateInput(IdSchema('form'), id, 'id');
    return this.call('getForm', { method: 'GET', path: paths.form(clean), idempotent: true }, FormSchema, { resource: 'form', id: clean }, true);
  }

  /** Renames a form, changes its sheet tab or (un)ignores it. Refuses an empty update. */
  async updateForm(id: string, input: UpdateFormInput): Promise<Form> {
    const clean = validateInput(IdSchema('form'), id, 'id');
    const body = validateInput(UpdateFormBodySchema, {
      name: input?.name === '' ? undefined : input?.name,
      sheet_tab: input?.sheetTab === '' ? undefined : input?.sheetTab,
      ignored: input?.ignored,
    });
    // PATCH is idempotent: the same update twice leaves the same form.
    return this.call('updateForm', { method: 'PATCH', path: paths.form(clean), body, idempotent: true }, FormSchema, {
      resource: 'form',
      id: clean,
    }, true);
  }

  private async call<T extends z.ZodType>(
    operation: Operation,
    request: TransportRequest,
    schema: T,
    ctx: Omit<ErrorContext, 'operation' | 'key' | 'baseUrl'> = {},
    unwrap = false,
  ): Promise<z.infer<T>> {
    const errorCtx: ErrorContext = { ...ctx, operation, key: this.options.key, baseUrl: this.options.baseUrl };
    let response;
    try {
      response = await this.transport.send(request);
    } catch (err) {
      throw toLeadToSheetError(err, errorCtx);
    }
    if (response.status < 200 || response.status >= 300) throw toLeadToSheetError(response, errorCtx);
    const parsed = schema.safeParse(unwrap ? unwrapData(response.body) : response.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw unexpectedResponse(operation, `${issue ? issuePath(issue.path) || 'body' : 'body'}: ${issue?.message ?? 'does not match'}`);
    }
    return parsed.data;
  }
}
