/**
 * Bad input is answered with the documented status and code and a message specific
 * enough to fix the request, and NOTHING is stored (counts checked before and after).
 * Raw HTTP for what the shared client refuses locally; the client where it lets it through.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateSubmissionBodySchema } from '@leadtosheet/shared';
import type { StoreCounts } from 'lts-sandbox';
import { clientFor, failure, raw, startSandbox, type Harness } from './support/sandbox-harness.js';

let h: Harness;
let formId: string;
let before: StoreCounts;
let formBefore: unknown;

beforeAll(async () => {
  h = await startSandbox();
  formId = h.sandbox.createSubmission(h.site.id, { formName: 'Contact', fields: { Email: 'a@example.com' } }).form_id!;
});
afterAll(() => h.close());

beforeEach(() => {
  before = h.sandbox.store.counts();
  formBefore = structuredClone(h.sandbox.store.form(formId));
});

const nothingStored = () => {
  expect(h.sandbox.store.counts()).toEqual(before);
  expect(h.sandbox.store.form(formId)).toEqual(formBefore);
};

const post = (body: unknown) => raw(h.baseUrl, '/submissions', { method: 'POST', key: h.fullKey, body });

describe('400 validation_error: a body that cannot be read', () => {
  it('malformed JSON', async () => {
    const res = await raw(h.baseUrl, '/submissions', { method: 'POST', key: h.fullKey, rawBody: '{"fields": {"Email": "a@b.c",}}' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(/^The request body is not valid JSON: /) });
    nothingStored();
  });

  it('a 2 MB body (the limit is 1 MB)', async () => {
    const res = await post({ fields: { Message: 'x'.repeat(2 * 1024 * 1024) } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(/larger than the 1 MB limit/) });
    nothingStored();
  });

  it('a body that is not JSON at all (form-encoded)', async () => {
    const res = await raw(h.baseUrl, '/submissions', {
      method: 'POST',
      key: h.fullKey,
      rawBody: 'Email=a%40b.c',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/must be JSON sent with "Content-Type: application\/json"/);
    nothingStored();
  });

  it('malformed JSON on PATCH /forms/{id} leaves the form as it was', async () => {
    const res = await raw(h.baseUrl, `/forms/${formId}`, { method: 'PATCH', key: h.fullKey, rawBody: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    nothingStored();
  });
});

/** The message shared's own body schema gives for the issue at `field`: the sandbox passes it on. */
function sharedMessage(body: unknown, field: string): RegExp {
  const issue = CreateSubmissionBodySchema.safeParse(body).error?.issues.find((i) => i.path.join('.') === field);
  if (!issue) throw new Error(`shared's schema finds nothing wrong at ${field}`);
  return new RegExp(`^${issue.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

describe('422 validation_error with details naming each field', () => {
  const notObject = { fields: 'Email=a@b.c' };
  const wrongValue = { fields: { Email: { nested: true } } };
  const wrongName = { fields: { Email: 'a@b.c' }, form_name: 42 };
  const noFields = { form_name: 'Contact' };
  const cases: [string, unknown, { field: string; message: RegExp }[]][] = [
    ['fields is not an object', notObject, [{ field: 'fields', message: sharedMessage(notObject, 'fields') }]],
    ['a field value of a wrong type', wrongValue, [{ field: 'fields.Email', message: sharedMessage(wrongValue, 'fields.Email') }]],
    ['form_name of a wrong type', wrongName, [{ field: 'form_name', message: sharedMessage(wrongName, 'form_name') }]],
    ['an empty fields object', { fields: {} }, [{ field: 'fields', message: /at least one field is required/ }]],
    ['no fields at all', noFields, [{ field: 'fields', message: sharedMessage(noFields, 'fields') }]],
    [
      'unknown body keys, each named',
      { fields: { Email: 'a@b.c' }, email: 'a@b.c', source: 'web' },
      [
        { field: 'email', message: /unknown field "email"/ },
        { field: 'source', message: /unknown field "source"/ },
      ],
    ],
    ['a JSON array instead of an object', [{ fields: { Email: 'a@b.c' } }], [{ field: 'body', message: /expected object/ }]],
  ];

  it.each(cases)('POST /submissions: %s', async (_name, body, expected) => {
    const res = await post(body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.details).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(res.body.error.details[i].field).toBe(e.field);
      expect(res.body.error.details[i].message).toMatch(e.message);
    });
    expect(res.body.error.message).toContain(expected[0]!.field);
    nothingStored();
  });

  const queryCases: [string, string, string, RegExp][] = [
    ['page=0', '?page=0', 'page', /page must be 1 or more \(got 0\)/],
    ['per_page=1000', '?per_page=1000', 'per_page', /per_page must be at most 100 \(got 1000\)/],
    ['per_page=abc', '?per_page=abc', 'per_page', /per_page must be a whole number/],
    ['a bad since', '?since=yesterday', 'since', /since must be an ISO 8601 date and time/],
    ['page given twice', '?page=1&page=2', 'page', /give page only once/],
  ];

  it.each(queryCases)('GET /submissions with %s', async (_name, query, field, message) => {
    const res = await raw(h.baseUrl, `/submissions${query}`, { key: h.fullKey });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_error', details: [{ field, message: expect.stringMatching(message) }] });
  });

  it('GET /forms with per_page=1000', async () => {
    const res = await raw(h.baseUrl, '/forms?per_page=1000', { key: h.fullKey });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'per_page', message: 'per_page must be at most 100 (got 1000)' }]);
  });

  it('PATCH /forms/{id} with nothing in it', async () => {
    const res = await raw(h.baseUrl, `/forms/${formId}`, { method: 'PATCH', key: h.fullKey, body: {} });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/nothing to update: give at least one of name, sheet_tab, ignored/);
    nothingStored();
  });

  it('PATCH /forms/{id} with wrong types and an unknown key', async () => {
    const res = await raw(h.baseUrl, `/forms/${formId}`, { method: 'PATCH', key: h.fullKey, body: { ignored: 'yes', name: '', tab: 'x' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['ignored', 'name', 'tab']);
    nothingStored();
  });
});

describe('the shared client gets the same answers', () => {
  it('an unknown submission id: 404 not_found', async () => {
    const err = await failure(clientFor(h.baseUrl, h.fullKey).getSubmission('sub_00000000000000000000000000'));
    expect(err).toMatchObject({ status: 404, code: 'not_found' });
    expect(err.serverMessage).toBe('No submission with id "sub_00000000000000000000000000" on this site.');
  });

  it('an unknown form id, read or updated: 404 not_found, nothing changed', async () => {
    const client = clientFor(h.baseUrl, h.fullKey);
    expect(await failure(client.getForm('form_nope'))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await failure(client.updateForm('form_nope', { name: 'X' }))).toMatchObject({ status: 404, code: 'not_found' });
    nothingStored();
  });

  it('what the sandbox answers 422 for, the client already refuses before sending', async () => {
    const client = clientFor(h.baseUrl, h.fullKey);
    const res = await raw(h.baseUrl, '/submissions', { method: 'POST', key: h.fullKey, body: { fields: { Age: { years: 4 } } } });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe('fields.Age');
    // The client refuses the same input locally, before sending anything.
    const local = await failure(client.createSubmission({ fields: { Age: { years: 4 } as never } }));
    expect(local.status).toBe(0);
    nothingStored();
  });

  it('an unknown route: 404 not_found naming it', async () => {
    const res = await raw(h.baseUrl, '/leads', { key: h.fullKey });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'There is no GET /api/v1/leads here.' });
  });
});
