/**
 * Submission metadata (attribution, browser data): the names are the shared contract's,
 * the labels are defined here once, for Create Lead's inputs and every output.
 */
import { metadataKeys, type MetadataKey, type SubmissionMetadata } from '@leadtosheet/shared';
import { defineInputFields } from 'zapier-platform-core';

export const metadataLabels: Record<MetadataKey, string> = {
  page_url: 'Page URL',
  referrer: 'Referrer',
  utm_source: 'UTM Source',
  utm_medium: 'UTM Medium',
  utm_campaign: 'UTM Campaign',
  utm_term: 'UTM Term',
  utm_content: 'UTM Content',
  gclid: 'Google Ads Click ID (gclid)',
  fbclid: 'Facebook Click ID (fbclid)',
  user_agent: 'Browser (User Agent)',
  ip: 'IP Address',
};

/** What a lead's creator can tell: where it came from. Browser data stays the browser's. */
type AttributionKey = Exclude<MetadataKey, 'user_agent' | 'ip'>;
const attributionKeys = metadataKeys.filter((k): k is AttributionKey => k !== 'user_agent' && k !== 'ip');

export const metadataInputFields = defineInputFields(
  attributionKeys.map((key) => ({
    key,
    label: metadataLabels[key],
    required: false,
    group: 'attribution',
    ...(key === 'page_url' ? { helpText: 'The page the lead came from, such as https://www.example.com/pricing.' } : {}),
  })),
);

/** Input labels by API field ("metadata.utm_source" -> "UTM Source"), for error messages. */
export const metadataInputLabels: Record<string, string> = Object.fromEntries(
  attributionKeys.map((key) => [`metadata.${key}`, metadataLabels[key]]),
);

/** The metadata inputs that were filled in, or undefined when none was. */
export function metadataFrom(inputData: Record<string, unknown>): SubmissionMetadata | undefined {
  const metadata: SubmissionMetadata = {};
  for (const key of attributionKeys) {
    const value = inputData[key];
    if (typeof value === 'string' && value.trim() !== '') metadata[key] = value.trim();
  }
  return Object.keys(metadata).length ? metadata : undefined;
}
