/**
 * The sandbox's own admin API (/_sandbox), used by tests and the CLI: sites, keys (shown
 * once, listed by prefix), revoke and rotate effective at once on the LeadToSheet API,
 * forms and leads with explicit times, the demo seed; answered on loopback only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSandbox } from 'lts-sandbox';
import { clientFor, failure, raw, startSandbox, type Harness } from './support/sandbox-harness.js';

let h: Harness;
let admin: (path: string, init?: { method?: string; body?: unknown }) => ReturnType<typeof raw>;

beforeAll(async () => {
  h = await startSandbox();
  admin = (path, init = {}) => raw(h.running.url, `/_sandbox${path}`, { ...init, key: null });
});
afterAll(() => h.close());

describe('sites and keys', () => {
  let siteId: string;

  it('creates a site (201) and lists it', async () => {
    const created = await admin('/sites', { method: 'POST', body: { name: 'Globex', domain: 'Globex.Example' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^site_[0-9a-z]{26}$/), name: 'Globex', domain: 'globex.example', usage: { submissions: 0, forms: 0 } });
    siteId = created.body.id;
    expect((await admin('/sites')).body.data.map((s: { id: string }) => s.id)).toContain(siteId);
  });

  it('refuses a site without a name, naming the field', async () => {
    const res = await admin('/sites', { method: 'POST', body: { domain: 'x.example' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe('name');
  });

  it('creates a key: the full key once, then lists show only its prefix and "never used"', async () => {
    const created = await admin(`/sites/${siteId}/keys`, { method: 'POST', body: { name: 'Zapier', scopes: ['forms:read', 'submissions:read'] } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^lts_[A-Za-z0-9_-]{43}$/);
    expect(created.body.api_key).toMatchObject({ name: 'Zapier', prefix: created.body.key.slice(0, 8), scopes: ['submissions:read', 'forms:read'], last_used_at: null, status: 'active' });
    expect(created.body.api_key).not.toHaveProperty('hash');

    const list = await admin(`/sites/${siteId}/keys`);
    expect(list.text).not.toContain(created.body.key);
    expect(list.body.data).toEqual([created.body.api_key]);
  });

  it('revoke (admin) takes effect on the next API call; rotate hands out a working key and kills the old one', async () => {
    const issued = (await admin(`/sites/${siteId}/keys`, { method: 'POST', body: { name: 'n8n', scopes: ['forms:read'] } })).body;
    const rotated = await admin(`/keys/${issued.api_key.id}/rotate`, { method: 'POST' });
    expect(rotated.status).toBe(201);
    expect(rotated.body.revoked).toMatchObject({ id: issued.api_key.id, status: 'revoked', replaced_by: rotated.body.api_key.id });
    expect((await failure(clientFor(h.baseUrl, issued.key).listForms())).status).toBe(401);

    const fresh = clientFor(h.baseUrl, rotated.body.key);
    await expect(fresh.listForms()).resolves.toBeDefined();
    const revoked = await admin(`/keys/${rotated.body.api_key.id}/revoke`, { method: 'POST' });
    expect(revoked.body).toMatchObject({ status: 'revoked', revoked: true });
    expect((await failure(fresh.listForms())).serverMessage).toMatch(/was revoked/);

    const again = await admin(`/keys/${rotated.body.api_key.id}/rotate`, { method: 'POST' });
    expect(again.status).toBe(422);
    expect(again.body.error.message).toMatch(/already revoked: create a new key/);
  });

  it('unknown sites and keys are 404 with their id named', async () => {
    expect((await admin('/sites/site_nope/keys')).body.error).toEqual({ code: 'not_found', message: 'No site with id "site_nope".' });
    expect((await admin('/keys/key_nope/revoke', { method: 'POST' })).body.error.message).toBe('No API key with id "key_nope".');
  });
});

describe('forms and leads with explicit times', () => {
  it('creates a form and leads in the same millisecond, listed newest id first', async () => {
    const form = await admin(`/sites/${h.site.id}/forms`, { method: 'POST', body: { name: 'Webinar', sheet_tab: 'Webinar 2026' } });
    expect(form.status).toBe(201);
    const at = '2026-06-01T10:00:00.500Z';
    const ids: string[] = [];
    for (const email of ['a@x.example', 'b@x.example']) {
      const res = await admin(`/sites/${h.site.id}/submissions`, { method: 'POST', body: { form_id: form.body.id, fields: { Email: email }, created_at: at } });
      expect(res.status).toBe(201);
      expect(res.body.created_at).toBe(at);
      ids.push(res.body.id);
    }
    const page = await clientFor(h.baseUrl, h.fullKey).listSubmissions({ formId: form.body.id });
    expect(page.data.map((s) => s.id)).toEqual([...ids].reverse());
  });

  it('a bad created_at is 422 and stores nothing', async () => {
    const before = h.sandbox.store.counts();
    const res = await admin(`/sites/${h.site.id}/submissions`, { method: 'POST', body: { fields: { Email: 'x@x.example' }, created_at: 'last tuesday' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe('created_at');
    expect(h.sandbox.store.counts()).toEqual(before);
  });
});

describe('demo seed', () => {
  it('creates Acme Demo with 3 forms, 8 leads, a full key and a read-only key; seeding again adds no data and rotates the keys', async () => {
    const seeded = await admin('/seed/demo', { method: 'POST' });
    expect(seeded.status).toBe(201);
    expect(seeded.body.site).toMatchObject({ name: 'Acme Demo', domain: 'acme.example', usage: { submissions: 8, forms: 3 } });
    expect(seeded.body.forms.map((f: { name: string }) => f.name)).toEqual(['Contact', 'Newsletter', 'Demo request']);

    const full = clientFor(h.baseUrl, seeded.body.keys.full);
    const readOnly = clientFor(h.baseUrl, seeded.body.keys.readOnly);
    const leads = await readOnly.listSubmissions();
    expect(leads.pagination.total).toBe(8);
    expect(leads.data.every((s) => s.metadata && Object.keys(s.metadata).length > 0)).toBe(true);
    await expect(full.createSubmission({ formName: 'Contact', fields: { Email: 'z@example.com' } })).resolves.toBeDefined();
    expect((await failure(readOnly.createSubmission({ fields: { Email: 'z@example.com' } }))).requiredScope).toBe('submissions:write');

    const again = (await admin('/seed/demo', { method: 'POST' })).body;
    expect(again.site.id).toBe(seeded.body.site.id);
    expect(again.site.usage).toEqual({ submissions: 9, forms: 3 });
    expect((await failure(full.getSite())).status).toBe(401);
    await expect(clientFor(h.baseUrl, again.keys.full).getSite()).resolves.toMatchObject({ name: 'Acme Demo' });
  });
});

describe('loopback only', () => {
  it('is not answered when the sandbox listens on a non-loopback address, while the API still is', async () => {
    const sandbox = createSandbox();
    const running = await sandbox.listen(0, '0.0.0.0');
    try {
      const url = `http://127.0.0.1:${running.port}`;
      const res = await raw(url, '/_sandbox/sites');
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/only answers when the sandbox listens on a loopback address/);
      expect((await raw(url, '/api/v1/openapi.json')).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it('can be switched off entirely', async () => {
    const sandbox = createSandbox({ admin: false });
    const running = await sandbox.listen(0);
    try {
      expect((await raw(running.url, '/_sandbox/health')).status).toBe(404);
    } finally {
      await sandbox.close();
    }
  });
});
