/**
 * The OpenAPI 3.1 document describes exactly what the sandbox does: real requests of
 * every kind (each documented status of each operation, successes and errors) are
 * validated against the document's schema for that path, method and status with Ajv
 * (JSON Schema 2020-12), documented headers must be present, and every documented
 * response must have been seen by the end.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { paths } from '@leadtosheet/shared';
import { raw, startSandbox, type Harness, type RawResponse } from './support/sandbox-harness.js';

const addFormats = addFormatsModule.default;
type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: any; responses: Record<string, any> }>>; components: any };

let h: Harness;
let doc: Doc;
let ajv: InstanceType<typeof Ajv2020>;
const seen = new Set<string>();
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Validates a response against the document, and records that this response was seen. */
function expectDocumented(path: string, method: string, res: RawResponse) {
  const status = String(res.status);
  const response = doc.paths[path]?.[method]?.responses[status];
  if (!response) throw new Error(`${method.toUpperCase()} ${path} answered ${status}, which the document does not list: ${res.text.slice(0, 200)}`);
  const validate = ajv.getSchema(`openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}`);
  if (!validate) throw new Error(`no schema for ${method} ${path} ${status}`);
  if (!validate(res.body)) {
    throw new Error(`${method.toUpperCase()} ${path} ${status} does not match the document: ${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 300)}`);
  }
  for (const name of Object.keys(response.headers ?? {})) {
    expect([name, res.headers.get(name) !== null]).toEqual([name, true]);
  }
  seen.add(`${method} ${path} ${status}`);
}

function expectValidBody(path: string, method: string, body: unknown, valid: boolean) {
  const validate = ajv.getSchema(`openapi.json#/${pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema')}`)!;
  expect(validate(body)).toBe(valid);
}

let ids: { submission: string; form: string; otherSiteForm: string };
let keys: Record<'full' | 'noScope', string>;

beforeAll(async () => {
  h = await startSandbox();
  doc = (await raw(h.baseUrl, '/openapi.json')).body as Doc;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
  const sub = h.sandbox.createSubmission(h.site.id, { formName: 'Contact', fields: { Email: 'a@example.com' }, metadata: { utm_source: 'x' } });
  const other = h.sandbox.createSite({ name: 'Other' });
  ids = { submission: sub.id, form: sub.form_id!, otherSiteForm: h.sandbox.createForm(other.id, { name: 'Theirs' }).id };
  // forms:write only: every scoped operation but PATCH /forms/{id} answers 403 (that one uses a reader key).
  const noScope = h.sandbox.createKey(h.site.id, { name: 'writer of forms only', scopes: ['forms:write'] }).key;
  keys = { full: h.fullKey, noScope };
});
afterAll(() => h.close());

const submissionPath = paths.submission('{id}').replace(encodeURIComponent('{id}'), '{id}');
const formPath = paths.form('{id}').replace(encodeURIComponent('{id}'), '{id}');

interface Op {
  path: string;
  method: 'get' | 'post' | 'patch';
  url: () => string;
  body?: () => unknown;
  /** A key without this operation's scope (none for getSite). */
  forbidden?: () => string;
}
const ops: Op[] = [
  { path: paths.site, method: 'get', url: () => paths.site },
  { path: paths.submissions, method: 'get', url: () => paths.submissions, forbidden: () => keys.noScope },
  { path: paths.submissions, method: 'post', url: () => paths.submissions, body: () => ({ fields: { Email: 'b@example.com' } }), forbidden: () => keys.noScope },
  { path: submissionPath, method: 'get', url: () => paths.submission(ids.submission), forbidden: () => keys.noScope },
  { path: paths.forms, method: 'get', url: () => paths.forms, forbidden: () => keys.noScope },
  { path: formPath, method: 'get', url: () => paths.form(ids.form), forbidden: () => keys.noScope },
  {
    path: formPath,
    method: 'patch',
    url: () => paths.form(ids.form),
    body: () => ({ sheet_tab: 'Leads' }),
    forbidden: () => h.sandbox.createKey(h.site.id, { name: 'reader', scopes: ['forms:read'] }).key,
  },
];
const call = (op: Op, key: string | null, extra: { url?: string; body?: unknown; rawBody?: string } = {}) =>
  raw(h.baseUrl, extra.url ?? op.url(), {
    method: op.method.toUpperCase(),
    key,
    ...(extra.rawBody !== undefined ? { rawBody: extra.rawBody } : extra.body !== undefined ? { body: extra.body } : op.body ? { body: op.body() } : {}),
  });

