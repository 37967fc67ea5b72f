import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { LeadToSheetClient, LeadToSheetError, invalidInput, type TransportRequest } from '@leadtosheet/shared';
import { createGotTransport } from '@leadtosheet/shared/got-transport';
import { FakeTransport } from './support/fake-transport.js';

const KEY = 'lts_AbCd1234efgh5678IJKL';
const BASE = 'https://api.test/api/v1';

const sub = (id: string, created_at = '2026-03-01T12:00:00.000Z') => ({ id, fields: { Email: `${id}@example.com` }, created_at });
const form = (id: string) => ({ id, name: `Form ${id}`, ignored: false });
const page = <T>(data: T[], pageNo = 1, totalPages = 1, perPage = 100) => ({
  data,
  pagination: { page: pageNo, per_page: perPage, total: totalPages * perPage, total_pages: totalPages },
});

function setup() {
  const transport = new FakeTransport();
  const client = new LeadToSheetClient(transport, { key: KEY, baseUrl: BASE });
  return { transport, client };
}

async function caught(promise: Promise<unknown>): Promise<LeadToSheetError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(LeadToSheetError);
    return err as LeadToSheetError;
  }
  throw new Error('expected a rejection');
}

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('LeadToSheetClient: what each method sends', () => {
  it.each<[string, (c: LeadToSheetClient) => Promise<unknown>, unknown, Partial<TransportRequest>]>([
    ['getSite', (c) => c.getSite(), { id: 's', name: 'Acme' }, { method: 'GET', path: '/site', idempotent: true }],
    [
      'listSubmissions with no input',
      (c) => c.listSubmissions(),
      page([]),
      { method: 'GET', path: '/submissions', query: {}, idempotent: true },
    ],
    [
      'listSubmissions with every filter',
      (c) => c.listSubmissions({ page: 2, perPage: 50, formId: 'f1', since: new Date('2026-03-01T00:00:00Z'), q: 'alice' }),
      page([]),
      {
        method: 'GET',
        path: '/submissions',
        query: { page: 2, per_page: 50, form_id: 'f1', since: '2026-03-01T00:00:00.000Z', q: 'alice' },
        idempotent: true,
      },
    ],
    [
      'listSubmissions with since as an ISO string with an offset (sent in UTC)',
      (c) => c.listSubmissions({ since: '2026-03-01T01:00:00+01:00' }),
      page([]),
      { query: { since: '2026-03-01T00:00:00.000Z' } },
    ],
    [
      'listSubmissions with since as a date only',
      (c) => c.listSubmissions({ since: '2026-03-01' }),
      page([]),
      { query: { since: '2026-03-01T00:00:00.000Z' } },
    ],
    [
      'listSubmissions with empty optional filters (left out)',
      (c) => c.listSubmissions({ formId: '', q: '', since: '' }),
      page([]),
      { query: {} },
    ],
    ['getSubmission', (c) => c.getSubmission('sub_1'), sub('sub_1'), { method: 'GET', path: '/submissions/sub_1', idempotent: true }],
    ['getSubmission with an id to encode', (c) => c.getSubmission('a/b c'), sub('a/b c'), { path: '/submissions/a%2Fb%20c' }],
    ['getSubmission trims the id', (c) => c.getSubmission('  sub_1 '), sub('sub_1'), { path: '/submissions/sub_1' }],
    [
      'createSubmission with fields only',
      (c) => c.createSubmission({ fields: { Email: 'a@b.test', 'Full name': 'Alice' } }),
      sub('s1'),
      { method: 'POST', path: '/submissions', body: { fields: { Email: 'a@b.test', 'Full name': 'Alice' } }, idempotent: false },
    ],
    [
      'createSubmission with form and metadata in snake_case',
      (c) =>
        c.createSubmission({
          fields: { Email: 'a@b.test' },
          formName: 'Contact',
          formId: 'f1',
          metadata: { utm_source: 'google', page_url: 'https://acme.test' },
        }),
      sub('s1'),
      {
        method: 'POST',
        path: '/submissions',
        body: { fields: { Email: 'a@b.test' }, form_name: 'Contact', form_id: 'f1', metadata: { utm_source: 'google', page_url: 'https://acme.test' } },
        idempotent: false,
      },
    ],
    [
      'createSubmission leaves out empty form names and empty metadata',
      (c) => c.createSubmission({ fields: { Email: 'a@b.test' }, formName: '', formId: '', metadata: {} }),
      sub('s1'),
      { body: { fields: { Email: 'a@b.test' } } },
    ],
    ['listForms', (c) => c.listForms({ page: 3, perPage: 10 }), page([]), { method: 'GET', path: '/forms', query: { page: 3, per_page: 10 }, idempotent: true }],
    ['listForms with no input', (c) => c.listForms(), page([]), { method: 'GET', path: '/forms', query: {} }],
    ['getForm', (c) => c.getForm('f1'), form('f1'), { method: 'GET', path: '/forms/f1', idempotent: true }],
    [
      'updateForm with every field in snake_case',
      (c) => c.updateForm('f1', { name: 'New', sheetTab: 'Leads 2', ignored: true }),
      form('f1'),
      { method: 'PATCH', path: '/forms/f1', body: { name: 'New', sheet_tab: 'Leads 2', ignored: true }, idempotent: true },
    ],
    ['updateForm with ignored: false only', (c) => c.updateForm('f1', { ignored: false }), form('f1'), { body: { ignored: false } }],
  ])('%s', async (_, call, answer, expected) => {
    const { transport, client } = setup();
    transport.reply(200, answer);
    await call(client);
    expect(transport.requests).toHaveLength(1);
    expect(transport.requests[0]).toMatchObject(expected);
    if ('query' in expected) expect(transport.requests[0]?.query).toEqual(expected.query);
    if ('body' in expected) expect(transport.requests[0]?.body).toEqual(expected.body);
    else expect(transport.requests[0]?.body).toBeUndefined();
  });
});

