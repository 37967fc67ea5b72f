/**
 * A lead's own fields, defined once (Create Lead, Find or Create Lead): the chosen form's
 * known fields as inputs, a key/value group for any other field, and reading them back.
 */
import { isLeadToSheetError, type FieldValue } from '@leadtosheet/shared';
import type { Bundle, PlainInputField, ZObject } from 'zapier-platform-core';
import { knownFieldLabels } from '../lib/form-fields.js';
import { clientFor } from '../lib/with-client.js';
import { toZapierError } from '../lib/zapier-errors.js';

/** Input key of a known field: stable as long as the field's label is. */
const KNOWN_PREFIX = 'field:';

export const otherFieldsField = {
  key: 'other_fields',
  label: 'Other Fields',
  dict: true,
  required: false,
  helpText: 'Any other field of the lead: the field name on the left (as it should appear in your sheet), its value on the right.',
} as const satisfies PlainInputField;

const note = (helpText: string): PlainInputField[] => [{ key: 'known_fields_note', type: 'copy', helpText }];

/** The chosen form's fields, read from its recent leads. */
export async function knownFieldInputs(z: ZObject, bundle: Bundle): Promise<PlainInputField[]> {
  const formId = bundle.inputData.form_id;
  if (typeof formId !== 'string' || formId === '') return [];
  let labels: string[];
  try {
    labels = await knownFieldLabels(clientFor(z, bundle), formId);
  } catch (err) {
    if (isLeadToSheetError(err) && err.status === 403) {
      return note('To list this form\'s fields here, the API key needs the `submissions:read` scope. You can still fill in the lead under **Other Fields**.');
    }
    throw toZapierError(z, err, { name: 'listing the form\'s fields', notFound: 'Form' });
  }
  if (labels.length === 0) return note('This form has no leads yet, so its fields are not known. Fill in the lead under **Other Fields**.');
  return labels.map((label) => ({ key: `${KNOWN_PREFIX}${label}`, label, required: false, type: 'string' }));
}

/** Known fields and Other Fields together; empty values left out. */
export function leadFieldsFrom(inputData: Record<string, unknown>): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  const other = inputData.other_fields;
  if (other && typeof other === 'object') {
    for (const [name, value] of Object.entries(other)) add(fields, name.trim(), value);
  }
  for (const [key, value] of Object.entries(inputData)) {
    if (key.startsWith(KNOWN_PREFIX)) add(fields, key.slice(KNOWN_PREFIX.length), value);
  }
  return fields;
}

function add(fields: Record<string, FieldValue>, name: string, value: unknown) {
  if (name === '' || value === undefined || value === null || value === '') return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[name] = value;
  else if (Array.isArray(value)) fields[name] = value.map(String);
  else fields[name] = String(value);
}
