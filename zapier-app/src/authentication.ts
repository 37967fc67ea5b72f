/**
 * Connect with one LeadToSheet API key. The test reads the site (any valid key may), the
 * label shows the site and the masked key, never the key itself.
 */
import { maskKey, scopes, type Scope } from '@leadtosheet/shared';
import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { withClient } from './lib/with-client.js';

/** Which Zapier steps each scope unlocks, for the help text. */
const stepsByScope: Record<Scope, string> = {
  'submissions:read': 'New Submission, Find Submission, Find or Create Lead',
  'submissions:write': 'Create Lead, Find or Create Lead',
  'forms:read': 'New Form, Find Form and the Form dropdowns',
  'forms:write': 'Update Form',
};

const test = withClient({ name: 'connecting to LeadToSheet' }, async (lts, bundle: Bundle) => ({
  ...(await lts.getSite()),
  masked_key: maskKey(bundle.authData.api_key),
}));

const connectionLabel = async (_z: ZObject, bundle: Bundle) => {
  const { name, domain, masked_key: key } = bundle.inputData as { name?: string; domain?: string | null; masked_key?: string };
  return `${name ?? 'LeadToSheet'}${domain ? ` (${domain})` : ''} · ${key ?? maskKey(bundle.authData.api_key)}`;
};

export default {
  type: 'custom',
  fields: [
    {
      key: 'api_key',
      label: 'API Key',
      type: 'password',
      required: true,
      helpText:
        'Create a key in your LeadToSheet dashboard under **API keys**, then paste it here: it starts with `lts_` and is shown only once. ' +
        'Give the key the scopes your Zaps need:\n' +
        scopes.map((s) => `- \`${s}\`: ${stepsByScope[s]}`).join('\n'),
    },
  ],
  test,
  connectionLabel,
} satisfies Authentication;