describe('LeadToSheetClient: input checked before anything is sent', () => {
  it.each<[string, string, (c: LeadToSheetClient) => Promise<unknown>, RegExp]>([
    ['createSubmission without input', 'fields', (c) => c.createSubmission(undefined as never), /name\/value pairs/],
    ['createSubmission without fields', 'fields', (c) => c.createSubmission({} as never), /at least one field is required/],
    ['createSubmission with empty fields', 'fields', (c) => c.createSubmission({ fields: {} }), /at least one field is required/],
    ['createSubmission with an empty field name', 'fields', (c) => c.createSubmission({ fields: { '': 'x' } }), /field names must not be empty/],
    ['createSubmission with a blank field name', 'fields', (c) => c.createSubmission({ fields: { '  ': 'x' } }), /field names must not be empty/],
    ['createSubmission with an object as a value', 'fields.Email', (c) => c.createSubmission({ fields: { Email: { a: 1 } as never } }), /a field value must be text, a number, true\/false, a list of texts or null/],
    ['createSubmission with a blank form name', 'form_name', (c) => c.createSubmission({ fields: { a: 'b' }, formName: '  ' }), /form_name must not be empty/],
    ['createSubmission with bad metadata', 'metadata.utm_source', (c) => c.createSubmission({ fields: { a: 'b' }, metadata: { utm_source: 5 as never } }), /expected string/],
    ['updateForm with nothing to update', 'input', (c) => c.updateForm('f1', {}), /nothing to update: give at least one of name, sheet_tab, ignored/],
    ['updateForm with only empty strings', 'input', (c) => c.updateForm('f1', { name: '', sheetTab: '' }), /nothing to update/],
    ['updateForm without input', 'input', (c) => c.updateForm('f1', undefined as never), /nothing to update/],
    ['updateForm with a blank name', 'name', (c) => c.updateForm('f1', { name: '   ' }), /name must not be empty/],
    ['updateForm with ignored as text', 'ignored', (c) => c.updateForm('f1', { ignored: 'yes' as never }), /expected boolean/],
    ['updateForm with an empty id', 'id', (c) => c.updateForm('', { name: 'x' }), /the form id is empty/],
    ['listSubmissions with per_page 0', 'perPage', (c) => c.listSubmissions({ perPage: 0 }), /per_page must be between 1 and 100/],
    ['listSubmissions with per_page 101', 'perPage', (c) => c.listSubmissions({ perPage: 101 }), /per_page must be between 1 and 100/],
    ['listSubmissions with per_page 1.5', 'perPage', (c) => c.listSubmissions({ perPage: 1.5 }), /per_page must be a whole number from 1 to 100/],
    ['listSubmissions with per_page as text', 'perPage', (c) => c.listSubmissions({ perPage: '10' as never }), /per_page must be a whole number/],
    ['listSubmissions with page 0', 'page', (c) => c.listSubmissions({ page: 0 }), /page must be 1 or more/],
    ['listSubmissions with page 1.5', 'page', (c) => c.listSubmissions({ page: 1.5 }), /page must be a whole number from 1/],
    ['listSubmissions with since as words', 'since', (c) => c.listSubmissions({ since: 'yesterday' }), /expected a date and time such as 2026-01-31T09:00:00Z, got "yesterday"/],
    ['listSubmissions with since "1" (not the year 2001)', 'since', (c) => c.listSubmissions({ since: '1' }), /expected a date and time/],
    ['listSubmissions with an impossible date', 'since', (c) => c.listSubmissions({ since: '2026-13-45' }), /expected a date and time/],
    ['listSubmissions with an invalid Date', 'since', (c) => c.listSubmissions({ since: new Date('nope') }), /expected a date and time/],
    ['listSubmissions with a blank form id', 'formId', (c) => c.listSubmissions({ formId: '   ' }), /the form id is empty/],
    ['listSubmissions with a long search', 'q', (c) => c.listSubmissions({ q: 'x'.repeat(501) }), /longer than 500 characters/],
    ['listForms with per_page 101', 'perPage', (c) => c.listForms({ perPage: 101 }), /between 1 and 100/],
    ['getSubmission with an empty id', 'id', (c) => c.getSubmission(''), /the submission id is empty/],
    ['getSubmission with a blank id', 'id', (c) => c.getSubmission('   '), /the submission id is empty/],
    ['getSubmission without an id', 'id', (c) => c.getSubmission(undefined as never), /the submission id must be text/],
    ['getForm with a too long id', 'id', (c) => c.getForm('x'.repeat(201)), /the form id is too long/],
  ])('%s → invalid_input on "%s"', async (_, field, call, message) => {
    const { transport, client } = setup();
    const err = await caught(call(client));
    expect(err).toMatchObject({ status: 0, code: 'invalid_input', retryable: false, field });
    expect(err.message).toMatch(new RegExp(`^Invalid input "${field.replace('.', '\\.')}": `));
    expect(err.message).toMatch(message);
    expect(transport.requests).toEqual([]);
  });
});

