import { describe, expect, it } from '@jest/globals';
import {
  LeadToSheetError,
  invalidInput,
  isLeadToSheetError,
  toLeadToSheetError,
  unexpectedResponse,
  type ErrorContext,
  type TransportResponse,
} from '@leadtosheet/shared';

const KEY = 'lts_AbCd1234efgh5678IJKL';
const res = (status: number, body?: unknown, headers: TransportResponse['headers'] = {}): TransportResponse => ({ status, headers, body });
const apiError = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ error: { code, message, ...extra } });

/** Nothing an error exposes may contain the key. */
function expectNoKey(err: LeadToSheetError) {
  expect(err.message).not.toContain(KEY);
  expect(JSON.stringify(err)).not.toContain(KEY);
  expect(err.serverMessage ?? '').not.toContain(KEY);
  expect(String(err.stack)).not.toContain(KEY);
}

describe('toLeadToSheetError: 401', () => {
  const err = toLeadToSheetError(res(401, apiError('invalid_token', 'Token revoked')), { operation: 'listSubmissions', key: KEY });

  it('says the key is invalid, expired or revoked and tells what to do', () => {
    expect(err).toMatchObject({ status: 401, code: 'invalid_token', retryable: false, serverMessage: 'Token revoked' });
    expect(err.message).toMatch(/invalid, expired or was revoked/);
    expect(err.message).toMatch(/Create a new API key/);
    expect(err.message).toMatch(/reconnect/);
  });

  it('shows the masked key only', () => {
    expect(err.message).toContain('lts_AbCd…');
    expectNoKey(err);
  });

  it('works without a key, without a body, and with a non-JSON body', () => {
    expect(toLeadToSheetError(res(401)).code).toBe('invalid_token');
    expect(toLeadToSheetError(res(401)).message).not.toContain('lts_');
    expect(toLeadToSheetError(res(401, 'Unauthorized')).serverMessage).toBe('Unauthorized');
  });
});

describe('toLeadToSheetError: 403', () => {
  it.each<[string, unknown, ErrorContext, string]>([
    ['from required_scope', apiError('insufficient_scope', 'Forbidden', { required_scope: 'forms:write' }), { operation: 'getSite' }, 'forms:write'],
    ['from the message text', apiError('insufficient_scope', 'This key needs submissions:write'), { operation: 'getSite' }, 'submissions:write'],
    ['from the operation', apiError('insufficient_scope', 'Forbidden'), { operation: 'updateForm' }, 'forms:write'],
    ['from the operation, with a non-JSON body', '<h1>Forbidden</h1>', { operation: 'listForms' }, 'forms:read'],
    ['from the operation when required_scope is not a scope', apiError('insufficient_scope', 'No', { required_scope: 'admin' }), { operation: 'getForm' }, 'forms:read'],
    [
      'naming the missing scope when the message also names the key\'s scopes',
      apiError('insufficient_scope', 'Key scopes forms:read, submissions:read do not include forms:write'),
      { operation: 'updateForm' },
      'forms:write',
    ],
  ])('finds the required scope %s', (_, body, ctx, scope) => {
    const err = toLeadToSheetError(res(403, body), ctx);
    expect(err).toMatchObject({ status: 403, code: 'insufficient_scope', retryable: false, requiredScope: scope });
    expect(err.message).toContain(`"${scope}"`);
  });

  it('names the scope and the operation in the message', () => {
    const err = toLeadToSheetError(res(403, apiError('insufficient_scope', 'Forbidden')), { operation: 'updateForm', key: KEY });
    expect(err.message).toBe(
      'This API key lacks the "forms:write" scope, which is needed to update a form. ' +
        'Create a LeadToSheet API key that includes "forms:write" and reconnect with it.',
    );
  });

  it('stays readable when no scope can be found (getSite needs none)', () => {
    const err = toLeadToSheetError(res(403, apiError('forbidden', 'Nope')), { operation: 'getSite' });
    expect(err.requiredScope).toBeUndefined();
    expect(err.code).toBe('forbidden');
    expect(err.message).toMatch(/lacks a scope, which is needed to read the site/);
  });
});

describe('toLeadToSheetError: 404', () => {
  it.each<[ErrorContext, string]>([
    [{ operation: 'getForm', resource: 'form', id: 'f_9' }, 'Not found: form "f_9" does not exist on this API key\'s site. Check the form and try again.'],
    [{ operation: 'getSubmission', resource: 'submission', id: 's_1' }, 'Not found: submission "s_1" does not exist on this API key\'s site. Check the submission and try again.'],
    [{ operation: 'listForms' }, 'Not found: what was asked for does not exist on this API key\'s site. Check the id and try again.'],
  ])('names the resource and the id: %p', (ctx, message) => {
    const err = toLeadToSheetError(res(404, apiError('not_found', 'Not found')), ctx);
    expect(err).toMatchObject({ status: 404, code: 'not_found', retryable: false, message });
  });
});