describe('the document', () => {
  it('is OpenAPI 3.1 with a bearer scheme, every contract path, and schemas that are valid JSON Schema 2020-12', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths).sort()).toEqual([paths.forms, formPath, paths.openapi, paths.site, submissionPath, paths.submissions].sort());
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      expect([name, ajv.validateSchema(schema as object)]).toEqual([name, true]);
    }
  });

  it('has teeth: a body that differs from the documented one is refused', () => {
    const schema = (path: string, method: string, status: string) =>
      ajv.getSchema(`openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}`)!;
    expect(schema(paths.site, 'get', '401')({ error: { code: 'not_found', message: 'x' } })).toBe(false);
    expect(schema(submissionPath, 'get', '200')({ form_id: 'f', fields: {}, created_at: '2026-01-01T00:00:00Z' })).toBe(false);
    expect(schema(paths.submissions, 'get', '200')({ data: [], pagination: { page: 0, per_page: 25, total: 0, total_pages: 0 } })).toBe(false);
    expect(schema(formPath, 'patch', '403')({ error: { code: 'insufficient_scope', message: 'x' } })).toBe(false);
  });

  it('its request body schemas accept what the sandbox accepts and refuse unknown keys', () => {
    expectValidBody(paths.submissions, 'post', { fields: { Email: 'a@b.c', Tags: ['x'] }, form_name: 'Contact', metadata: { utm_source: 'g' } }, true);
    expectValidBody(paths.submissions, 'post', { fields: { Email: 'a@b.c' }, email: 'a@b.c' }, false);
    expectValidBody(formPath, 'patch', { ignored: true }, true);
    expectValidBody(formPath, 'patch', { ignored: 'yes' }, false);
  });
});

describe('every response matches the document', () => {
  it('GET /openapi.json 200', async () => {
    expectDocumented(paths.openapi, 'get', await raw(h.baseUrl, '/openapi.json'));
  });

  it('success of each operation', async () => {
    for (const op of ops) expectDocumented(op.path, op.method, await call(op, keys.full));
  });

  it('401 for each operation (no key, unknown key)', async () => {
    for (const op of ops) {
      expectDocumented(op.path, op.method, await call(op, null));
      expectDocumented(op.path, op.method, await call(op, 'lts_unknownunknownunknownunknown00'));
    }
  });

  it('403 for each scoped operation', async () => {
    for (const op of ops.filter((o) => o.forbidden)) {
      const res = await call(op, op.forbidden!());
      expect(res.status).toBe(403);
      expectDocumented(op.path, op.method, res);
    }
  });

  it('404 for unknown and foreign ids', async () => {
    const byPath = (p: string, m: string) => ops.find((o) => o.path === p && o.method === m)!;
    expectDocumented(submissionPath, 'get', await call(byPath(submissionPath, 'get'), keys.full, { url: paths.submission('sub_unknown') }));
    expectDocumented(formPath, 'get', await call(byPath(formPath, 'get'), keys.full, { url: paths.form(ids.otherSiteForm) }));
    expectDocumented(formPath, 'patch', await call(byPath(formPath, 'patch'), keys.full, { url: paths.form('form_unknown') }));
    expectDocumented(paths.submissions, 'get', await call(byPath(paths.submissions, 'get'), keys.full, { url: `${paths.submissions}?form_id=form_unknown` }));
    expectDocumented(paths.submissions, 'post', await call(byPath(paths.submissions, 'post'), keys.full, { body: { form_id: 'form_unknown', fields: { a: 1 } } }));
  });

  it('400 and 422 for bad input', async () => {
    const post = ops.find((o) => o.path === paths.submissions && o.method === 'post')!;
    const patch = ops.find((o) => o.path === formPath && o.method === 'patch')!;
    const list = ops.find((o) => o.path === paths.submissions && o.method === 'get')!;
    const forms = ops.find((o) => o.path === paths.forms)!;
    expectDocumented(post.path, 'post', await call(post, keys.full, { rawBody: '{"fields":' }));
    expectDocumented(post.path, 'post', await call(post, keys.full, { body: { fields: {} } }));
    expectDocumented(post.path, 'post', await call(post, keys.full, { body: { fields: { password: 'x' } } }));
    expectDocumented(patch.path, 'patch', await call(patch, keys.full, { rawBody: 'nope' }));
    expectDocumented(patch.path, 'patch', await call(patch, keys.full, { body: {} }));
    expectDocumented(list.path, 'get', await call(list, keys.full, { url: `${paths.submissions}?page=0&per_page=1000&since=soon` }));
    expectDocumented(forms.path, 'get', await call(forms, keys.full, { url: `${paths.forms}?per_page=0` }));
  });

  it('429 (burst) and 500 (error rate) for each operation', async () => {
    for (const op of ops) {
      h.sandbox.faults.burst429(1, 2);
      expectDocumented(op.path, op.method, await call(op, keys.full));
      h.sandbox.faults.set({ errorRate: 1 });
      expectDocumented(op.path, op.method, await call(op, keys.full));
      h.sandbox.faults.reset();
    }
  });

  it('every documented response was seen', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) => Object.keys(operation.responses).map((status) => `${method} ${path} ${status}`)),
    );
    expect(documented.filter((d) => !seen.has(d))).toEqual([]);
  });
});
