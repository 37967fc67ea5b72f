/**
 * Find Submission: the newest lead holding a value (an email, a phone...), optionally in
 * one field, one form and a date range. Also the search half of Find or Create Lead.
 */
import type { Submission } from '@leadtosheet/shared';
import { defineInputFields, defineSearch } from 'zapier-platform-core';
import { formFilterField } from '../fields/form.js';
import { optionalDate } from '../lib/dates.js';
import { flattenSubmission } from '../lib/flatten-submission.js';
import { submissionHolds } from '../lib/match-submission.js';
import { withClient } from '../lib/with-client.js';
import { formFieldOutputs, submissionOutputFields, submissionSample } from '../outputs/submission.js';

/** Matches returned, newest first (Zapier uses the first). */
export const MAX_MATCHES = 25;

const inputFields = defineInputFields([
  { key: 'value', label: 'Value to Find', required: true, helpText: 'A value the lead submitted, such as an email address. Whole value, upper or lower case alike.' },
  { key: 'field', label: 'In Field', required: false, helpText: 'Only look in this field, such as Email. Leave empty to look in every field.' },
  formFilterField,
  { key: 'since', label: 'Submitted After', type: 'datetime', required: false },
  { key: 'until', label: 'Submitted Before', type: 'datetime', required: false },
]);

const inputs = { value: 'Value to Find', q: 'Value to Find', formId: 'Form', since: 'Submitted After', until: 'Submitted Before' };

export default defineSearch({
  key: 'find_submission',
  noun: 'Lead',
  display: { label: 'Find Submission', description: 'Finds the newest lead (form submission) holding a value, such as an email address.' },
  operation: {
    inputFields,
    perform: withClient({ name: 'the "Find Submission" search', inputs, notFound: 'Form' }, async (lts, bundle, z) => {
      const { value, field, form_id: formId, since, until } = bundle.inputData as Record<string, string | undefined>;
      if (!value?.trim()) throw new z.errors.Error('"Value to Find" is empty: give the value to look for, such as an email address.', 'invalid_input', 400);
      const after = optionalDate(since, 'since');
      const before = optionalDate(until, 'until');
      if (after && before && before < after) {
        throw new z.errors.Error('"Submitted Before" is earlier than "Submitted After": no lead can match. Check the two dates.', 'invalid_input', 400);
      }
      const matches: Submission[] = [];
      const pages = lts.iterateSubmissions({ q: value.trim(), formId: formId || undefined, since: after, maxPages: 10, stopAtCap: true });
      for await (const submission of pages) {
        if (before && Date.parse(submission.created_at) > before.getTime()) continue;
        if (!submissionHolds(submission, value, field || undefined)) continue;
        matches.push(submission);
        if (matches.length >= MAX_MATCHES) break;
      }
      return matches.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at)).map(flattenSubmission);
    }),
    outputFields: [...submissionOutputFields, formFieldOutputs],
    sample: submissionSample,
  },
});
