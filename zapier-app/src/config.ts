/**
 * The app's configuration, read from its environment (`zapier env:set` in production,
 * the shell in tests): one place, read at request time so tests can point it at nock
 * or the local sandbox.
 */
import { DEFAULT_BASE_URL, LeadToSheetError, bridgeBaseUrl, parseHttpUrl } from '@leadtosheet/shared';

/** `LTS_BASE_URL`: the LeadToSheet API base URL, ending in /api/v1. Default: production. */
export function baseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.LTS_BASE_URL?.trim();
  if (!raw) return DEFAULT_BASE_URL;
  if (!parseHttpUrl(raw)) {
    throw new LeadToSheetError({
      status: 0,
      code: 'invalid_config',
      retryable: false,
      message: `The app's LTS_BASE_URL setting is not an http(s) URL: "${raw}". Fix it with \`zapier env:set\`.`,
    });
  }
  return raw.replace(/\/+$/, '');
}

/**
 * `LTS_BRIDGE_URL`: the LeadToSheet bridge behind the instant trigger, such as
 * https://bridge.example.com. No default: the instant trigger says it is missing.
 */
export function bridgeUrl(env: NodeJS.ProcessEnv = process.env): string {
  return bridgeBaseUrl(env.LTS_BRIDGE_URL, "the Zapier app's LTS_BRIDGE_URL setting is empty; its owner sets it with `zapier env:set <version> LTS_BRIDGE_URL=https://your-bridge`");
}