describe('toLeadToSheetError: 400 / 422', () => {
  it.each([400, 422])('%p lists every detail as "field: message"', (status) => {
    const body = apiError('validation_error', 'Invalid', {
      details: [{ field: 'fields', message: 'at least one field is required' }, { field: 'form_name', message: 'too long' }, { message: 'something else' }],
    });
    const err = toLeadToSheetError(res(status, body), { operation: 'createSubmission' });
    expect(err).toMatchObject({ status, code: 'validation_error', retryable: false, field: 'fields' });
    expect(err.message).toBe(
      'LeadToSheet could not create a submission because the input was rejected: fields: at least one field is required; form_name: too long; something else',
    );
    expect(err.details).toHaveLength(3);
  });

  it.each<[string, unknown, string]>([
    ['the server message when there are no details', apiError('validation_error', 'name is too long'), 'name is too long'],
    ['the body text when it is not JSON', 'Bad Request', 'Bad Request'],
    ['the status when there is nothing else', undefined, 'HTTP 400'],
  ])('falls back to %s', (_, body, tail) => {
    const err = toLeadToSheetError(res(400, body), { operation: 'updateForm' });
    expect(err.code).toBe('validation_error');
    expect(err.message).toBe(`LeadToSheet could not update a form because the input was rejected: ${tail}`);
  });

  it('redacts a key echoed inside a detail', () => {
    const err = toLeadToSheetError(res(422, apiError('validation_error', 'Bad', { details: [{ field: 'fields.Note', message: `looks like a key: ${KEY}` }] })));
    expect(err.message).toContain('fields.Note: looks like a key: lts_AbCd…');
    expectNoKey(err);
    expect(JSON.stringify(err.details)).not.toContain(KEY);
  });
});

describe('toLeadToSheetError: 429', () => {
  it.each<[string, TransportResponse['headers'], number | undefined, RegExp]>([
    ['Retry-After in seconds', { 'retry-after': '30' }, 30_000, /Try again in 30 seconds\.$/],
    ['Retry-After of one second', { 'retry-after': '1' }, 1_000, /Try again in 1 second\.$/],
    ['Retry-After as an array', { 'retry-after': ['120'] }, 120_000, /Try again in 2 minutes\.$/],
    ['no Retry-After', {}, undefined, /Try again in a minute\.$/],
    ['an unreadable Retry-After', { 'retry-after': 'later' }, undefined, /Try again in a minute\.$/],
  ])('%s', (_, headers, retryAfterMs, message) => {
    const err = toLeadToSheetError(res(429, apiError('rate_limited', 'Slow down'), headers), { operation: 'listSubmissions' });
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryable: true });
    expect(err.retryAfterMs).toBe(retryAfterMs);
    expect(err.message).toMatch(message);
  });

  it('reads Retry-After given as an HTTP date', () => {
    const at = new Date(Date.now() + 45_000).toUTCString();
    const err = toLeadToSheetError(res(429, undefined, { 'retry-after': at }));
    expect(err.retryAfterMs).toBeGreaterThan(40_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(45_000);
    expect(err.message).toMatch(/Try again in 4\d seconds\./);
  });
});

