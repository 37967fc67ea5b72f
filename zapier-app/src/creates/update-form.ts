/**
 * Update Form: rename a form, change its sheet tab, ignore it or stop ignoring it.
 * An update that would change nothing is refused with a clear message.
 */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import { formRequiredField } from '../fields/form.js';
import { withClient } from '../lib/with-client.js';
import { parseYesNo } from '../lib/yes-no.js';
import { formOutputFields, formSample } from '../outputs/form.js';

const inputFields = defineInputFields([
  formRequiredField,
  { key: 'name', label: 'New Name', required: false, helpText: 'Leave empty to keep the current name.' },
  { key: 'sheet_tab', label: 'Sheet Tab', required: false, helpText: 'The tab of your Google Sheet this form\'s leads go to. Leave empty to keep it.' },
  {
    key: 'ignored',
    label: 'Ignored',
    type: 'boolean',
    required: false,
    helpText: 'Yes to ignore this form in LeadToSheet, No to stop ignoring it. Leave empty to keep it as it is.',
  },
]);

const inputs = { id: 'Form', name: 'New Name', sheet_tab: 'Sheet Tab', sheetTab: 'Sheet Tab', ignored: 'Ignored' };

export default defineCreate({
  key: 'update_form',
  noun: 'Form',
  display: { label: 'Update Form', description: 'Updates a form: renames it, changes its sheet tab, or ignores it (or stops ignoring it).' },
  operation: {
    inputFields,
    perform: withClient({ name: 'the "Update Form" action', inputs, notFound: 'Form' }, async (lts, bundle, z) => {
      const { form_id: formId, name, sheet_tab: sheetTab, ignored } = bundle.inputData as Record<string, unknown>;
      const update = {
        name: typeof name === 'string' && name.trim() ? name.trim() : undefined,
        sheetTab: typeof sheetTab === 'string' && sheetTab.trim() ? sheetTab.trim() : undefined,
        ignored: parseYesNo(ignored, 'ignored'),
      };
      if (update.name === undefined && update.sheetTab === undefined && update.ignored === undefined) {
        throw new z.errors.Error(
          'Nothing to update: fill in at least one of New Name, Sheet Tab or Ignored. An update that would change nothing is refused.',
          'nothing_to_update',
          400,
        );
      }
      return lts.updateForm(String(formId ?? ''), update);
    }),
    outputFields: formOutputFields,
    sample: formSample,
  },
});
