/**
 * zod failures turned into the contract's 422 answer, with one `details` entry per field
 * at fault (unknown keys are named one by one), so the caller can fix every problem at once.
 */
import type { z } from 'zod';
import { unprocessable, type ErrorDetail } from './sandbox-error.js';

const pathText = (path: readonly PropertyKey[]) => path.map(String).join('.');

export function zodDetails(error: z.ZodError, root = 'body'): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] => {
    const at = pathText(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: at ? `${at}.${key}` : key,
        message: `unknown field "${key}": it is not accepted here`,
      }));
    }
    return [{ field: at || root, message: issue.message }];
  });
}

/** Parses `value`, or throws 422 validation_error naming each field at fault. */
export function parseOrReject<T extends z.ZodType>(schema: T, value: unknown, what: string, root = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = zodDetails(result.error, root);
  const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  throw unprocessable(`${what} is invalid: ${summary}`, details);
}
