/**
 * The shared Transport port over `z.request`, so every call gets Zapier's logging,
 * secret scrubbing and throttling. Statuses are not thrown here: the shared client turns
 * them into LeadToSheetError (one error mapping for every product).
 */
import { buildUrl, parseBody, type Transport, type TransportResponse } from '@leadtosheet/shared';
import type { HttpRequestOptionsWithUrl, ZObject } from 'zapier-platform-core';

/** Options z.request reads that its types do not list yet. */
type ZRequestOptions = HttpRequestOptionsWithUrl & {
  /** false: let 429 reach us with its Retry-After instead of Zapier's generic ThrottledError. */
  throwForThrottlingEarly: boolean;
  /** false: send lead text verbatim, even if it contains "{{bundle...}}". */
  merge: boolean;
};

export const REQUEST_TIMEOUT_MS = 25_000;

export function zRequestTransport(z: ZObject, baseUrl: string): Transport {
  return {
    async send(request): Promise<TransportResponse> {
      const params = Object.fromEntries(Object.entries(request.query ?? {}).filter(([, v]) => v !== undefined));
      const options: ZRequestOptions = {
        url: buildUrl(baseUrl, { path: request.path }),
        method: request.method,
        params,
        headers: { accept: 'application/json' },
        ...(request.body !== undefined ? { json: request.body } : {}),
        // Under Zapier's 30 s step limit, so a hung request ends with our message, not a kill.
        timeout: REQUEST_TIMEOUT_MS,
        skipThrowForStatus: true,
        throwForThrottlingEarly: false,
        merge: false,
      };
      const response = await z.request(options);
      const headers: TransportResponse['headers'] = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: response.status, headers, body: parseBody(response.content) };
    },
  };
}
