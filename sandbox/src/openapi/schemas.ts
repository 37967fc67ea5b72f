/**
 * The OpenAPI components, generated from shared's zod schemas with zod 4's
 * `z.toJSONSchema` (JSON Schema 2020-12, the dialect of OpenAPI 3.1), never written by
 * hand. Response schemas are shared's lenient ones with every field made required (the
 * sandbox always sends them all); each error status gets the error body with its code.
 */
import {
  CreateSubmissionBodySchema,
  ErrorBodySchema,
  FormSchema,
  PaginationSchema,
  SiteSchema,
  SubmissionSchema,
  UpdateFormBodySchema,
  errorCodes,
  pageSchema,
  scopes,
} from '@leadtosheet/shared';
import { z } from 'zod';
import { SiteUsageSchema } from '../domain/sites.js';

type JsonSchema = Record<string, unknown>;

const errorBodyWith = (code: string, extra: Record<string, z.ZodType> = {}) =>
  z.looseObject({ error: ErrorBodySchema.shape.error.extend({ code: z.literal(code), ...extra }) });

/** Component name -> error code, for each error answer the sandbox gives. */
export const errorComponents = {
  ValidationError: errorCodes.validation,
  InvalidTokenError: errorCodes.invalidToken,
  InsufficientScopeError: errorCodes.insufficientScope,
  NotFoundError: errorCodes.notFound,
  RateLimitedError: errorCodes.rateLimited,
  InternalError: errorCodes.internal,
} as const;
export type ErrorComponent = keyof typeof errorComponents;

function responseRegistry() {
  const registry = z.registry<{ id: string; description?: string }>();
  const Submission = SubmissionSchema.required();
  const Form = FormSchema.required();
  registry.add(SiteSchema.extend({ usage: SiteUsageSchema }).required(), { id: 'Site', description: "The key's site, with usage counts." });
  registry.add(Submission, { id: 'Submission', description: 'A submission (lead).' });
  registry.add(Form, { id: 'Form', description: 'A form of the site.' });
  registry.add(PaginationSchema, { id: 'Pagination' });
  registry.add(pageSchema(Submission), { id: 'SubmissionPage', description: 'One page of submissions, newest first.' });
  registry.add(pageSchema(Form), { id: 'FormPage', description: 'One page of forms, oldest first.' });
  registry.add(ErrorBodySchema, { id: 'Error', description: 'The one error body of every error answer.' });
  for (const [id, code] of Object.entries(errorComponents)) {
    const extra: Record<string, z.ZodType> = code === errorCodes.insufficientScope ? { required_scope: z.enum(scopes) } : {};
    registry.add(errorBodyWith(code, extra), { id, description: `Error body with code "${code}".` });
  }
  return registry;
}

function requestRegistry() {
  const registry = z.registry<{ id: string; description?: string }>();
  registry.add(CreateSubmissionBodySchema, {
    id: 'CreateSubmissionBody',
    description: 'fields is required and must not be empty; form_id (an existing form) or form_name (created when unknown) chooses the form.',
  });
  registry.add(UpdateFormBodySchema, { id: 'UpdateFormBody', description: 'Any non-empty subset of name, sheet_tab, ignored.' });
  return registry;
}

const uri = (id: string) => `#/components/schemas/${id}`;

function generate(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, uri, unrepresentable: 'any' });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

/** Every component schema: responses (output shapes) and request bodies (input shapes). */
export const componentSchemas = (): Record<string, JsonSchema> => ({
  ...generate(responseRegistry(), 'output'),
  ...generate(requestRegistry(), 'input'),
});

/** A single zod schema as a JSON Schema (query parameters). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}
