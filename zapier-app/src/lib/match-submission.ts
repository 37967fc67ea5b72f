/**
 * Does a submission hold this value? Whole values, ignoring case and surrounding spaces,
 * in one named field or in any field; a multi-value field matches if one value does.
 */
import type { FieldValue, Submission } from '@leadtosheet/shared';

const normal = (v: unknown) => String(v).trim().toLowerCase();

const holds = (value: FieldValue, wanted: string) =>
  Array.isArray(value) ? value.some((v) => normal(v) === wanted) : value !== null && normal(value) === wanted;

export function submissionHolds(submission: Submission, value: string, field?: string): boolean {
  const wanted = normal(value);
  const inField = field ? normal(field) : undefined;
  return Object.entries(submission.fields).some(
    ([label, v]) => (inField === undefined || normal(label) === inField) && holds(v, wanted),
  );
}
