/**
 * The edge: each LeadToSheetError becomes the Zapier error that makes the editor do the
 * right thing (reconnect, wait, fix an input), with a message naming what to do.
 */
import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { App, V1, api, apiError, appTester, bundle, failure } from './helpers.js';

const updateForm = App.creates.update_form.operation.perform;
const newForm = App.triggers.new_form.operation.perform;
const findSubmission = App.searches.find_submission.operation.perform;
const createLead = App.creates.create_lead.operation.perform;

describe('401: reconnect', () => {
  it('is an ExpiredAuthError telling the user to create a new key and reconnect', async () => {
    const scope = api().get(`${V1}/forms`).query(true).reply(401, apiError('invalid_token', 'Token expired'));
    const f = await failure(appTester(newForm, bundle()));
    expect(f.name).toBe('ExpiredAuthError');
    expect(f.message).toMatch(/Create a new API key in your LeadToSheet dashboard \(API keys\) and reconnect/);
    scope.done();
  });
});

describe('403 insufficient_scope: names the missing scope and the feature needing it', () => {
  it.each([
    ['the scope the server names', { required_scope: 'forms:write' }, 'Forbidden'],
    ['a scope named in the message', {}, 'This key lacks forms:write'],
    ['the scope the operation needs when the server names none', {}, 'Forbidden'],
  ])('from %s', async (_case, extra, message) => {
    const scope = api().patch(`${V1}/forms/frm_1`).reply(403, apiError('insufficient_scope', message, extra));
    const f = await failure(appTester(updateForm, bundle({ form_id: 'frm_1', name: 'Renamed' })));
    expect(f).toMatchObject({ name: 'AppError', code: 'insufficient_scope', status: 403 });
    expect(f.message).toContain('The "Update Form" action needs the "forms:write" scope');
    expect(f.message).toContain('Create a LeadToSheet API key that includes "forms:write"');
    expect(f.message).toContain('reconnect LeadToSheet in Zapier');
    scope.done();
  });

  it('names the trigger for a read scope', async () => {
    const scope = api().get(`${V1}/forms`).query(true).reply(403, apiError('insufficient_scope', 'Missing scope forms:read'));
    const f = await failure(appTester(newForm, bundle()));
    expect(f.message).toMatch(/^The "New Form" trigger needs the "forms:read" scope \(list and read forms\)/);
    scope.done();
  });
});

describe('429: ThrottledError with the server delay', () => {
  it.each([
    ['seconds', '30', 30],
    ['fractional seconds, rounded up', '1.2', 2],
  ])('Retry-After in %s', async (_case, retryAfter, delay) => {
    const scope = api().get(`${V1}/forms`).query(true).reply(429, apiError('rate_limited', 'Slow down'), { 'Retry-After': retryAfter });
    const f = await failure(appTester(newForm, bundle()));
    expect(f).toMatchObject({ name: 'ThrottledError', delay });
    expect(f.message).toMatch(/limiting how fast this API key can make requests/);
    scope.done();
  });

  it('Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    const scope = api().get(`${V1}/forms`).query(true).reply(429, apiError('rate_limited', 'Slow down'), { 'Retry-After': at });
    const f = await failure(appTester(newForm, bundle()));
    expect(f.name).toBe('ThrottledError');
    expect(f.delay).toBeGreaterThanOrEqual(118);
    expect(f.delay).toBeLessThanOrEqual(120);
    scope.done();
  });

  it('without Retry-After, leaves the delay to Zapier', async () => {
    const scope = api().get(`${V1}/forms`).query(true).reply(429, apiError('rate_limited', 'Slow down'));
    const f = await failure(appTester(newForm, bundle()));
    expect(f.name).toBe('ThrottledError');
    expect(f.delay).toBeUndefined();
    expect(f.message).toMatch(/Try again in a minute/);
    scope.done();
  });
});

describe('404 and 422: which input was wrong', () => {
  it('404 points at the Form input', async () => {
    const scope = api().patch(`${V1}/forms/frm_gone`).reply(404, apiError('not_found', 'No such form'));
    const f = await failure(appTester(updateForm, bundle({ form_id: 'frm_gone', name: 'Renamed' })));
    expect(f).toMatchObject({ name: 'AppError', code: 'not_found', status: 404 });
    expect(f.message).toMatch(/^Check the "Form" field\. Not found: form "frm_gone" does not exist/);
    scope.done();
  });

  it('422 names each rejected input by its label', async () => {
    const scope = api()
      .patch(`${V1}/forms/frm_1`)
      .reply(422, apiError('validation_error', 'Invalid', { details: [{ field: 'sheet_tab', message: 'must be 100 characters or fewer' }] }));
    const f = await failure(appTester(updateForm, bundle({ form_id: 'frm_1', sheet_tab: 'x'.repeat(90) })));
    expect(f).toMatchObject({ code: 'validation_error', status: 422 });
    expect(f.message).toBe('Check the "Sheet Tab" field: must be 100 characters or fewer');
    scope.done();
  });

  it('422 on a lead field names the field itself', async () => {
    const scope = api()
      .post(`${V1}/submissions`)
      .reply(422, apiError('validation_error', 'Invalid', { details: [{ field: 'fields.Email', message: 'is not an email address' }] }));
    const f = await failure(appTester(createLead, bundle({ other_fields: { Email: 'nope' } })));
    expect(f.message).toBe('Check the "Email" field: is not an email address');
    scope.done();
  });

  it('422 without details keeps the server message', async () => {
    const scope = api().post(`${V1}/submissions`).reply(422, apiError('validation_error', 'Form is archived'));
    const f = await failure(appTester(createLead, bundle({ other_fields: { Email: 'a@example.com' } })));
    expect(f.message).toMatch(/input was rejected: Form is archived/);
    scope.done();
  });

  it('a local input error (invalid_input) names the input before any request', async () => {
    const f = await failure(appTester(findSubmission, bundle({ value: 'a@example.com', since: 'last tuesday' })));
    expect(f).toMatchObject({ name: 'AppError', code: 'invalid_input', status: 400 });
    expect(f.message).toMatch(/^Check the "Submitted After" field: expected a date and time/);
  });
});

describe('everything else keeps the shared friendly message', () => {
  it('5xx says it is temporary and safe to retry', async () => {
    const scope = api().get(`${V1}/forms`).query(true).reply(503, apiError('internal_error', 'Maintenance'));
    const f = await failure(appTester(newForm, bundle()));
    expect(f).toMatchObject({ name: 'AppError', code: 'internal_error', status: 503 });
    expect(f.message).toMatch(/temporary problem \(HTTP 503\).*safe to try again/);
    scope.done();
  });

  it('a network failure names the host and the cause', async () => {
    // A real refused connection: nock's replyWithError never settles under node-fetch 2 on Node 24.
    const port = await closedPort();
    process.env.LTS_BASE_URL = `http://127.0.0.1:${port}/api/v1`;
    try {
      const f = await failure(appTester(newForm, bundle()));
      expect(f.code).toBe('network_error');
      expect(f.message).toMatch(new RegExp(`Could not reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
      expect(f.message).toMatch(/Check the API base URL and the network/);
    } finally {
      delete process.env.LTS_BASE_URL;
    }
  });

  it('an answer outside the contract says so', async () => {
    const scope = api().get(`${V1}/forms`).query(true).reply(200, { items: [] });
    const f = await failure(appTester(newForm, bundle()));
    expect(f.code).toBe('unexpected_response');
    expect(f.message).toMatch(/unexpected format while trying to list forms/);
    scope.done();
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