describe('LeadToSheetClient: what each method returns', () => {
  it.each<[string, unknown]>([
    ['a bare object', { id: 'site_1', name: 'Acme', plan: 'pro' }],
    ['an object wrapped in { data }', { data: { id: 'site_1', name: 'Acme', plan: 'pro' } }],
  ])('getSite reads %s and keeps unknown fields', async (_, body) => {
    const { transport, client } = setup();
    transport.reply(200, body);
    await expect(client.getSite()).resolves.toEqual({ id: 'site_1', name: 'Acme', plan: 'pro' });
  });

  it.each<[string, (c: LeadToSheetClient) => Promise<unknown>, number, unknown, unknown]>([
    ['getSubmission (wrapped)', (c) => c.getSubmission('s1'), 200, { data: sub('s1') }, sub('s1')],
    ['createSubmission (201, wrapped)', (c) => c.createSubmission({ fields: { a: 'b' } }), 201, { data: sub('s1') }, sub('s1')],
    ['createSubmission (201, bare)', (c) => c.createSubmission({ fields: { a: 'b' } }), 201, sub('s1'), sub('s1')],
    ['getForm (wrapped)', (c) => c.getForm('f1'), 200, { data: form('f1') }, form('f1')],
    ['updateForm (bare)', (c) => c.updateForm('f1', { name: 'n' }), 200, form('f1'), form('f1')],
    ['listSubmissions', (c) => c.listSubmissions(), 200, page([sub('s2'), sub('s1')]), page([sub('s2'), sub('s1')])],
    ['listForms', (c) => c.listForms(), 200, page([form('f1')]), page([form('f1')])],
  ])('%s', async (_, call, status, body, expected) => {
    const { transport, client } = setup();
    transport.reply(status, body);
    await expect(call(client)).resolves.toEqual(expected);
  });

  it.each<[string, (c: LeadToSheetClient) => Promise<unknown>, unknown, string]>([
    ['a list answered with a bare array', (c) => c.listSubmissions(), [sub('s1')], 'list submissions: body: Invalid input: expected object, received array'],
    ['a list without pagination', (c) => c.listForms(), { data: [] }, 'list forms: pagination: Invalid input: expected object, received undefined'],
    ['a list item without created_at', (c) => c.listSubmissions(), page([{ id: 's1', fields: {} }]), 'list submissions: data.0.created_at: '],
    ['a form without a name', (c) => c.getForm('f1'), { id: 'f1', ignored: false }, 'read a form: name: '],
    ['an empty body', (c) => c.createSubmission({ fields: { a: 'b' } }), undefined, 'create a submission: body: '],
    ['an HTML page', (c) => c.getSite(), '<html>login</html>', 'read the site: body: '],
  ])('%s → unexpected_response', async (_, call, body, message) => {
    const { transport, client } = setup();
    transport.reply(200, body);
    const err = await caught(call(client));
    expect(err).toMatchObject({ status: 0, code: 'unexpected_response', retryable: false });
    expect(err.message).toContain(`LeadToSheet answered in an unexpected format while trying to ${message}`);
  });
});

