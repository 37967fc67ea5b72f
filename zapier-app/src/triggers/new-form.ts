/** New Form: forms newest first (Zapier dedupes by `id`), all pages up to Zapier's page size. */
import { formOutputFields, formSample } from '../outputs/form.js';
import { pollSize, pollingTrigger } from './polling-trigger.js';

const newestFirst = (a: { created_at?: string | null }, b: { created_at?: string | null }) =>
  (b.created_at ? Date.parse(b.created_at) : 0) - (a.created_at ? Date.parse(a.created_at) : 0);

export default pollingTrigger({
  key: 'new_form',
  noun: 'Form',
  label: 'New Form',
  description: 'Triggers when a new form is added to your LeadToSheet site.',
  outputFields: formOutputFields,
  sample: formSample,
  list: async (lts, bundle) => {
    const forms = [];
    for await (const form of lts.iterateForms({ maxPages: 10, stopAtCap: true })) forms.push(form);
    return forms.sort(newestFirst).slice(0, pollSize(bundle));
  },
});
