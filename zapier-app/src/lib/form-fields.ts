/**
 * The fields a form is known to have. The API has no form schema, so they are read from
 * the form's recent submissions: every label seen, newest submission first.
 */
import type { LeadToSheetClient } from '@leadtosheet/shared';

export const RECENT_SUBMISSIONS_READ = 50;

export async function knownFieldLabels(lts: LeadToSheetClient, formId: string): Promise<string[]> {
  const page = await lts.listSubmissions({ formId, perPage: RECENT_SUBMISSIONS_READ });
  const labels = new Set<string>();
  for (const submission of page.data) for (const label of Object.keys(submission.fields)) labels.add(label);
  return [...labels];
}
