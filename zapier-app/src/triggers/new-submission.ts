/**
 * New Submission: the newest leads first (Zapier dedupes by `id`), as many pages as
 * Zapier's page size needs, fields flattened, per-form output fields when a form is set.
 */
import { MAX_PER_PAGE, type LeadToSheetClient, type Submission } from '@leadtosheet/shared';
import { defineInputFields } from 'zapier-platform-core';
import { formFilterField } from '../fields/form.js';
import { flattenSubmission } from '../lib/flatten-submission.js';
import { parseYesNo } from '../lib/yes-no.js';
import { formFieldOutputs, submissionOutputFields, submissionSample } from '../outputs/submission.js';
import { pollSize, pollingTrigger } from './polling-trigger.js';

export const inputFields = defineInputFields([
  formFilterField,
  {
    key: 'include_spam',
    label: 'Include Spam?',
    type: 'boolean',
    required: false,
    default: 'false',
    helpText: 'By default, submissions LeadToSheet marked as spam do not trigger the Zap.',
  },
]);

/** The `want` newest submissions (optionally of one form), skipping spam unless asked. */
export async function newestSubmissions(lts: LeadToSheetClient, formId: string | undefined, want: number, includeSpam: boolean) {
  const perPage = Math.min(MAX_PER_PAGE, want);
  const maxPages = Math.min(10, Math.ceil(want / perPage) + (includeSpam ? 0 : 2));
  const found: Submission[] = [];
  for await (const submission of lts.iterateSubmissions({ formId, perPage, maxPages, stopAtCap: true })) {
    if (!includeSpam && submission.is_spam) continue;
    found.push(submission);
    if (found.length >= want) break;
  }
  return found.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
}

export default pollingTrigger({
  key: 'new_submission',
  noun: 'Submission',
  label: 'New Submission',
  description: 'Triggers when a new lead (form submission) arrives in LeadToSheet.',
  inputFields,
  inputs: { formId: 'Form', include_spam: 'Include Spam?' },
  outputFields: [...submissionOutputFields, formFieldOutputs],
  sample: submissionSample,
  list: async (lts, bundle) => {
    const { form_id: formId, include_spam: includeSpam } = bundle.inputData as { form_id?: string; include_spam?: unknown };
    const spam = parseYesNo(includeSpam, 'include_spam') ?? false;
    const found = await newestSubmissions(lts, formId || undefined, pollSize(bundle), spam);
    return found.map(flattenSubmission);
  },
});

