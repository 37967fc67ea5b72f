/**
 * The operators' view over real HTTP, on both stores: subscriptions across sites with
 * filters, pause and resume, sites with their polling state and backlog, the delivery log
 * across subscriptions, a failed delivery read and replayed, a recovery since a time, and
 * the audit log of who did what (admin keys and tenants alike). No full key anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { adminClient, firstKey, fullKeysIn } from './support/admin-harness.js';
import { addSite, api, freshPgDatabase, startReceiver, startSandboxSite, startTestBridge, STORES, waitFor, type BridgeUnderTest, type SandboxSite } from './support/bridge-harness.js';

describe.each(STORES)('bridge admin operations (%s store)', (store) => {
  let a: SandboxSite;
  let b: SandboxSite;
  let bridge: BridgeUnderTest;
  let pgDb: Awaited<ReturnType<typeof freshPgDatabase>> | undefined;
  let ok: Awaited<ReturnType<typeof startReceiver>>;
  let failing: Awaited<ReturnType<typeof startReceiver>>;
  let root: Awaited<ReturnType<typeof firstKey>>;
  let reader: Awaited<ReturnType<typeof firstKey>>;
  const subs: Record<'ok' | 'failing' | 'other', string> = { ok: '', failing: '', other: '' };
  const admin = adminClient(() => bridge.url);
  const call = admin.call;

  beforeAll(async () => {
    a = await startSandboxSite('Alpha');
    b = addSite(a.sandbox, a.api, 'Beta');
    ok = await startReceiver();
    failing = await startReceiver([], { status: 500 });
    if (store === 'postgres') pgDb = await freshPgDatabase();
    bridge = await startTestBridge(store, a.api.baseUrl, {}, pgDb?.url);
    root = await firstKey(bridge);
    reader = await firstKey(bridge, 'reader', ['subscriptions:read', 'deliveries:read']);
    const subscribe = async (s: SandboxSite, url: string) => {
      const res = await api(bridge.url, s.keys.full, 'POST', '/v1/subscriptions', { url });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    subs.ok = await subscribe(a, ok.url);
    subs.failing = await subscribe(a, failing.url);
    // Another host in the allowlisted range; site B gets no leads, so nothing is sent there.
    subs.other = await subscribe(b, 'http://127.0.0.2:9/hook');
  });

  afterAll(async () => {
    await bridge?.stop();
    await ok?.close();
    await failing?.close();
    await a?.sandbox.close();
    await pgDb?.drop();
  });

  const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((x) => x.id).sort();
  const deliveries = async (query: string) => (await call(reader.key, 'GET', `/deliveries?${query}`)).body.data as any[];

  it('lists every subscription across sites, filtered by site, status and target host', async () => {
    const all = await call(reader.key, 'GET', '/subscriptions');
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual([subs.ok, subs.failing, subs.other].sort());
    const other = all.body.data.find((x: any) => x.id === subs.other);
    expect(other).toMatchObject({ site_id: b.siteId, site_name: 'Beta', url: 'http://127.0.0.2:9/hook', status: 'active', created_by: expect.stringMatching(/^lts_.{4}…$/) });
    expect(JSON.stringify(all.body)).not.toMatch(/whsec_|key_sealed/);
    expect(ids(await call(reader.key, 'GET', `/subscriptions?site=${b.siteId}`))).toEqual([subs.other]);
    expect(ids(await call(reader.key, 'GET', '/subscriptions?target_host=127.0.0.2'))).toEqual([subs.other]);
    expect(ids(await call(reader.key, 'GET', '/subscriptions?target_host=127.0.0.1'))).toEqual([subs.ok, subs.failing].sort());
    expect(ids(await call(reader.key, 'GET', '/subscriptions?status=disabled'))).toEqual([]);
    const page = await call(reader.key, 'GET', '/subscriptions?limit=2');
    expect(page.body.data).toHaveLength(2);
    expect(ids(await call(reader.key, 'GET', `/subscriptions?before=${page.body.next_before}`))).toHaveLength(1);
    const bad = await call(reader.key, 'GET', '/subscriptions?status=sleeping');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('status');
  });

  it('pauses and resumes a subscription; both are audited with the operator key\'s prefix', async () => {
    const paused = await call(root.key, 'POST', `/subscriptions/${subs.other}/pause`);
    expect(paused.body).toMatchObject({ id: subs.other, status: 'disabled', enabled: false, disabled_reason: `paused by an operator (${root.prefix}…)` });
    expect(ids(await call(reader.key, 'GET', '/subscriptions?status=disabled'))).toEqual([subs.other]);
    expect((await api(bridge.url, b.keys.full, 'GET', `/v1/subscriptions/${subs.other}`)).body.status).toBe('disabled');
    expect((await call(root.key, 'POST', `/subscriptions/${subs.other}/pause`)).status).toBe(200);
    const resumed = await call(root.key, 'POST', `/subscriptions/${subs.other}/resume`);
    expect(resumed.body).toMatchObject({ status: 'active', enabled: true, disabled_reason: null });
    const trail = (await call(root.key, 'GET', `/audit?target=${subs.other}`)).body.data;
    expect(trail.map((e: any) => [e.actor, e.action])).toEqual([
      [root.prefix, 'subscription.resumed'],
      [root.prefix, 'subscription.paused'],
      [expect.stringMatching(/^lts_.{4}…$/), 'subscription.created'],
    ]);
    expect((await call(reader.key, 'POST', `/subscriptions/${subs.other}/pause`)).status).toBe(403);
  });

  it('reads a failed delivery across subscriptions and replays it', async () => {
    const lead = a.sandbox.createSubmission(a.siteId, { formName: 'Contact', fields: { Email: 'ops@example.com' } });
    const [parked] = await waitFor('a parked delivery', async () => {
      const list = await deliveries(`status=parked&subscription=${subs.failing}`);
      return list.length === 1 && list;
    }, 30_000);
    expect(parked).toMatchObject({ subscription_id: subs.failing, site_id: a.siteId, status: 'parked', attempts: 4, last_status_code: 500 });
    await waitFor('the other subscription got it', async () => (await deliveries(`subscription=${subs.ok}&status=succeeded`)).length === 1);
    expect((await deliveries(`site=${a.siteId}`)).map((d) => d.subscription_id).sort()).toEqual([subs.ok, subs.failing].sort());
    expect(await deliveries(`site=${b.siteId}`)).toEqual([]);
    expect(await deliveries('since=2999-01-01T00:00:00Z')).toEqual([]);

    const detail = (await call(reader.key, 'GET', `/deliveries/${parked.id}`)).body;
    expect(detail.attempt_log.map((x: any) => x.status_code)).toEqual([500, 500, 500, 500]);
    expect(detail.attempt_log[0]).toMatchObject({ response_body: 'answer 500', error: 'HTTP 500' });
    expect(detail.last_error).toMatch(/gave up after 4 attempts/);

    expect((await call(reader.key, 'POST', `/deliveries/${parked.id}/retry`)).status).toBe(403);
    failing.answerWith({ status: 204 });
    const retried = await call(root.key, 'POST', `/deliveries/${parked.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: parked.id, status: 'retrying', next_attempt_at: expect.any(String) });
    await waitFor('replayed', async () => (await call(reader.key, 'GET', `/deliveries/${parked.id}`)).body.status === 'succeeded');
    expect(JSON.parse(failing.received.at(-1)!.body).data.id).toBe(lead.id);
    expect((await call(root.key, 'POST', `/deliveries/${parked.id}/retry`)).body.error.code).toBe('already_delivered');
  });

  it('recovers a subscription\'s parked deliveries since a time', async () => {
    failing.answerWith({ status: 500 });
    const since = new Date().toISOString();
    a.sandbox.createSubmission(a.siteId, { formName: 'Contact', fields: { Email: 'r1@example.com' } });
    a.sandbox.createSubmission(a.siteId, { formName: 'Contact', fields: { Email: 'r2@example.com' } });
    await waitFor('2 parked', async () => (await deliveries(`status=parked&subscription=${subs.failing}&since=${since}`)).length === 2, 30_000);
    const site = (await call(reader.key, 'GET', `/sites/${a.siteId}`)).body;
    expect(site.parked).toBe(2);
    failing.answerWith({ status: 204 });
    const bad = await call(root.key, 'POST', `/subscriptions/${subs.failing}/recover`, { since: 'last tuesday' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('since');
    const recovered = await call(root.key, 'POST', `/subscriptions/${subs.failing}/recover`, { since });
    expect(recovered).toMatchObject({ status: 202, body: { recovered: 2 } });
    await waitFor('recovered', async () => (await deliveries(`subscription=${subs.failing}`)).every((d) => d.status === 'succeeded'));
  });

  it('shows each site with its polling state and backlog', async () => {
    const c = addSite(a.sandbox, a.api, 'Gamma');
    const temp = a.sandbox.createKey(c.siteId, { name: 'soon revoked', scopes: ['submissions:read'] });
    expect((await api(bridge.url, temp.key, 'POST', '/v1/subscriptions', { url: ok.url })).status).toBe(201);
    a.sandbox.revokeKey(temp.api_key.id);
    const failed = await waitFor('auth_failed', async () => {
      const s = (await call(reader.key, 'GET', `/sites/${c.siteId}`)).body;
      // Once the site.auth_failed notice to its subscription is delivered, nothing is left pending.
      return s.auth_failed && s.backlog === 0 && s;
    });
    expect(failed).toMatchObject({ name: 'Gamma', last_error_code: 'invalid_token', subscriptions: 1, backlog: 0, key_prefix: expect.stringMatching(/^lts_.{4}…$/) });
    const sites = (await call(reader.key, 'GET', '/sites')).body.data;
    expect(sites.map((s: any) => s.name)).toEqual(['Alpha', 'Beta', 'Gamma']);
    const alpha = sites.find((s: any) => s.id === a.siteId);
    expect(alpha).toMatchObject({ auth_failed: false, subscriptions: 2, active_subscriptions: 2, backlog: expect.any(Number), parked: 0, last_error: null });
    expect(Date.parse(alpha.last_poll_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(alpha.next_poll_at)).not.toBeNaN();
    expect(JSON.stringify(sites)).not.toMatch(/key_sealed|poll_state/);
  });

  it('the audit log tells who did what: tenants\' subscription changes, operators\' retries and recoveries', async () => {
    const created = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: `${ok.url}?audit` })).body;
    expect((await api(bridge.url, a.keys.full, 'PATCH', `/v1/subscriptions/${created.id}`, { enabled: false })).status).toBe(200);
    expect((await api(bridge.url, a.keys.full, 'DELETE', `/v1/subscriptions/${created.id}`)).status).toBe(204);
    const trail = (await call(root.key, 'GET', `/audit?target=${created.id}`)).body.data;
    expect(trail.map((e: any) => e.action)).toEqual(['subscription.deleted', 'subscription.changed', 'subscription.created']);
    expect(new Set(trail.map((e: any) => e.actor))).toEqual(new Set([`${a.keys.full.slice(0, 8)}…`]));
    expect(trail[1].details).toMatchObject({ fields: ['enabled'], enabled: false });
    expect(trail[2].details).toMatchObject({ site_id: a.siteId, target_host: new URL(ok.url).host });

    const byRoot = (await call(root.key, 'GET', `/audit?actor=${root.prefix}`)).body.data.map((e: any) => e.action);
    expect(byRoot).toEqual(expect.arrayContaining(['delivery.retried', 'subscription.recovered', 'subscription.paused', 'subscription.resumed']));
    const recoveries = (await call(root.key, 'GET', '/audit?action=subscription.recovered')).body.data;
    expect(recoveries[0]).toMatchObject({ actor: root.prefix, target_type: 'subscription', target_id: subs.failing, details: { recovered: 2 } });
    expect((await call(reader.key, 'GET', '/audit')).status).toBe(403);
    expect((await call(root.key, 'GET', '/audit?since=tomorrow')).body.error.details[0].field).toBe('since');
  });

  it('rotates a subscription\'s signing secret and sends it a test event; both audited, no full secret logged', async () => {
    const r = await startReceiver();
    try {
      const created = (await api(bridge.url, a.keys.full, 'POST', '/v1/subscriptions', { url: r.url })).body;
      expect((await call(reader.key, 'POST', `/subscriptions/${created.id}/rotate-secret`)).status).toBe(403);
      expect((await call(reader.key, 'POST', `/subscriptions/${created.id}/test`)).status).toBe(403);

      const rotated = await call(root.key, 'POST', `/subscriptions/${created.id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      expect(rotated.body).toEqual({ secret: expect.stringMatching(/^whsec_/), previous_secrets_expire_at: expect.any(String) });
      const overlap = Date.parse(rotated.body.previous_secrets_expire_at) - Date.now();
      expect(overlap).toBeGreaterThan(23.9 * 3_600_000);
      expect(overlap).toBeLessThanOrEqual(24 * 3_600_000);

      const tested = await call(root.key, 'POST', `/subscriptions/${created.id}/test`);
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({ delivered: true, status_code: 204, delivery_id: expect.any(String), latency_ms: expect.any(Number), error: null });
      const m = r.received.at(-1)!;
      // Signed with both: the new secret and, for 24 h, the one the tenant got at creation.
      expect(String(m.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(new Webhook(rotated.body.secret).verify(m.body, m.headers as Record<string, string>)).toMatchObject({ test: true });
      expect(() => new Webhook(created.secret).verify(m.body, m.headers as Record<string, string>)).not.toThrow();
      expect((await call(reader.key, 'GET', `/deliveries/${tested.body.delivery_id}`)).body).toMatchObject({ subscription_id: created.id, status: 'succeeded' });

      const trail = (await call(root.key, 'GET', `/audit?target=${created.id}`)).body.data;
      expect(trail.map((e: any) => [e.actor, e.action])).toEqual([
        [root.prefix, 'subscription.test_sent'],
        [root.prefix, 'subscription.secret_rotated'],
        [expect.stringMatching(/^lts_.{4}…$/), 'subscription.created'],
      ]);
      expect(trail[0].details).toMatchObject({ delivery_id: tested.body.delivery_id, delivered: true, status_code: 204 });
      expect(JSON.stringify(trail)).not.toContain('whsec_');
      expect(bridge.logs()).not.toContain(rotated.body.secret);
      expect(bridge.logs()).toMatch(new RegExp(`"actor":"${root.prefix}","subscription":"${created.id}".*"signing secret rotated"`));

      expect((await call(root.key, 'POST', `/subscriptions/${created.id}/pause`)).status).toBe(200);
      const refused = await call(root.key, 'POST', `/subscriptions/${created.id}/test`);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'subscription_disabled', message: expect.stringContaining('resume it') });
      expect((await api(bridge.url, a.keys.full, 'DELETE', `/v1/subscriptions/${created.id}`)).status).toBe(204);
    } finally {
      await r.close();
    }
  });

  it('no full ltb_ key in any log line, audit entry or answer', async () => {
    for (const a of admin.answers) expect(fullKeysIn(a.text)).toEqual([]);
    expect(fullKeysIn(JSON.stringify((await call(root.key, 'GET', '/audit?limit=200')).body))).toEqual([]);
    expect(fullKeysIn(bridge.logs())).toEqual([]);
    for (const secret of [root.key, reader.key, a.keys.full, b.keys.full]) expect(bridge.logs()).not.toContain(secret);
  });
});
