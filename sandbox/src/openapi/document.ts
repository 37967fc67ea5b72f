/**
 * The OpenAPI 3.1 document served at GET /api/v1/openapi.json: every path, method and
 * status the sandbox answers, with schemas generated from shared's zod schemas.
 */
import { MAX_PER_PAGE, FIELD_VALUE_MAX_CHARS, operationScopes, paths, scopeDescriptions, scopes, submissionQuery, type Operation } from '@leadtosheet/shared';
import { DEFAULT_FORM_NAME } from '../domain/forms.js';
import { BODY_LIMIT_TEXT } from '../http/json-body.js';
import { FormIdSchema, PageNumberSchema, PerPageNumberSchema, QSchema, SinceSchema } from '../http/list-query.js';
import { componentSchemas, jsonSchemaOf, type ErrorComponent } from './schemas.js';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json) => ({ 'application/json': { schema } });
const template = (path: (id: string) => string) => path('{id}').replace(encodeURIComponent('{id}'), '{id}');

const errorStatus: Record<number, { component: ErrorComponent; description: string; headers?: Json }> = {
  400: { component: 'ValidationError', description: `The body is not JSON, or larger than ${BODY_LIMIT_TEXT}.` },
  401: {
    component: 'InvalidTokenError',
    description: 'The key is missing, malformed, unknown, revoked or expired.',
    headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' } },
  },
  403: {
    component: 'InsufficientScopeError',
    description: 'The key lacks the scope the operation needs (named in message and required_scope).',
    headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' } },
  },
  404: { component: 'NotFoundError', description: "No such id on the key's site (another site's ids are not found either)." },
  422: { component: 'ValidationError', description: 'The input is well-formed but wrong: details names each field at fault.' },
  429: {
    component: 'RateLimitedError',
    description: 'Too many requests for this key: wait Retry-After seconds.',
    headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
  },
  500: { component: 'InternalError', description: 'An internal error: safe to retry later.' },
};

function errors(...statuses: number[]): Json {
  return Object.fromEntries(
    [...statuses, 401, 429, 500].sort((a, b) => a - b).map((status) => {
      const e = errorStatus[status]!;
      return [String(status), { description: e.description, ...(e.headers ? { headers: e.headers } : {}), content: json(ref(e.component)) }];
    }),
  );
}

function operation(op: Operation, summary: string, rest: Json): Json {
  const scope = operationScopes[op];
  return {
    operationId: op,
    summary,
    description: `${scope ? `Needs the \`${scope}\` scope.` : 'Any valid key.'}${rest.description ? ` ${String(rest.description)}` : ''}`,
    security: [{ bearerAuth: scope ? [scope] : [] }],
    ...rest,
  };
}

const query = (name: string, description: string, schema: Json) => ({ name, in: 'query', required: false, description, schema });
const idParameter = (what: string) => ({ name: 'id', in: 'path', required: true, description: `The ${what} id.`, schema: { type: 'string' } });
const pageParameters = [
  query('page', 'Page number, from 1. A page past the end is empty.', jsonSchemaOf(PageNumberSchema)),
  query('per_page', `Items per page, 1 to ${MAX_PER_PAGE}.`, jsonSchemaOf(PerPageNumberSchema)),
];

function buildDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'LeadToSheet API v1 (local sandbox)',
      version: '1.0.0',
      description:
        'The LeadToSheet REST API v1 as this project assumes it (shared/contract.ts), served by the local sandbox. ' +
        'Every request sends `Authorization: Bearer lts_…`; a key belongs to one site and carries scopes.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    paths: {
      [paths.site]: {
        get: operation('getSite', "The key's site: identity and usage", { responses: { 200: { description: 'The site.', content: json(ref('Site')) }, ...errors() } }),
      },
      [paths.submissions]: {
        get: operation('listSubmissions', 'List submissions, newest first', {
          description: 'Ties on created_at are ordered by id, newest first. Filters combine.',
          parameters: [
            ...pageParameters,
            query(submissionQuery.formId, 'Only this form (404 when the form is not on the site).', jsonSchemaOf(FormIdSchema)),
            query(submissionQuery.since, 'Only submissions created at or after this time (inclusive).', jsonSchemaOf(SinceSchema)),
            query(submissionQuery.q, 'Case-insensitive text to find in a field value or the form name.', jsonSchemaOf(QSchema)),
          ],
          responses: { 200: { description: 'One page of submissions.', content: json(ref('SubmissionPage')) }, ...errors(403, 404, 422) },
        }),
        post: operation('createSubmission', 'Create a submission (lead)', {
          description:
            `Field values longer than ${FIELD_VALUE_MAX_CHARS} characters are truncated; sensitive field names (password, cvc, ssn, card number, ...) are dropped, ` +
            `and a request left with no field is refused (422). form_id must exist (404); an unknown form_name creates the form; with neither, the "${DEFAULT_FORM_NAME}" form is used.`,
          requestBody: { required: true, content: json(ref('CreateSubmissionBody')) },
          responses: {
            201: {
              description: 'The created submission.',
              headers: { Location: { description: 'The new submission.', schema: { type: 'string' } } },
              content: json(ref('Submission')),
            },
            ...errors(400, 403, 404, 422),
          },
        }),
      },
      [template(paths.submission)]: {
        get: operation('getSubmission', 'Get one submission', {
          parameters: [idParameter('submission')],
          responses: { 200: { description: 'The submission.', content: json(ref('Submission')) }, ...errors(403, 404) },
        }),
      },
      [paths.forms]: {
        get: operation('listForms', 'List forms, oldest first', {
          parameters: pageParameters,
          responses: { 200: { description: 'One page of forms.', content: json(ref('FormPage')) }, ...errors(403, 422) },
        }),
      },
      [template(paths.form)]: {
        get: operation('getForm', 'Get one form', {
          parameters: [idParameter('form')],
          responses: { 200: { description: 'The form.', content: json(ref('Form')) }, ...errors(403, 404) },
        }),
        patch: operation('updateForm', 'Rename a form, change its sheet tab or (un)ignore it', {
          parameters: [idParameter('form')],
          requestBody: { required: true, content: json(ref('UpdateFormBody')) },
          responses: { 200: { description: 'The updated form.', content: json(ref('Form')) }, ...errors(400, 403, 404, 422) },
        }),
      },
      [paths.openapi]: {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document',
          security: [],
          responses: { 200: { description: 'The OpenAPI 3.1 document.', content: json({ type: 'object', required: ['openapi', 'paths'] }) } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'lts_<secret>',
          description: `A LeadToSheet API key. Scopes: ${scopes.map((s) => `\`${s}\` (${scopeDescriptions[s]})`).join(', ')}.`,
        },
      },
      headers: {
        'WWW-Authenticate': { description: 'Bearer challenge naming the error.', schema: { type: 'string' } },
        'Retry-After': { description: 'Seconds to wait before the next request.', schema: { type: 'integer', minimum: 0 } },
      },
      schemas: componentSchemas(),
    },
  };
}

let cached: Json | undefined;

/** The document (built once; it only depends on shared's schemas). */
export function openApiDocument(): Json {
  cached ??= buildDocument();
  return cached;
}
