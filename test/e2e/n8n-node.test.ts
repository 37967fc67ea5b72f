/**
 * The BUILT n8n package (n8n-node/dist, CommonJS, shared code bundled) driven against the
 * sandbox over real HTTP: n8n's request helpers are implemented with fetch and apply the
 * credential's own `authenticate` block (test/e2e/n8n-host.ts). Covers every operation,
 * the credential test, the form search, the trigger (baseline, ties, manual mode, filter),
 * a read-only key getting the scope message and a revoked key getting the reconnect message.
 *
 * Needs `npm run build -w n8n-node` first (test:all does it).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHost, testCredential, type CredentialTypeLike, type NodeTypeLike } from './n8n-host.js';
import { startSandbox, type Harness } from './support/sandbox-harness.js';

const require = createRequire(import.meta.url);
const pkgDir = new URL('../../n8n-node/', import.meta.url).pathname;
const pkg = require(`${pkgDir}package.json`) as { n8n: { nodes: string[]; credentials: string[] } };

/** Loads a class from the built package exactly as listed in its "n8n" block. */
function loadBuilt<T>(entry: string, className: string): T {
  const file = `${pkgDir}${entry}`;
  if (!existsSync(file)) throw new Error(`${entry} is not built: run "npm run build -w n8n-node" first`);
  const Type = (require(file) as Record<string, new () => T>)[className];
  if (!Type) throw new Error(`${entry} does not export ${className}`);
  return new Type();
}

// n8n-workflow as the built files resolve it (n8n provides it at run time).
const workflow = require(`${pkgDir}node_modules/n8n-workflow`) as {
  NodeApiError: new (node: unknown, error: unknown) => Error;
  NodeOperationError: new (node: unknown, error: unknown) => Error;
  NodeHelpers: { getNodeParameters: (...args: unknown[]) => Record<string, unknown> | null };
};

const credentialType = loadBuilt<CredentialTypeLike>(pkg.n8n.credentials[0]!, 'LeadToSheetApi');
const nodeEntry = pkg.n8n.nodes.find((n) => n.includes('/LeadToSheet/'))!;
const triggerEntry = pkg.n8n.nodes.find((n) => n.includes('/LeadToSheetTrigger/'))!;

let h: Harness;
let readOnlyKey: string;
let formsOnlyKey: string;
let revokedKey: string;

beforeAll(async () => {
  h = await startSandbox();
  readOnlyKey = h.sandbox.createKey(h.site.id, { name: 'read only', scopes: ['submissions:read', 'forms:read'] }).key;
  formsOnlyKey = h.sandbox.createKey(h.site.id, { name: 'forms only', scopes: ['forms:read'] }).key;
  const doomed = h.sandbox.createKey(h.site.id, { name: 'to revoke', scopes: ['submissions:read', 'submissions:write', 'forms:read', 'forms:write'] });
  revokedKey = doomed.key;
  h.sandbox.revokeKey(doomed.api_key.id);
});
afterAll(() => h.close());

function host(entry: string, className: string, parameters: Record<string, unknown>, apiKey = h.fullKey) {
  return createHost({
    nodeType: loadBuilt<NodeTypeLike>(entry, className),
    credentialType,
    credentials: { apiKey, baseUrl: h.baseUrl },
    parameters,
    resolveParameters: (properties, values) =>
      workflow.NodeHelpers.getNodeParameters(properties, values, true, false, { typeVersion: 1 }, null),
    wrapRequestError: (node, error) => new workflow.NodeApiError(node, error),
  });
}
const node = (parameters: Record<string, unknown>, apiKey?: string) => host(nodeEntry, 'LeadToSheet', parameters, apiKey);
const trigger = (parameters: Record<string, unknown> = {}, apiKey?: string) => host(triggerEntry, 'LeadToSheetTrigger', parameters, apiKey);
const fromList = (value: string) => ({ __rl: true, mode: 'list', value });
const jsonOf = (out: Array<Array<{ json: Record<string, unknown> }>> | null) => out?.[0]?.map((i) => i.json) ?? null;

async function rejection(promise: Promise<unknown>): Promise<Error & { httpCode?: string | null }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { httpCode?: string | null };
  }
  throw new Error('expected a failure, the call succeeded');
}

describe('the built package', () => {
  it('loads every node and credential listed in its n8n block, requiring nothing but n8n-workflow', () => {
    expect(credentialType.name).toBe('leadToSheetApi');
    expect(loadBuilt<NodeTypeLike>(nodeEntry, 'LeadToSheet').description).toMatchObject({ name: 'leadToSheet', usableAsTool: true });
    expect(loadBuilt<NodeTypeLike>(triggerEntry, 'LeadToSheetTrigger').description).toMatchObject({ name: 'leadToSheetTrigger', polling: true, inputs: [] });
  });
});

