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
  // A bad record key ("fields" with an empty name): zod says only "Invalid key in record" and
  // puts the key itself in the path; name the record and give the key rule's own message.
  const keyIssue = issue?.code === 'invalid_key' ? issue.issues[0] : undefined;
  const at = issue ? (keyIssue ? issue.path.slice(0, -1) : issue.path) : [];
  const path = [rootField, issuePath(at)].filter(Boolean).join('.');
  return invalidInput(path || rootField || 'input', keyIssue?.message ?? issue?.message ?? 'invalid value');
}
