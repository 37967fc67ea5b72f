/**
 * A submission as Zapier shows it: each submitted field becomes a top-level key named by
 * its label ("Email", "Full name"), next to id, form, date and metadata. A label that
 * would overwrite one of those gets a "field_" prefix instead.
 */
import type { Submission } from '@leadtosheet/shared';

export type ZapierSubmission = { id: string; created_at: string } & Record<string, unknown>;

/** Keys a submitted field may never take. */
export const RESERVED_KEYS = new Set(['id', 'form_id', 'form_name', 'created_at', 'metadata', 'is_spam', 'fields']);

export const fieldKey = (label: string, taken: ReadonlySet<string> = RESERVED_KEYS): string =>
  label === '' || taken.has(label) ? `field_${label}` : label;

export function flattenSubmission(submission: Submission): ZapierSubmission {
  const { fields, ...rest } = submission;
  const taken = new Set([...RESERVED_KEYS, ...Object.keys(rest)]);
  const out: ZapierSubmission = { ...rest };
  for (const [label, value] of Object.entries(fields)) out[fieldKey(label, taken)] = value;
  return out;
}