describe('credential test', () => {
  it('connects with a full key, and with a read-only key (reading the site needs no scope)', async () => {
    await expect(testCredential(credentialType, { apiKey: h.fullKey, baseUrl: h.baseUrl })).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
    await expect(testCredential(credentialType, { apiKey: formsOnlyKey, baseUrl: h.baseUrl })).resolves.toMatchObject({ status: 'OK' });
  });

  it('a revoked key gets the reconnect message', async () => {
    const result = await testCredential(credentialType, { apiKey: revokedKey, baseUrl: h.baseUrl });
    expect(result.status).toBe('Error');
    expect(result.message).toMatch(/refused the API key: it is invalid, expired or was revoked\. Create a new API key .* reconnect/);
  });
});

describe('LeadToSheet node, full key', () => {
  let leadId: string;
  let formId: string;

  it('Site > Get', async () => {
    const [out] = await node({ resource: 'site', operation: 'get' }).execute();
    expect(out).toEqual([{ json: expect.objectContaining({ id: h.site.id, name: 'Acme' }), pairedItem: { item: 0 } }]);
  });

  it('Submission > Create files the lead under a form by name, with metadata', async () => {
    const [out] = await node({
      resource: 'submission',
      operation: 'create',
      fields: { field: [{ name: 'Email', value: 'alice@example.com' }, { name: 'Full name', value: 'Alice' }] },
      metadata: { page_url: 'https://acme.test/contact', utm_campaign: 'spring' },
      options: { formName: 'Contact' },
    }).execute();
    const lead = out![0]!.json;
    expect(lead).toMatchObject({
      fields: { Email: 'alice@example.com', 'Full name': 'Alice' },
      form_name: 'Contact',
      metadata: expect.objectContaining({ page_url: 'https://acme.test/contact', utm_campaign: 'spring' }),
    });
    leadId = String(lead.id);
    formId = String(lead.form_id);
  });

  it('the form search finds the new form, and Form > Get reads it', async () => {
    const search = await node({ resource: 'form', operation: 'get' }).listSearch('searchForms', 'cont');
    expect(search.results).toContainEqual({ name: 'Contact', value: formId });
    const [out] = await node({ resource: 'form', operation: 'get', form: fromList(formId) }).execute();
    expect(out![0]!.json).toMatchObject({ id: formId, name: 'Contact', ignored: false });
  });

  it('Submission > Create with JSON fields into the chosen form', async () => {
    const [out] = await node({
      resource: 'submission',
      operation: 'create',
      form: fromList(formId),
      fieldsInput: 'json',
      fieldsJson: JSON.stringify({ Email: 'bob@example.com', Score: 8, Topics: ['pricing', 'demo'] }),
    }).execute();
    expect(out![0]!.json).toMatchObject({ form_id: formId, fields: { Email: 'bob@example.com', Score: 8, Topics: ['pricing', 'demo'] } });
  });

  it('Submission > Get and Get Many (form filter, search, limit)', async () => {
    const [one] = await node({ resource: 'submission', operation: 'get', submissionId: leadId }).execute();
    expect(one![0]!.json.id).toBe(leadId);

    const [found] = await node({ resource: 'submission', operation: 'getAll', form: fromList(formId), filters: { q: 'alice' } }).execute();
    expect(found!.map((i) => i.json.id)).toEqual([leadId]);

    const [limited] = await node({ resource: 'submission', operation: 'getAll', limit: 1 }).execute();
    expect(limited).toHaveLength(1);
    expect(limited![0]!.json.fields).toMatchObject({ Email: 'bob@example.com' });
  });

  it('Form > Get Many and Form > Update; an update that changes nothing is refused', async () => {
    const [forms] = await node({ resource: 'form', operation: 'getAll', returnAll: true }).execute();
    expect(forms!.map((i) => i.json.id)).toContain(formId);

    const [updated] = await node({
      resource: 'form',
      operation: 'update',
      form: fromList(formId),
      updateFields: { name: 'Contact us', sheetTab: 'Leads' },
    }).execute();
    expect(updated![0]!.json).toMatchObject({ id: formId, name: 'Contact us', sheet_tab: 'Leads' });

    const nothing = await rejection(node({ resource: 'form', operation: 'update', form: fromList(formId), updateFields: {} }).execute());
    expect(nothing).toBeInstanceOf(workflow.NodeOperationError);
    expect(nothing.message).toContain('nothing to update');
  });

  it('a missing submission is named (404)', async () => {
    const error = await rejection(node({ resource: 'submission', operation: 'get', submissionId: 'sub_nope' }).execute());
    expect(error).toBeInstanceOf(workflow.NodeApiError);
    expect(error.message).toMatch(/^Not found: submission "sub_nope" does not exist/);
    expect(error.httpCode).toBe('404');
  });

  it('Continue On Fail over real HTTP: the bad item becomes an error item, every item keeps its pairing', async () => {
    const [out] = await node({ resource: 'submission', operation: 'get' }).execute([{}, {}], {
      continueOnFail: true,
      itemParameters: [{ submissionId: 'sub_nope' }, { submissionId: leadId }],
    });
    expect(out).toEqual([
      { json: expect.objectContaining({ code: 'not_found', httpCode: 404 }), pairedItem: { item: 0 } },
      { json: expect.objectContaining({ id: leadId }), pairedItem: { item: 1 } },
    ]);
  });
});

