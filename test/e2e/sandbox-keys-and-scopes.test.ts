/**
 * Keys as LeadToSheet documents them, over real HTTP through the shared client: each
 * scope enforced on each operation, revoke and rotate effective on the very next call,
 * last-used time, expiry (with a hand-moved clock), and every 401 case named.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { operationScopes, type LeadToSheetClient, type Operation, type Scope } from '@leadtosheet/shared';
import { ALL_SCOPES, clientFor, failure, manualClock, raw, startSandbox, type Harness } from './support/sandbox-harness.js';

const clock = manualClock();
let h: Harness;
let formId: string;
let submissionId: string;

beforeAll(async () => {
  h = await startSandbox({ now: clock.now });
  const sub = h.sandbox.createSubmission(h.site.id, { formName: 'Contact', fields: { Email: 'alice@example.com' } });
  formId = sub.form_id!;
  submissionId = sub.id;
});
afterAll(() => h.close());

const calls: Record<Exclude<Operation, 'getSite'>, (c: LeadToSheetClient) => Promise<unknown>> = {
  listSubmissions: (c) => c.listSubmissions(),
  getSubmission: (c) => c.getSubmission(submissionId),
  createSubmission: (c) => c.createSubmission({ fields: { Email: 'new@example.com' } }),
  listForms: (c) => c.listForms(),
  getForm: (c) => c.getForm(formId),
  updateForm: (c) => c.updateForm(formId, { sheetTab: 'Leads' }),
};

describe('each scope is enforced on each operation', () => {
  it.each(Object.keys(calls) as (keyof typeof calls)[])('%s: 403 insufficient_scope naming the scope without it, success with it', async (op) => {
    const needed = operationScopes[op] as Scope;
    const without = h.sandbox.createKey(h.site.id, { name: `without ${needed}`, scopes: ALL_SCOPES.filter((s) => s !== needed) }).key;
    const only = h.sandbox.createKey(h.site.id, { name: `only ${needed}`, scopes: [needed] }).key;
    const before = h.sandbox.store.counts();

    const err = await failure(calls[op](clientFor(h.baseUrl, without)));
    expect(err.status).toBe(403);
    expect(err.code).toBe('insufficient_scope');
    expect(err.requiredScope).toBe(needed);
    expect(err.serverMessage).toContain(needed);
    expect(h.sandbox.store.counts()).toEqual(before);

    await expect(calls[op](clientFor(h.baseUrl, only))).resolves.toBeDefined();
  });

  it('getSite needs no particular scope: any valid key reads the site and its usage', async () => {
    const key = h.sandbox.createKey(h.site.id, { name: 'forms only', scopes: ['forms:read'] }).key;
    const site = await clientFor(h.baseUrl, key).getSite();
    expect(site).toMatchObject({ id: h.site.id, name: 'Acme', domain: 'acme.test' });
    expect(site.usage).toEqual({ submissions: expect.any(Number), forms: expect.any(Number) });
  });

  it('the 403 answer also carries required_scope and a Bearer insufficient_scope challenge', async () => {
    const key = h.sandbox.createKey(h.site.id, { name: 'read only', scopes: ['submissions:read'] }).key;
    const res = await raw(h.baseUrl, `/forms/${formId}`, { method: 'PATCH', key, body: { name: 'X' } });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'insufficient_scope', required_scope: 'forms:write' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="LeadToSheet", error="insufficient_scope", scope="forms:write"');
  });
});

describe('revoke, rotate, last used, expiry', () => {
  it('a revoked key is refused on the very next call, and stays listed as revoked', async () => {
    const issued = h.sandbox.createKey(h.site.id, { name: 'to revoke', scopes: ['forms:read'] });
    const client = clientFor(h.baseUrl, issued.key);
    await expect(client.listForms()).resolves.toBeDefined();

    h.sandbox.revokeKey(issued.api_key.id);
    const err = await failure(client.listForms());
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_token');
    expect(err.serverMessage).toMatch(/was revoked/);

    const listed = h.sandbox.listKeys(h.site.id).find((k) => k.id === issued.api_key.id);
    expect(listed).toMatchObject({ revoked: true, status: 'revoked', revoked_at: clock.iso() });
  });

  it('revoking again changes nothing: it cannot be undone and keeps the first revocation time', async () => {
    const issued = h.sandbox.createKey(h.site.id, { name: 'twice', scopes: ['forms:read'] });
    const first = h.sandbox.revokeKey(issued.api_key.id);
    clock.advance(60_000);
    const second = h.sandbox.revokeKey(issued.api_key.id);
    expect(second.revoked_at).toBe(first.revoked_at);
    expect((await failure(clientFor(h.baseUrl, issued.key).getSite())).status).toBe(401);
  });

  it('rotate issues a new key with the same name and scopes and kills the old one', async () => {
    const issued = h.sandbox.createKey(h.site.id, { name: 'zapier', scopes: ['submissions:read', 'forms:read'] });
    const rotated = h.sandbox.rotateKey(issued.api_key.id);
    expect(rotated.key).not.toBe(issued.key);
    expect(rotated.api_key).toMatchObject({ name: 'zapier', scopes: ['submissions:read', 'forms:read'], revoked: false });
    expect(rotated.revoked).toMatchObject({ id: issued.api_key.id, revoked: true, replaced_by: rotated.api_key.id });

    const old = await failure(clientFor(h.baseUrl, issued.key).listSubmissions());
    expect(old.status).toBe(401);
    await expect(clientFor(h.baseUrl, rotated.key).listSubmissions()).resolves.toMatchObject({ pagination: { page: 1 } });
  });

  it('last_used_at is null until the first call, then the time of each authenticated call', async () => {
    const issued = h.sandbox.createKey(h.site.id, { name: 'usage', scopes: ['forms:read'] });
    const listed = () => h.sandbox.listKeys(h.site.id).find((k) => k.id === issued.api_key.id)!;
    expect(listed().last_used_at).toBeNull();

    await clientFor(h.baseUrl, issued.key).getSite();
    expect(listed().last_used_at).toBe(clock.iso());

    clock.advance(5 * 60_000);
    await failure(clientFor(h.baseUrl, issued.key).listSubmissions()); // 403 still counts as a use of the key
    expect(listed().last_used_at).toBe(clock.iso());
  });

  it('an expired key is refused once the clock passes expires_at', async () => {
    const expiresAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const issued = h.sandbox.createKey(h.site.id, { name: 'short-lived', scopes: ['forms:read'], expires_at: expiresAt });
    const client = clientFor(h.baseUrl, issued.key);
    await expect(client.listForms()).resolves.toBeDefined();

    clock.advance(3_600_000);
    const err = await failure(client.listForms());
    expect(err.status).toBe(401);
    expect(err.serverMessage).toContain(`expired on ${expiresAt}`);
    expect(h.sandbox.listKeys(h.site.id).find((k) => k.id === issued.api_key.id)?.status).toBe('expired');
  });

  it('a key cannot be created already expired, nor without scopes, nor with an unknown scope', () => {
    expect(() => h.sandbox.createKey(h.site.id, { name: 'past', scopes: ['forms:read'], expires_at: '2020-01-01T00:00:00Z' })).toThrow(/in the past/);
    expect(() => h.sandbox.createKey(h.site.id, { name: 'none', scopes: [] })).toThrow(/at least one scope/);
    expect(() => h.sandbox.createKey(h.site.id, { name: 'bad', scopes: ['admin' as Scope] })).toThrow(/each scope must be one of/);
  });
});

describe('401 invalid_token names the case and never echoes the key', () => {
  const cases: [string, (key: string) => Record<string, string>, RegExp][] = [
    ['no Authorization header', () => ({}), /No API key was sent/],
    ['another scheme', (k) => ({ authorization: `Basic ${k}` }), /Authorization header is malformed/],
    ['a token that is not an lts_ key', () => ({ authorization: 'Bearer sk_live_abcdefghijklmnopqrstuvwxyz' }), /malformed.*not a LeadToSheet API key/],
    ['an unknown lts_ key', (k) => ({ authorization: `Bearer ${k.slice(0, -4)}zzzz` }), /not known/],
  ];

  it.each(cases)('%s', async (_name, headers, message) => {
    const res = await raw(h.baseUrl, '/site', { key: null, headers: headers(h.fullKey) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_token');
    expect(res.body.error.message).toMatch(message);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="LeadToSheet", error="invalid_token", error_description="[^"]+"$/);
    expect(res.text).not.toContain(h.fullKey.slice(4, 20));
    expect(challenge).not.toContain(h.fullKey.slice(4, 20));
  });
});
