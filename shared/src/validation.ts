/** Turns a zod failure into the client's one error type, naming the field at fault. */
import type { z } from 'zod';
import { invalidInput, type LeadToSheetError } from './errors.js';

export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** Validates `value`; on failure throws `invalid_input` naming the first field at fault. */
export function validateInput<T extends z.ZodType>(schema: T, value: unknown, rootField?: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw inputErrorFrom(result.error, rootField);
}

export function inputErrorFrom(error: z.ZodError, rootField?: string): LeadToSheetError {
  const issue = error.issues[0];
  const path = [rootField, issue ? issuePath(issue.path) : ''].filter(Boolean).join('.');
  return invalidInput(path || rootField || 'input', issue?.message ?? 'invalid value');
}