describe('LeadToSheet node, read-only and revoked keys', () => {
  it('a read-only key reads, and gets the scope message when it writes', async () => {
    const [read] = await node({ resource: 'submission', operation: 'getAll', returnAll: true }, readOnlyKey).execute();
    expect(read!.length).toBeGreaterThan(0);

    const create = await rejection(
      node({ resource: 'submission', operation: 'create', fields: { field: [{ name: 'Email', value: 'x@example.com' }] } }, readOnlyKey).execute(),
    );
    expect(create).toBeInstanceOf(workflow.NodeApiError);
    expect(create.message).toBe(
      'This API key lacks the "submissions:write" scope, which is needed to create a submission. Create a LeadToSheet API key that includes "submissions:write" and reconnect with it.',
    );
    expect(create.httpCode).toBe('403');

    const existing = h.sandbox.createForm(h.site.id, { name: 'Scoped' });
    const forms = await rejection(
      node({ resource: 'form', operation: 'update', form: fromList(existing.id), updateFields: { ignored: true } }, formsOnlyKey).execute(),
    );
    expect(forms.message).toMatch(/lacks the "forms:write" scope, which is needed to update a form/);
  });

  it('a revoked key gets the reconnect message, naming only the key prefix', async () => {
    const error = await rejection(node({ resource: 'site', operation: 'get' }, revokedKey).execute());
    expect(error).toBeInstanceOf(workflow.NodeApiError);
    expect(error.message).toMatch(/^LeadToSheet refused the API key \(lts_.{4}…\): it is invalid, expired or was revoked\. Create a new API key/);
    expect(error.message).not.toContain(revokedKey);
    expect(error.httpCode).toBe('401');
  });
});

describe('LeadToSheet Trigger', () => {
  it('baseline first, then only new leads, oldest first; same-millisecond arrivals once each', async () => {
    const site = h.sandbox.createSite({ name: 'Trigger site' });
    const key = h.sandbox.createKey(site.id, { name: 'trigger', scopes: ['submissions:read', 'forms:read'] }).key;
    const lead = (email: string, createdAt?: Date, formName = 'Contact') =>
      h.sandbox.createSubmission(site.id, { formName, fields: { Email: email }, ...(createdAt ? { createdAt } : {}) });
    lead('before@example.com', new Date(Date.now() - 60_000));

    const t = trigger({}, key);
    expect(await t.poll()).toBeNull();
    expect(await t.poll()).toBeNull();

    const tie = new Date(Date.now() - 1_000);
    const a = lead('a@example.com', new Date(tie.getTime() - 500));
    const b = lead('b@example.com', tie);
    const c = lead('c@example.com', tie);
    const first = jsonOf(await t.poll())!.map((s) => s.id);
    expect(first).toHaveLength(3);
    expect(first[0]).toBe(a.id);
    expect(first.slice(1).sort()).toEqual([b.id, c.id].sort());

    const d = lead('d@example.com', tie);
    expect(jsonOf(await t.poll())!.map((s) => s.id)).toEqual([d.id]);
    expect(await t.poll()).toBeNull();
  });

  it('filters by form; manual mode returns the most recent lead of that form and leaves the state alone', async () => {
    const site = h.sandbox.createSite({ name: 'Filter site' });
    const key = h.sandbox.createKey(site.id, { name: 'trigger', scopes: ['submissions:read', 'forms:read'] }).key;
    const quote = h.sandbox.createForm(site.id, { name: 'Quote' });
    h.sandbox.createSubmission(site.id, { formId: quote.id, fields: { Email: 'q1@example.com' }, createdAt: new Date(Date.now() - 5_000) });
    h.sandbox.createSubmission(site.id, { formName: 'Other', fields: { Email: 'o1@example.com' }, createdAt: new Date(Date.now() - 4_000) });

    const t = trigger({ form: fromList(quote.id) }, key);
    const sample = jsonOf(await t.poll('manual'));
    expect(sample).toEqual([expect.objectContaining({ form_id: quote.id, fields: { Email: 'q1@example.com' } })]);
    expect(t.staticData).toEqual({});

    expect(await t.poll()).toBeNull();
    h.sandbox.createSubmission(site.id, { formName: 'Other', fields: { Email: 'o2@example.com' } });
    const q2 = h.sandbox.createSubmission(site.id, { formId: quote.id, fields: { Email: 'q2@example.com' } });
    expect(jsonOf(await t.poll())!.map((s) => s.id)).toEqual([q2.id]);
  });

  it('manual mode surfaces the scope message and the reconnect message', async () => {
    const scope = await rejection(trigger({}, formsOnlyKey).poll('manual'));
    expect(scope).toBeInstanceOf(workflow.NodeApiError);
    expect(scope.message).toMatch(/lacks the "submissions:read" scope, which is needed to list submissions/);

    const revoked = await rejection(trigger({}, revokedKey).poll('manual'));
    expect(revoked.message).toMatch(/invalid, expired or was revoked\. Create a new API key .* reconnect/);
  });
});
