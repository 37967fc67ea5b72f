/**
 * Adds the API key to every request, after checking its shape with the shared rules:
 * a clear "this is not an lts_ key" beats a 401. The error is a LeadToSheetError, so the
 * shared client passes it through unchanged and the edge maps it like any other.
 */
import { LeadToSheetError, checkKeyShape, localErrorCodes } from '@leadtosheet/shared';
import type { BeforeRequestMiddleware } from 'zapier-platform-core';

export const addApiKey: BeforeRequestMiddleware = (request, _z, bundle) => {
  const check = checkKeyShape(bundle.authData.api_key);
  if (!check.ok) {
    throw new LeadToSheetError({
      status: 0,
      code: localErrorCodes.invalidKey,
      retryable: false,
      field: 'api_key',
      message: check.problem,
    });
  }
  request.headers = { ...request.headers, authorization: `Bearer ${check.key}` };
  return request;
};

export const befores = [addApiKey];