describe('toLeadToSheetError: 5xx and other statuses', () => {
  it.each([500, 502, 503, 504])('%p is a temporary, retryable problem', (status) => {
    const err = toLeadToSheetError(res(status, '<html>Bad gateway</html>'), { operation: 'getForm' });
    expect(err).toMatchObject({ status, code: 'internal_error', retryable: true });
    expect(err.message).toBe(`LeadToSheet had a temporary problem (HTTP ${status}) while trying to read a form. It is safe to try again in a moment.`);
  });

  it('keeps the API code of a 5xx', () => {
    expect(toLeadToSheetError(res(503, apiError('maintenance', 'Back soon'))).code).toBe('maintenance');
  });

  it.each<[number, unknown, string, string]>([
    [409, apiError('conflict', 'Already exists'), 'conflict', 'LeadToSheet answered HTTP 409 while trying to create a submission: Already exists.'],
    [418, 'I am a teapot', 'http_418', 'LeadToSheet answered HTTP 418 while trying to create a submission: I am a teapot.'],
    [302, undefined, 'http_302', 'LeadToSheet answered HTTP 302 while trying to create a submission.'],
  ])('%p is reported as it is, not retryable', (status, body, code, message) => {
    const err = toLeadToSheetError(res(status, body), { operation: 'createSubmission' });
    expect(err).toMatchObject({ status, code, retryable: false, message });
  });

  it('408 (the server timed out) is retryable, as the transport treats it', () => {
    const err = toLeadToSheetError(res(408, 'Request Timeout'), { operation: 'listSubmissions' });
    expect(err).toMatchObject({ status: 408, code: 'http_408', retryable: true, serverMessage: 'Request Timeout' });
    expect(err.message).toBe('LeadToSheet timed out (HTTP 408) while trying to list submissions. It is safe to try again in a moment.');
  });

  it.each<[string, unknown]>([
    ['{ "error": "text" } (a gateway)', { error: `Upstream for ${KEY} unavailable` }],
    ['{ "message": "text" }', { message: `Upstream for ${KEY} unavailable` }],
  ])('keeps the text of an undocumented error body: %s', (_, body) => {
    const err = toLeadToSheetError(res(409, body), { operation: 'createSubmission', key: KEY });
    expect(err.serverMessage).toBe('Upstream for lts_AbCd… unavailable');
    expect(err.message).toBe('LeadToSheet answered HTTP 409 while trying to create a submission: Upstream for lts_AbCd… unavailable.');
    expectNoKey(err);
  });

  it('ignores a long non-JSON body (an HTML error page)', () => {
    const err = toLeadToSheetError(res(418, `<html>${'x'.repeat(400)}</html>`));
    expect(err.serverMessage).toBeUndefined();
    expect(err.message).toBe('LeadToSheet answered HTTP 418 while trying to do this.');
  });

  it('redacts a key inside the server message', () => {
    const err = toLeadToSheetError(res(409, apiError('conflict', `Key ${KEY} is busy`)), { key: KEY });
    expect(err.serverMessage).toBe('Key lts_AbCd… is busy');
    expect(err.message).toContain('Key lts_AbCd… is busy');
    expectNoKey(err);
  });

  it('redacts a key inside a plain-text body', () => {
    const err = toLeadToSheetError(res(401, `bad token ${KEY}`), { key: KEY });
    expect(err.serverMessage).toBe('bad token lts_AbCd…');
    expectNoKey(err);
  });
});

describe('toLeadToSheetError: network failures', () => {
  const failure = (code: string | undefined, message: string, name = 'RequestError') =>
    Object.assign(new Error(message), { name, ...(code ? { code } : {}) });

  it.each<[string, unknown, string]>([
    ['connection refused', failure('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443'), 'network_error'],
    ['DNS failure', failure('ENOTFOUND', 'getaddrinfo ENOTFOUND api.test'), 'network_error'],
    ['connection reset', failure('ECONNRESET', 'socket hang up'), 'network_error'],
    ['a timeout by code', failure('ETIMEDOUT', "Timeout awaiting 'request' for 30000ms"), 'timeout'],
    ['a timeout by name', failure(undefined, 'The operation was aborted due to timeout', 'TimeoutError'), 'timeout'],
    ['an abort', failure(undefined, 'This operation was aborted', 'AbortError'), 'timeout'],
    ['undici connect timeout', failure('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'), 'timeout'],
  ])('%s: no status, retryable', (_, thrown, code) => {
    const err = toLeadToSheetError(thrown, { operation: 'getSite', baseUrl: 'https://api.test/api/v1' });
    expect(err).toMatchObject({ status: 0, code, retryable: true });
    expect(err.cause).toBe(thrown);
    expect(err.message).toContain('api.test');
  });

  it('names the host, the cause in words and the error code when the connection is refused', () => {
    const err = toLeadToSheetError(failure('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443'), { baseUrl: 'https://api.test:8443/api/v1' });
    expect(err.message).toBe(
      'Could not reach api.test:8443 (ECONNREFUSED): the connection was refused. Check the API base URL and the network, then try again.',
    );
  });

  it('says what a DNS failure is', () => {
    const err = toLeadToSheetError(failure('ENOTFOUND', 'getaddrinfo ENOTFOUND api.test'), { baseUrl: 'https://api.test/api/v1' });
    expect(err.message).toBe('Could not reach api.test (ENOTFOUND): the host name was not found in DNS. Check the API base URL and the network, then try again.');
  });

  it('keeps the error text when the code is not a common one', () => {
    const err = toLeadToSheetError(failure('EPROTO', 'write EPROTO wrong version number'), { baseUrl: 'https://api.test/api/v1' });
    expect(err.message).toBe('Could not reach api.test (EPROTO): write EPROTO wrong version number. Check the API base URL and the network, then try again.');
  });

  it('says "did not answer in time" for a timeout, with its code', () => {
    const err = toLeadToSheetError(failure('ETIMEDOUT', 'timeout'));
    expect(err.message).toBe('LeadToSheet did not answer in time (ETIMEDOUT). It is safe to try again; if it keeps happening, check the API base URL.');
  });

  it("reads axios's timeout (ECONNABORTED, \"timeout of … exceeded\") as a timeout, and its other ECONNABORTED as a network error", () => {
    expect(toLeadToSheetError(failure('ECONNABORTED', 'timeout of 30000ms exceeded', 'AxiosError')).code).toBe('timeout');
    expect(toLeadToSheetError(failure('ECONNABORTED', 'Request aborted', 'AxiosError')).code).toBe('network_error');
  });

  describe('finds the code down the cause chain', () => {
    const system = (code: string, message: string) => Object.assign(new Error(message), { code });

    it("fetch: TypeError('fetch failed') caused by the socket's error", () => {
      const thrown = new TypeError('fetch failed', { cause: system('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443') });
      const err = toLeadToSheetError(thrown, { baseUrl: 'https://api.test/api/v1' });
      expect(err).toMatchObject({ code: 'network_error', retryable: true });
      expect(err.message).toBe('Could not reach api.test (ECONNREFUSED): the connection was refused. Check the API base URL and the network, then try again.');
    });

    it("n8n: a NodeApiError in n8n's words, around axios's error that has the code", () => {
      const axios = Object.assign(new Error('getaddrinfo ENOTFOUND api.test'), { name: 'AxiosError', code: 'ENOTFOUND', config: { headers: { Authorization: `Bearer ${KEY}` } } });
      const n8n = Object.assign(new Error('The connection cannot be established, this usually occurs due to an incorrect host (domain) value', { cause: axios }), {
        name: 'NodeApiError',
        httpCode: 'ENOTFOUND',
      });
      const err = toLeadToSheetError(n8n, { baseUrl: 'https://api.test/api/v1', key: KEY });
      expect(err.message).toBe('Could not reach api.test (ENOTFOUND): the host name was not found in DNS. Check the API base URL and the network, then try again.');
      expectNoKey(err);
    });

    it('a timeout found deeper down', () => {
      const thrown = new TypeError('fetch failed', { cause: system('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error') });
      expect(toLeadToSheetError(thrown).code).toBe('timeout');
    });

    it('survives a cause cycle', () => {
      const a: Error & { cause?: unknown } = new Error('a');
      a.cause = new Error('b', { cause: a });
      expect(toLeadToSheetError(a)).toMatchObject({ code: 'network_error' });
    });
  });

  it.each<[string, unknown]>([
    ['an error message', failure('EPROTO', `request with Bearer ${KEY} failed`)],
    ['a thrown string', `request with Bearer ${KEY} failed`],
  ])('redacts a key inside %s', (_, thrown) => {
    const err = toLeadToSheetError(thrown, { key: KEY });
    expect(err.message).toContain('Bearer lts_AbCd…');
    expectNoKey(err);
  });

  it('copes with anything thrown', () => {
    expect(toLeadToSheetError(undefined)).toMatchObject({ status: 0, code: 'network_error' });
    expect(toLeadToSheetError(null)).toMatchObject({ status: 0, code: 'network_error' });
    expect(toLeadToSheetError(42).message).toContain('42');
  });
});