describe('LeadToSheetClient: failures mapped with what was being done', () => {
  it.each<[string, (c: LeadToSheetClient) => Promise<unknown>, number, unknown, Record<string, unknown>, RegExp]>([
    ['403 on updateForm names forms:write', (c) => c.updateForm('f1', { name: 'x' }), 403, { error: { code: 'insufficient_scope', message: 'Forbidden' } }, { code: 'insufficient_scope', requiredScope: 'forms:write' }, /lacks the "forms:write" scope, which is needed to update a form/],
    ['403 on createSubmission names submissions:write', (c) => c.createSubmission({ fields: { a: 'b' } }), 403, undefined, { requiredScope: 'submissions:write' }, /needed to create a submission/],
    ['403 on listSubmissions names submissions:read', (c) => c.listSubmissions(), 403, undefined, { requiredScope: 'submissions:read' }, /needed to list submissions/],
    ['404 on getForm names the form', (c) => c.getForm('f9'), 404, { error: { code: 'not_found', message: 'Not found' } }, { code: 'not_found' }, /form "f9" does not exist/],
    ['404 on getSubmission names the submission', (c) => c.getSubmission('s9'), 404, undefined, { code: 'not_found' }, /submission "s9" does not exist/],
    ['404 on a filtered list names the form', (c) => c.listSubmissions({ formId: 'f9' }), 404, undefined, { code: 'not_found' }, /form "f9" does not exist/],
    ['404 on a create for a form id names the form', (c) => c.createSubmission({ fields: { a: 'b' }, formId: 'f9' }), 404, undefined, { code: 'not_found' }, /form "f9" does not exist/],
    ['401 shows the masked key', (c) => c.getSite(), 401, { error: { code: 'invalid_token', message: 'revoked' } }, { code: 'invalid_token' }, /API key \(lts_AbCd…\): it is invalid, expired or was revoked/],
    ['422 lists the details', (c) => c.createSubmission({ fields: { a: 'b' } }), 422, { error: { code: 'validation_error', message: 'Bad', details: [{ field: 'fields.a', message: 'too long' }] } }, { field: 'fields.a' }, /could not create a submission because the input was rejected: fields\.a: too long/],
    ['429 carries the wait', (c) => c.listForms(), 429, undefined, { code: 'rate_limited', retryAfterMs: 7_000, retryable: true }, /Try again in 7 seconds/],
    ['500 is retryable', (c) => c.getForm('f1'), 500, 'oops', { code: 'internal_error', retryable: true }, /temporary problem \(HTTP 500\) while trying to read a form/],
  ])('%s', async (_, call, status, body, fields, message) => {
    const { transport, client } = setup();
    transport.reply(status, body, status === 429 ? { 'retry-after': '7' } : {});
    const err = await caught(call(client));
    expect(err).toMatchObject({ status, ...fields });
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(KEY);
  });

  it('maps a thrown network failure, naming the host', async () => {
    const { transport, client } = setup();
    transport.fail(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }));
    const err = await caught(client.getSite());
    expect(err).toMatchObject({ status: 0, code: 'network_error', retryable: true });
    expect(err.message).toMatch(/^Could not reach api\.test \(ECONNREFUSED\)/);
  });

  it('passes through a LeadToSheetError the transport threw', async () => {
    const { transport, client } = setup();
    const own = invalidInput('key', 'The API key is missing.');
    transport.fail(own);
    await expect(client.getSite()).rejects.toBe(own);
  });
});

