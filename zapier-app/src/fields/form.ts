/**
 * The Form input, defined once: a dropdown of the site's forms (the hidden, paged
 * `form_list` trigger), with a link to Find Form for mapping a form from an earlier step.
 */
import type { PlainInputField } from 'zapier-platform-core';

const formDropdown = {
  key: 'form_id',
  label: 'Form',
  type: 'string',
  dynamic: 'form_list.id.name',
  search: 'find_form.id',
} as const satisfies PlainInputField;

/** Optional form filter (triggers, searches). Changing it refreshes per-form fields. */
export const formFilterField = {
  ...formDropdown,
  required: false,
  altersDynamicFields: true,
  helpText: 'Only this form. Leave empty for all forms.',
} as const satisfies PlainInputField;

/** The form an action works on. */
export const formRequiredField = {
  ...formDropdown,
  required: true,
  helpText: 'Choose the form, or map a form ID from an earlier step (Find Form gives one).',
} as const satisfies PlainInputField;