describe('LeadToSheetError', () => {
  it('passes an existing LeadToSheetError through unchanged', () => {
    const original = invalidInput('page', 'page must be 1 or more');
    expect(toLeadToSheetError(original, { operation: 'listForms' })).toBe(original);
  });

  it('is an Error with a name, and recognisable', () => {
    const err = toLeadToSheetError(res(500));
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(LeadToSheetError);
    expect(err.name).toBe('LeadToSheetError');
    expect(isLeadToSheetError(err)).toBe(true);
    expect(isLeadToSheetError(new Error('x'))).toBe(false);
  });

  it('serialises to plain JSON without the stack, the cause or the server message', () => {
    const err = toLeadToSheetError(res(429, apiError('rate_limited', 'Slow'), { 'retry-after': '3' }), { operation: 'listForms' });
    const json = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
    expect(json).toEqual({
      name: 'LeadToSheetError',
      status: 429,
      code: 'rate_limited',
      message: 'LeadToSheet is limiting how fast this API key can make requests. Try again in 3 seconds.',
      retryable: true,
      retryAfterMs: 3_000,
    });
    expect(json).not.toHaveProperty('stack');
  });

  it('builds invalid_input errors naming the field', () => {
    expect(invalidInput('perPage', 'too big').toJSON()).toEqual({
      name: 'LeadToSheetError',
      status: 0,
      code: 'invalid_input',
      message: 'Invalid input "perPage": too big',
      retryable: false,
      details: [{ field: 'perPage', message: 'too big' }],
      field: 'perPage',
      requiredScope: undefined,
      retryAfterMs: undefined,
    });
  });

  it('builds unexpected_response errors naming the operation', () => {
    expect(unexpectedResponse('getForm', 'name: missing')).toMatchObject({
      status: 0,
      code: 'unexpected_response',
      retryable: false,
      message: 'LeadToSheet answered in an unexpected format while trying to read a form: name: missing',
    });
  });
});
