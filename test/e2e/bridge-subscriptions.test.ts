/**
 * The bridge's tenant API over real HTTP, against the sandbox, on both stores:
 * subscribe, list, get, update, delete, rotate; who may call it; what is refused
 * (with the field and the reason) and that nothing is stored then; tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addSite, api, freshPgDatabase, startReceiver, startSandboxSite, startTestBridge, STORES, type BridgeUnderTest, type SandboxSite } from './support/bridge-harness.js';

describe.each(STORES)('bridge subscriptions API (%s store)', (store) => {
  let a: SandboxSite;
  let b: SandboxSite;
  let bridge: BridgeUnderTest;
  let strictBridge: BridgeUnderTest;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let pgDb: Awaited<ReturnType<typeof freshPgDatabase>> | undefined;
  let pgDb2: Awaited<ReturnType<typeof freshPgDatabase>> | undefined;

  beforeAll(async () => {
    a = await startSandboxSite('Acme');
    b = addSite(a.sandbox, a.api, 'Beta');
    receiver = await startReceiver();
    if (store === 'postgres') [pgDb, pgDb2] = await Promise.all([freshPgDatabase(), freshPgDatabase()]);
    bridge = await startTestBridge(store, a.api.baseUrl, {}, pgDb?.url);
    // A bridge with no private-range allowlist, as in production.
    strictBridge = await startTestBridge(store, a.api.baseUrl, { ALLOW_PRIVATE_TARGETS: '' }, pgDb2?.url);
  });

  afterAll(async () => {
    await bridge?.stop();
    await strictBridge?.stop();
    await receiver?.close();
    await a?.sandbox.close();
    await pgDb?.drop();
    await pgDb2?.drop();
  });

  let hooks = 0;
  /** A fresh target URL: subscribing is idempotent per URL. */
  const hook = () => `${receiver.url}?hook=${++hooks}`;
  const count = async (key: string) => (await api(bridge.url, key, 'GET', '/v1/subscriptions')).body.data.length as number;

  it('creates a subscription bound to the key\'s site and returns the whsec_ secret once', async () => {
    const url = hook();
    const res = await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url, events: ['submission.created'], description: 'CRM' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url, events: ['submission.created'], form_id: null, description: 'CRM', status: 'active', enabled: true, site_id: a.siteId });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(res.body.created_by).toMatch(/^lts_.{4}…$/);

    const got = await api(bridge.url, a.keys.full, 'GET', `/v1/subscriptions/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(res.body.id);
    expect(JSON.stringify(got.body)).not.toContain('whsec_');
    const list = await api(bridge.url, a.keys.readOnly, 'GET', '/v1/subscriptions');
    expect(list.body.data.map((s: { id: string }) => s.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
  });

  it('defaults events to submission.created and accepts a form filter of the site', async () => {
    const res = await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: hook(), form_id: a.formIds.Contact });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ events: ['submission.created'], form_id: a.formIds.Contact });
  });

  it('updates url, form filter, description and enabled; refuses an empty update', async () => {
    const created = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: hook() })).body;
    const patched = await api(bridge.url, a.keys.full, 'PATCH', `/v1/subscriptions/${created.id}`, {
      url: `${receiver.url}?v=2`,
      form_id: a.formIds.Newsletter,
      description: 'newsletter only',
      enabled: false,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ url: `${receiver.url}?v=2`, form_id: a.formIds.Newsletter, description: 'newsletter only', enabled: false, status: 'disabled' });
    const cleared = await api(bridge.url, a.keys.full, 'PATCH', `/v1/subscriptions/${created.id}`, { form_id: null, enabled: true });
    expect(cleared.body).toMatchObject({ form_id: null, enabled: true, status: 'active' });
    const empty = await api(bridge.url, a.keys.full, 'PATCH', `/v1/subscriptions/${created.id}`, {});
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toMatch(/nothing to update/);
  });

  it('deletes a subscription', async () => {
    const created = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: hook() })).body;
    expect((await api(bridge.url, a.keys.full, 'DELETE', `/v1/subscriptions/${created.id}`)).status).toBe(204);
    expect((await api(bridge.url, a.keys.full, 'GET', `/v1/subscriptions/${created.id}`)).status).toBe(404);
    expect((await api(bridge.url, a.keys.full, 'DELETE', `/v1/subscriptions/${created.id}`)).status).toBe(404);
  });

  it('is idempotent per target URL: the same URL again is the same subscription, updated, with a fresh secret', async () => {
    const url = hook();
    const first = await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url, description: 'Zap 1' });
    expect(first.status).toBe(201);
    await api(bridge.url, a.keys.full, 'PATCH', `/v1/subscriptions/${first.body.id}`, { enabled: false });
    const before = await count(a.keys.full);
    const again = await Promise.all([1, 2].map(() => api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url, form_id: a.formIds.Contact, description: 'Zap 1 (retried)' })));
    for (const res of again) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: first.body.id, url, form_id: a.formIds.Contact, description: 'Zap 1 (retried)', enabled: true, status: 'active' });
      expect(res.body.secret).toMatch(/^whsec_/);
      expect(res.body.secret).not.toBe(first.body.secret);
    }
    expect(await count(a.keys.full)).toBe(before);
  });

  it('refuses to move a subscription onto a URL another one delivers to (409, nothing changed)', async () => {
    const [one, two] = [hook(), hook()];
    const first = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: one })).body;
    const second = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: two })).body;
    const moved = await api(bridge.url, a.keys.full, 'PATCH', `/v1/subscriptions/${second.id}`, { url: one, description: 'moved' });
    expect(moved.status).toBe(409);
    expect(moved.body.error).toMatchObject({ code: 'url_taken', details: [{ field: 'url' }] });
    expect(moved.body.error.message).toContain(first.id);
    expect((await api(bridge.url, a.keys.full, 'GET', `/v1/subscriptions/${second.id}`)).body).toMatchObject({ url: two, description: null });
  });

  it('finds the subscription of a target URL with ?url=, and only the caller\'s own', async () => {
    const url = hook();
    const created = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url })).body;
    const found = await api(bridge.url, a.keys.readOnly, 'GET', `/v1/subscriptions?url=${encodeURIComponent(url)}`);
    expect(found.status).toBe(200);
    expect(found.body.data.map((s: { id: string }) => s.id)).toEqual([created.id]);
    expect((await api(bridge.url, a.keys.full, 'GET', `/v1/subscriptions?url=${encodeURIComponent(`${url}-other`)}`)).body.data).toEqual([]);
    expect((await api(bridge.url, b.keys.full, 'GET', `/v1/subscriptions?url=${encodeURIComponent(url)}`)).body.data).toEqual([]);
    const bad = await api(bridge.url, a.keys.full, 'GET', '/v1/subscriptions?url=not%20a%20url');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('url');
  });

  it('rotates the secret: a new one is returned, the old keeps signing for 24 hours', async () => {
    const created = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: hook() })).body;
    const before = Date.now();
    const rotated = await api(bridge.url, a.keys.full, 'POST', `/v1/subscriptions/${created.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    const expires = Date.parse(rotated.body.previous_secrets_expire_at);
    expect(expires - before).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect(expires - before).toBeLessThan(24 * 3_600_000 + 60_000);
  });

  describe('who may call it', () => {
    it('401 without a key, with a malformed key, with an unknown key', async () => {
      const none = await api(bridge.url, undefined, 'GET', '/v1/subscriptions');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
      const malformed = await api(bridge.url, 'sk_live_123', 'GET', '/v1/subscriptions');
      expect(malformed.status).toBe(401);
      expect(malformed.body.error.message).toMatch(/start with "lts_"/);
      const unknown = await api(bridge.url, 'lts_unknownunknownunknown1234', 'GET', '/v1/subscriptions');
      expect(unknown.status).toBe(401);
      expect(unknown.body.error.message).toMatch(/invalid, expired or was revoked/);
      expect(JSON.stringify(unknown.body)).not.toContain('lts_unknownunknownunknown1234');
    });

    it('403 naming submissions:read when the key cannot read submissions; nothing stored', async () => {
      const res = await api(bridge.url, a.keys.formsOnly, 'POST', '/v1/subscriptions', { url: hook() });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('insufficient_scope');
      expect(res.body.error.message).toContain('submissions:read');
      expect(await count(a.keys.formsOnly)).toBe(await count(a.keys.full));
    });

    it('a revoked key is refused on the next request', async () => {
      const temp = a.sandbox.createKey(a.siteId, { name: 'temp', scopes: ['submissions:read'] });
      expect((await api(bridge.url, temp.key, 'GET', '/v1/subscriptions')).status).toBe(200);
      a.sandbox.revokeKey(temp.api_key.id);
      expect((await api(bridge.url, temp.key, 'GET', '/v1/subscriptions')).status).toBe(401);
    });
  });

  describe('bad input: 422 naming the field and the reason, nothing stored', () => {
    const cases: [string, unknown, string, RegExp][] = [
      ['missing url', { events: ['submission.created'] }, 'url', /url is required/],
      ['not a URL', { url: 'not a url' }, 'url', /not a valid URL/],
      ['ftp scheme', { url: 'ftp://example.com/x' }, 'url', /only http and https/],
      ['credentials in URL', { url: 'https://user:pass@example.com/x' }, 'url', /user name or password/],
      ['unknown event type', { url: 'https://example.com/x', events: ['lead.deleted'] }, 'events', /unknown event type/],
      ['empty events', { url: 'https://example.com/x', events: [] }, 'events', /at least one event/],
      ['unknown field', { url: 'https://example.com/x', colour: 'red' }, 'body', /colour/],
      ['form of another site', { form_id: 'form_does_not_exist' }, 'form_id', /no form/],
    ];
    it.each(cases)('%s', async (_name, body, field, message) => {
      const before = await count(a.keys.full);
      // Shape checks come before any DNS lookup; the form check needs a reachable target.
      const withUrl = field === 'form_id' ? { url: hook(), ...(body as object) } : body;
      const res = await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', withUrl);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(JSON.stringify(res.body.error)).toMatch(message);
      if (field !== 'body') expect(res.body.error.details[0].field).toBe(field);
      expect(await count(a.keys.full)).toBe(before);
    });

    it('malformed JSON: 400 validation_error', async () => {
      const res = await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', '{"url": ');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/not valid JSON/);
    });

    it('an unresolvable host is refused as unreachable', async () => {
      const res = await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: 'https://no-such-host.invalid/hook' });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0]).toMatchObject({ field: 'url' });
      expect(res.body.error.message).toMatch(/does not resolve/);
    });

    const forbidden = ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://10.1.2.3/hook', 'http://192.168.0.10/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/hook', 'http://0.0.0.0/hook', 'http://[::ffff:127.0.0.1]/hook'];
    it.each(forbidden)('SSRF: %s is refused without an allowlist', async (url) => {
      const before = (await api(strictBridge.url, a.keys.full, 'GET', '/v1/subscriptions')).body.data.length;
      const res = await api(strictBridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].field).toBe('url');
      expect(res.body.error.message).toMatch(/private, loopback, link-local or reserved/);
      expect((await api(strictBridge.url, a.keys.full, 'GET', '/v1/subscriptions')).body.data.length).toBe(before);
    });

    it('the allowlist lets a private range through (local testing)', async () => {
      expect((await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: hook() })).status).toBe(201);
      expect((await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: 'http://169.254.169.254/x' })).status).toBe(422);
    });
  });

  describe('tenant isolation', () => {
    it('site B never sees site A\'s subscriptions, and cannot read, change or delete them', async () => {
      const mine = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: hook() })).body;
      const theirs = await api(bridge.url, b.keys.full, 'GET', '/v1/subscriptions');
      expect(theirs.status).toBe(200);
      expect(theirs.body.data.map((s: { id: string }) => s.id)).not.toContain(mine.id);
      expect((await api(bridge.url, b.keys.full, 'GET', `/v1/subscriptions/${mine.id}`)).status).toBe(404);
      expect((await api(bridge.url, b.keys.full, 'PATCH', `/v1/subscriptions/${mine.id}`, { enabled: false })).status).toBe(404);
      expect((await api(bridge.url, b.keys.full, 'POST', `/v1/subscriptions/${mine.id}/rotate-secret`)).status).toBe(404);
      expect((await api(bridge.url, b.keys.full, 'GET', `/v1/subscriptions/${mine.id}/deliveries`)).status).toBe(404);
      expect((await api(bridge.url, b.keys.full, 'DELETE', `/v1/subscriptions/${mine.id}`)).status).toBe(404);
      expect((await api(bridge.url, a.keys.full, 'GET', `/v1/subscriptions/${mine.id}`)).body.enabled).toBe(true);
    });

    it('a form filter must name a form of the caller\'s own site', async () => {
      const res = await api(bridge.url, b.keys.full, 'POST', '/v1/subscriptions', { url: hook(), form_id: a.formIds.Contact });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].field).toBe('form_id');
    });
  });

  it('operations endpoints answer', async () => {
    expect((await api(bridge.url, undefined, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await api(bridge.url, undefined, 'GET', '/readyz')).body).toMatchObject({ status: 'ready', store: store });
    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    for (const name of ['lts_bridge_polls_total', 'lts_bridge_queue_depth', 'lts_bridge_queue_oldest_pending_seconds', 'lts_bridge_delivery_attempt_seconds', 'lts_bridge_sites_auth_failed']) {
      expect(metrics).toContain(name);
    }
  });

  it('never writes a key or a signing secret to its logs', async () => {
    const created = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: hook() })).body;
    const logs = bridge.logs() + strictBridge.logs();
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [a.keys.full, a.keys.readOnly, a.keys.formsOnly, b.keys.full, created.secret]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/lts_[A-Za-z0-9_-]{20,}/);
    expect(logs).not.toMatch(/whsec_[A-Za-z0-9+/=]{20,}/);
  });
});
