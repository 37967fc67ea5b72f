/**
 * Runs an operation with the shared client over z.request, and maps whatever it throws
 * at the edge. Every trigger, action, search and dynamic field goes through here.
 */
import { LeadToSheetClient } from '@leadtosheet/shared';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { baseUrl } from '../config.js';
import { toZapierError, type Feature } from './zapier-errors.js';
import { zRequestTransport } from './z-request-transport.js';

export function clientFor(z: ZObject, bundle: Bundle): LeadToSheetClient {
  const url = baseUrl();
  return new LeadToSheetClient(zRequestTransport(z, url), { key: bundle.authData.api_key, baseUrl: url });
}

export function withClient<B extends Bundle, R>(
  feature: Feature,
  run: (lts: LeadToSheetClient, bundle: B, z: ZObject) => Promise<R>,
): (z: ZObject, bundle: B) => Promise<R> {
  return async (z, bundle) => {
    try {
      return await run(clientFor(z, bundle), bundle, z);
    } catch (err) {
      throw toZapierError(z, err, feature);
    }
  };
}
