/**
 * Output fields and sample of a submission (triggers, Create Lead, Find Submission),
 * plus the per-form fields when a form is chosen.
 */
import { metadataKeys, metadataLabels } from '@leadtosheet/shared';
import type { Bundle, PlainOutputField, ZObject } from 'zapier-platform-core';
import { fieldKey } from '../lib/flatten-submission.js';
import { knownFieldLabels } from '../lib/form-fields.js';
import { clientFor } from '../lib/with-client.js';

export const submissionOutputFields: PlainOutputField[] = [
  { key: 'id', label: 'Submission ID', type: 'string' },
  { key: 'created_at', label: 'Submitted At', type: 'datetime' },
  { key: 'form_id', label: 'Form ID', type: 'string' },
  { key: 'form_name', label: 'Form Name', type: 'string' },
  { key: 'is_spam', label: 'Marked as Spam', type: 'boolean' },
  ...metadataKeys.map((k): PlainOutputField => ({ key: `metadata__${k}`, label: metadataLabels[k], type: 'string' })),
];

/** The chosen form's fields as outputs. Best effort: without a form or on any error, none. */
export async function formFieldOutputs(z: ZObject, bundle: Bundle): Promise<PlainOutputField[]> {
  const formId = bundle.inputData.form_id;
  if (typeof formId !== 'string' || formId === '') return [];
  try {
    const labels = await knownFieldLabels(clientFor(z, bundle), formId);
    return labels.map((label) => ({ key: fieldKey(label), label, type: 'string' }));
  } catch {
    return [];
  }
}

export const submissionSample = {
  id: 'sub_01JQ7Z8K3M',
  form_id: 'frm_contact',
  form_name: 'Contact us',
  created_at: '2026-03-14T09:26:53.000Z',
  is_spam: false,
  Email: 'alice.martin@example.com',
  'Full name': 'Alice Martin',
  Phone: '+1 415 555 0134',
  Company: 'Northwind Traders',
  Message: 'Hi! Could you send me a quote for 20 seats?',
  metadata: {
    page_url: 'https://www.example.com/pricing',
    referrer: 'https://www.google.com/',
    utm_source: 'google',
    utm_medium: 'cpc',
    utm_campaign: 'spring_sale',
    utm_term: 'lead form software',
    utm_content: 'ad_variant_b',
    gclid: 'Cj0KCQjw9ZGYBhCEARIsAEUXITWx',
    fbclid: null,
    user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    ip: '203.0.113.42',
  },
};
