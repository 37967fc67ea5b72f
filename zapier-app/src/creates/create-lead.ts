/**
 * Create Lead: files a lead under a chosen form (or a form by name, created if new), with
 * the form's known fields, any other field and attribution metadata. Never retried
 * automatically: a retry could create the lead twice.
 */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import { formFilterField } from '../fields/form.js';
import { knownFieldInputs, leadFieldsFrom, otherFieldsField } from '../fields/lead.js';
import { metadataFrom, metadataInputFields, metadataInputLabels } from '../fields/metadata.js';
import { flattenSubmission } from '../lib/flatten-submission.js';
import { withClient } from '../lib/with-client.js';
import { formFieldOutputs, submissionOutputFields, submissionSample } from '../outputs/submission.js';

const inputFields = defineInputFields([
  { ...formFilterField, helpText: 'The form to file the lead under. Or leave empty and type a New Form Name below.' },
  {
    key: 'form_name',
    label: 'New Form Name',
    required: false,
    helpText: 'Used only when no Form is chosen: files the lead under the form with this name, and creates that form if there is none.',
  },
  knownFieldInputs,
  otherFieldsField,
  ...metadataInputFields,
]);

const inputs = { fields: 'Other Fields', form_name: 'New Form Name', form_id: 'Form', ...metadataInputLabels };

export default defineCreate({
  key: 'create_lead',
  noun: 'Lead',
  display: {
    label: 'Create Lead',
    description: 'Creates a lead in LeadToSheet: it syncs to your sheet and runs your routes, alerts and scoring like any other lead.',
  },
  operation: {
    inputFields,
    inputFieldGroups: [{ key: 'attribution', label: 'Where the lead came from (optional)' }],
    perform: withClient({ name: 'the "Create Lead" action', inputs, notFound: 'Form' }, async (lts, bundle, z) => {
      const data = bundle.inputData as Record<string, unknown>;
      const fields = leadFieldsFrom(data);
      if (Object.keys(fields).length === 0) {
        throw new z.errors.Error(
          'A lead needs at least one field: fill in one of the form\'s fields, or add one under Other Fields.',
          'invalid_input',
          400,
        );
      }
      const formId = typeof data.form_id === 'string' && data.form_id ? data.form_id : undefined;
      const formName = !formId && typeof data.form_name === 'string' && data.form_name.trim() ? data.form_name.trim() : undefined;
      const created = await lts.createSubmission({ fields, formId, formName, metadata: metadataFrom(data) });
      return flattenSubmission(created);
    }),
    outputFields: [...submissionOutputFields, formFieldOutputs],
    sample: submissionSample,
  },
});
