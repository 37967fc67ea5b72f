/**
 * New Submission (Instant): a REST hook fed by the LeadToSheet bridge. Turning the Zap on
 * subscribes Zapier's hook URL at the bridge with the connection's own key (idempotent per
 * URL, so a retried subscribe makes no second subscription); each push is checked against
 * the subscription's Standard Webhooks secret before it becomes a lead, in the same shape
 * as the polling New Submission. The bridge polls each site once, whatever the Zaps.
 */
import { BridgeClient, LeadToSheetError, bridgeEvents, errorCodes, verifyBridgeWebhook } from '@leadtosheet/shared';
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { bridgeUrl } from '../config.js';
import { flattenSubmission } from '../lib/flatten-submission.js';
import { withClient } from '../lib/with-client.js';
import { parseYesNo } from '../lib/yes-no.js';
import type { Feature } from '../lib/zapier-errors.js';
import { zRequestTransport } from '../lib/z-request-transport.js';
import { formFieldOutputs, submissionOutputFields, submissionSample } from '../outputs/submission.js';
import { inputFields, newestSubmissions } from './new-submission.js';

const LABEL = 'New Submission (Instant)';
const feature: Feature = { name: `the "${LABEL}" trigger`, inputs: { formId: 'Form', form_id: 'Form', include_spam: 'Include Spam?' }, notFound: 'Form' };

/** What performSubscribe keeps; Zapier hands it back to perform and performUnsubscribe. */
interface SubscribeData {
  id: string;
  secret: string;
}

type Inputs = { form_id?: string; include_spam?: unknown };

function bridgeFor(z: ZObject, bundle: Bundle): BridgeClient {
  const url = bridgeUrl();
  return new BridgeClient(zRequestTransport(z, url), { baseUrl: url, key: bundle.authData.api_key });
}

/** Names the Zap for operators reading the bridge's subscription list. */
function description(bundle: Bundle): string {
  const zapId = bundle.meta?.zap?.id;
  return `Zapier: ${LABEL}${zapId ? ` in Zap ${zapId}` : ''}`;
}

const performSubscribe = withClient(feature, async (_lts, bundle: Bundle, z): Promise<SubscribeData> => {
  if (!bundle.targetUrl) throw new LeadToSheetError({ status: 0, code: 'invalid_input', retryable: false, message: 'Zapier did not give a hook URL to subscribe.' });
  const { form_id: formId } = bundle.inputData as Inputs;
  const sub = await bridgeFor(z, bundle).subscribe({ url: bundle.targetUrl, formId: formId || null, description: description(bundle) });
  return { id: sub.id, secret: sub.secret };
});

const performUnsubscribe = withClient(feature, async (_lts, bundle: Bundle, z) => {
  const data = bundle.subscribeData as Partial<SubscribeData> | undefined;
  if (!data?.id) return { deleted: false };
  return { deleted: await bridgeFor(z, bundle).unsubscribe(data.id) };
});

const perform = withClient(feature, async (_lts, bundle: Bundle) => {
  const data = bundle.subscribeData as Partial<SubscribeData> | undefined;
  if (!data?.secret) {
    throw new LeadToSheetError({ status: 0, code: 'invalid_signature', retryable: false, message: 'This Zap has no signing secret for its LeadToSheet subscription, so the push cannot be checked. Turn the Zap off and on again.' });
  }
  const raw = bundle.rawRequest ?? {};
  const event = verifyBridgeWebhook({ secret: data.secret, headers: raw.headers ?? {}, body: raw.content ?? '' });
  if (event.type === bridgeEvents.siteAuthFailed) {
    // The bridge stopped polling: LeadToSheet refused this connection's key. Reconnect.
    throw new LeadToSheetError({ status: 401, code: errorCodes.invalidToken, retryable: false, message: event.data.message });
  }
  const { form_id: formId, include_spam: includeSpam } = bundle.inputData as Inputs;
  const lead = event.data;
  if (lead.is_spam && !(parseYesNo(includeSpam, 'include_spam') ?? false)) return [];
  if (formId && lead.form_id !== formId) return [];
  return [flattenSubmission(lead)];
});

/** Samples in the Zap editor: the newest real leads, read from LeadToSheet. */
const performList = withClient(feature, async (lts, bundle: Bundle) => {
  const { form_id: formId, include_spam: includeSpam } = bundle.inputData as Inputs;
  const found = await newestSubmissions(lts, formId || undefined, 10, parseYesNo(includeSpam, 'include_spam') ?? false);
  return found.map(flattenSubmission);
});

export default defineTrigger({
  key: 'new_submission_instant',
  noun: 'Submission',
  display: {
    label: LABEL,
    description: 'Triggers within seconds when a new lead (form submission) arrives in LeadToSheet, pushed by the LeadToSheet bridge.',
  },
  operation: {
    type: 'hook',
    inputFields,
    performSubscribe,
    performUnsubscribe,
    perform,
    performList,
    outputFields: [...submissionOutputFields, formFieldOutputs],
    sample: submissionSample,
  },
});
