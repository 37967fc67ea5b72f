/** Find Form: a form by its name (whole name, upper or lower case alike). */
import { defineInputFields, defineSearch } from 'zapier-platform-core';
import { withClient } from '../lib/with-client.js';
import { formOutputFields, formSample } from '../outputs/form.js';

const inputFields = defineInputFields([
  { key: 'name', label: 'Form Name', required: true, helpText: 'The form\'s whole name, as LeadToSheet shows it. Upper or lower case does not matter.' },
]);

const normal = (text: unknown) => String(text ?? '').trim().toLowerCase();

export default defineSearch({
  key: 'find_form',
  noun: 'Form',
  display: { label: 'Find Form', description: 'Finds a form by its name.' },
  operation: {
    inputFields,
    perform: withClient({ name: 'the "Find Form" search', inputs: { name: 'Form Name' } }, async (lts, bundle) => {
      const wanted = normal(bundle.inputData.name);
      const found = [];
      for await (const form of lts.iterateForms({ maxPages: 10, stopAtCap: true })) {
        if (normal(form.name) === wanted) found.push(form);
      }
      return found;
    }),
    outputFields: formOutputFields,
    sample: formSample,
  },
});