describe('LeadToSheetClient: iterating pages', () => {
  it('walks every page of submissions, 100 a page, keeping the filter', async () => {
    const { transport, client } = setup();
    transport.reply(200, page([sub('s5'), sub('s4')], 1, 3)).reply(200, page([sub('s3'), sub('s2')], 2, 3)).reply(200, page([sub('s1')], 3, 3));
    const items = await drain(client.iterateSubmissions({ formId: 'f1', since: '2026-03-01T00:00:00Z' }));
    expect(items.map((s) => s.id)).toEqual(['s5', 's4', 's3', 's2', 's1']);
    expect(transport.requests.map((r) => r.query)).toEqual([1, 2, 3].map((p) => ({ page: p, per_page: 100, form_id: 'f1', since: '2026-03-01T00:00:00.000Z' })));
    expect(transport.pending).toBe(0);
  });

  it('yields an item once when a new arrival pushes it onto the next page', async () => {
    const { transport, client } = setup();
    transport.reply(200, page([sub('s4'), sub('s3')], 1, 2)).reply(200, page([sub('s3'), sub('s2')], 2, 2));
    const items = await drain(client.iterateSubmissions());
    expect(items.map((s) => s.id)).toEqual(['s4', 's3', 's2']);
  });

  it('follows total_pages as it grows while walking, and stops at the last page', async () => {
    const { transport, client } = setup();
    transport.reply(200, page([sub('s3')], 1, 2, 1)).reply(200, page([sub('s2')], 2, 3, 1)).reply(200, page([sub('s1')], 3, 3, 1));
    await expect(drain(client.iterateSubmissions({ perPage: 1 }))).resolves.toHaveLength(3);
    expect(transport.requests.map((r) => r.query?.page)).toEqual([1, 2, 3]);
    expect(transport.requests[0]?.query).toMatchObject({ per_page: 1 });
  });

  it('stops at an empty page even if total_pages says more', async () => {
    const { transport, client } = setup();
    transport.reply(200, page([sub('s2')], 1, 5)).reply(200, page([], 2, 5));
    await expect(drain(client.iterateSubmissions())).resolves.toHaveLength(1);
    expect(transport.requests).toHaveLength(2);
  });

  it('stops on an empty first page', async () => {
    const { transport, client } = setup();
    transport.reply(200, { data: [], pagination: { page: 1, per_page: 100, total: 0, total_pages: 0 } });
    await expect(drain(client.iterateForms())).resolves.toEqual([]);
    expect(transport.requests).toHaveLength(1);
  });

  it('throws too_many_pages at the cap, after yielding what it read', async () => {
    const { transport, client } = setup();
    transport.reply(200, page([sub('s9')], 1, 5)).reply(200, page([sub('s8')], 2, 5));
    const seen: string[] = [];
    const walk = async () => {
      for await (const s of client.iterateSubmissions({ maxPages: 2 })) seen.push(s.id);
    };
    await expect(walk()).rejects.toMatchObject({ code: 'too_many_pages', retryable: false, message: expect.stringMatching(/^Stopped after 2 pages \(500 items in all\)/) });
    expect(seen).toEqual(['s9', 's8']);
    expect(transport.requests).toHaveLength(2);
  });

  it('stops quietly at the cap with stopAtCap', async () => {
    const { transport, client } = setup();
    transport.reply(200, page([form('f3')], 1, 5)).reply(200, page([form('f2')], 2, 5));
    await expect(drain(client.iterateForms({ maxPages: 2, stopAtCap: true, perPage: 1 }))).resolves.toEqual([form('f3'), form('f2')]);
    expect(transport.requests.map((r) => r.query)).toEqual([{ page: 1, per_page: 1 }, { page: 2, per_page: 1 }]);
  });

  it('walks every page of forms and dedupes', async () => {
    const { transport, client } = setup();
    transport.reply(200, page([form('f3'), form('f2')], 1, 2)).reply(200, page([form('f2'), form('f1')], 2, 2));
    await expect(drain(client.iterateForms())).resolves.toEqual([form('f3'), form('f2'), form('f1')]);
  });

  it('checks its input before the first request', async () => {
    const { transport, client } = setup();
    await expect(drain(client.iterateSubmissions({ perPage: 0 }))).rejects.toMatchObject({ code: 'invalid_input', field: 'perPage' });
    await expect(drain(client.iterateForms({ perPage: 500 }))).rejects.toMatchObject({ code: 'invalid_input', field: 'perPage' });
    expect(transport.requests).toEqual([]);
  });

  it('stops with the mapped error when a page fails', async () => {
    const { transport, client } = setup();
    transport.reply(200, page([sub('s2')], 1, 2)).reply(403, { error: { code: 'insufficient_scope', message: 'no' } });
    await expect(drain(client.iterateSubmissions())).rejects.toMatchObject({ code: 'insufficient_scope', requiredScope: 'submissions:read' });
  });
});

