/**
 * Submission metadata (attribution, browser data): the names are the shared contract's,
 * and so are their labels; the inputs of Create Lead are defined here once.
 */
import { metadataKeys, metadataLabels, type MetadataKey, type SubmissionMetadata } from '@leadtosheet/shared';
import { defineInputFields } from 'zapier-platform-core';

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
