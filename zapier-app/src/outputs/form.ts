/** Output fields and sample of a form (New Form, Find Form, Update Form, the dropdown). */
import type { PlainOutputField } from 'zapier-platform-core';

export const formOutputFields: PlainOutputField[] = [
  { key: 'id', label: 'Form ID', type: 'string' },
  { key: 'name', label: 'Form Name', type: 'string' },
  { key: 'sheet_tab', label: 'Sheet Tab', type: 'string' },
  { key: 'ignored', label: 'Ignored', type: 'boolean' },
  { key: 'submission_count', label: 'Number of Submissions', type: 'integer' },
  { key: 'created_at', label: 'Created At', type: 'datetime' },
  { key: 'updated_at', label: 'Updated At', type: 'datetime' },
];

export const formSample = {
  id: 'frm_contact',
  name: 'Contact us',
  sheet_tab: 'Leads',
  ignored: false,
  submission_count: 128,
  created_at: '2026-01-08T14:02:11.000Z',
  updated_at: '2026-03-02T10:45:00.000Z',
};