describe('LeadToSheetClient over the got transport (nock)', () => {
  const client = () => new LeadToSheetClient(createGotTransport({ key: KEY, baseUrl: BASE, retry: { baseDelayMs: 1, maxDelayMs: 2 } }), { key: KEY, baseUrl: BASE });

  it('lists submissions with snake_case query parameters over HTTP', async () => {
    const scope = nock('https://api.test')
      .get('/api/v1/submissions')
      .query({ page: '1', per_page: '25', form_id: 'f 1', since: '2026-03-01T00:00:00.000Z', q: 'alice smith' })
      .matchHeader('authorization', `Bearer ${KEY}`)
      .reply(200, page([sub('s1')], 1, 1, 25));
    const result = await client().listSubmissions({ page: 1, perPage: 25, formId: 'f 1', since: '2026-03-01T00:00:00Z', q: 'alice smith' });
    expect(result.data.map((s) => s.id)).toEqual(['s1']);
    scope.done();
  });

  it('creates a submission once and unwraps the 201 answer', async () => {
    const scope = nock('https://api.test')
      .post('/api/v1/submissions', { fields: { Email: 'a@b.test' }, form_name: 'Contact' })
      .reply(201, { data: { ...sub('s1'), score: 80 } });
    await expect(client().createSubmission({ fields: { Email: 'a@b.test' }, formName: 'Contact' })).resolves.toEqual({ ...sub('s1'), score: 80 });
    scope.done();
  });

  it('a 403 on updateForm names forms:write', async () => {
    const scope = nock('https://api.test')
      .patch('/api/v1/forms/f1', { sheet_tab: 'Leads' })
      .reply(403, { error: { code: 'insufficient_scope', message: 'Missing scope', required_scope: 'forms:write' } });
    const err = await caught(client().updateForm('f1', { sheetTab: 'Leads' }));
    expect(err).toMatchObject({ status: 403, code: 'insufficient_scope', requiredScope: 'forms:write' });
    expect(err.message).toMatch(/"forms:write".*update a form/);
    scope.done();
  });

  it('a create answered 500 is sent once and reported as retryable', async () => {
    const scope = nock('https://api.test').post('/api/v1/submissions').once().reply(500, { error: { code: 'internal_error', message: 'db down' } });
    const err = await caught(client().createSubmission({ fields: { Email: 'a@b.test' } }));
    expect(err).toMatchObject({ status: 500, code: 'internal_error', retryable: true });
    scope.done();
  });

  it('iterates forms across pages over HTTP', async () => {
    const scope = nock('https://api.test')
      .get('/api/v1/forms')
      .query({ page: '1', per_page: '100' })
      .reply(200, page([form('f2')], 1, 2))
      .get('/api/v1/forms')
      .query({ page: '2', per_page: '100' })
      .reply(200, page([form('f1')], 2, 2));
    await expect(drain(client().iterateForms())).resolves.toEqual([form('f2'), form('f1')]);
    scope.done();
  });
});
