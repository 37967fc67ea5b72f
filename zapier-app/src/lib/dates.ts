/** Date inputs: Zapier sends ISO 8601 text; anything else is named back to the user. */
import { invalidInput } from '@leadtosheet/shared';

export function optionalDate(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    throw invalidInput(field, `expected a date and time such as 2026-01-31T09:00:00Z, got "${String(value)}"`);
  }
  return date;
}
