/**
 * Zapier's "New Submission (Instant)" end to end over real HTTP: createAppTester runs
 * performSubscribe against a real bridge (sandbox upstream); a lead created in the sandbox
 * is pushed by the bridge to a local receiver standing in for Zapier's hook URL; that
 * request goes through perform and yields the lead in the polling trigger's shape.
 * Tampered, unsigned and stale pushes are refused; unsubscribe stops deliveries; a 410
 * disables the subscription; a revoked key shows up as the reconnect error.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { App, appTester, failure } from '../../zapier-app/test/helpers.js';
import { api, startReceiver, startSandboxSite, waitFor, type Received, type SandboxSite } from './support/bridge-harness.js';
import { startServedBridge } from './support/bridge-process.js';

type Row = Record<string, unknown> & { id: string };
type SubscribeData = { id: string; secret: string };
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const trigger = App.triggers.new_submission_instant.operation as unknown as Record<'performSubscribe' | 'performUnsubscribe' | 'perform' | 'performList', unknown>;

let s: SandboxSite;
let bridge: Awaited<ReturnType<typeof startServedBridge>>;
const receivers: Receiver[] = [];

beforeAll(async () => {
  s = await startSandboxSite('Instant Bakery');
  bridge = await startServedBridge(s.api.baseUrl);
  process.env.LTS_BASE_URL = s.api.baseUrl;
  process.env.LTS_BRIDGE_URL = bridge.url;
});

afterAll(async () => {
  delete process.env.LTS_BASE_URL;
  delete process.env.LTS_BRIDGE_URL;
  await bridge?.close();
  await Promise.all(receivers.map((r) => r.close()));
  await s?.sandbox.close();
});

const receiver = async (...args: Parameters<typeof startReceiver>) => {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
};
const bundleFor = (key: string, extra: Record<string, unknown> = {}) => ({ authData: { api_key: key }, inputData: {}, meta: { zap: { id: '987654' } }, ...extra });
const subscribe = (key: string, targetUrl: string, inputData: Record<string, unknown> = {}) =>
  appTester<SubscribeData>(trigger.performSubscribe, bundleFor(key, { targetUrl, inputData }));
/** The request as Zapier hands it to perform: raw body, headers in its "Http-" form. */
const rawRequest = (m: Received, body = m.body) => ({
  method: 'POST',
  headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [`Http-${k.replace(/(^|-)(\w)/g, (_x, dash: string, c: string) => dash + c.toUpperCase())}`, String(v)])),
  content: body,
});
const perform = (m: Received, subscribeData: SubscribeData, extra: Record<string, unknown> = {}) =>
  appTester<Row[]>(trigger.perform, bundleFor(s.keys.full, { subscribeData, rawRequest: rawRequest(m), cleanedRequest: JSON.parse(m.body), ...extra }));
const lead = (email: string, formName = 'Contact') => s.sandbox.createSubmission(s.siteId, { formName, fields: { Email: email, 'Full name': 'Ada Lovelace' } });

describe('New Submission (Instant) through a real bridge', () => {
  let hook: Receiver;
  let data: SubscribeData;

  it('performSubscribe creates one bridge subscription for the hook URL, even when retried, named after the Zap', async () => {
    hook = await receiver();
    const first = await subscribe(s.keys.full, hook.url);
    data = await subscribe(s.keys.full, hook.url); // Zapier retrying the subscribe
    expect(data.id).toBe(first.id);
    expect(data.secret).toMatch(/^whsec_/);
    const found = (await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions?url=${encodeURIComponent(hook.url)}`)).body.data;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: data.id, status: 'active', description: 'Zapier: New Submission (Instant) in Zap 987654' });
  });

  it('a new lead is pushed to the hook URL and perform yields it, shaped like the polling trigger', async () => {
    const created = lead('ada@example.com');
    await waitFor('the push', () => hook.received.length >= 1);
    const rows = await perform(hook.received[0]!, data);
    expect(rows).toHaveLength(1);
    const polled = (await appTester<Row[]>(App.triggers.new_submission.operation.perform, bundleFor(s.keys.full))).find((r) => r.id === created.id);
    expect(rows[0]).toEqual(polled);
    expect(rows[0]).toMatchObject({ id: created.id, Email: 'ada@example.com', 'Full name': 'Ada Lovelace', form_name: 'Contact' });
  });

  it('refuses a tampered body, a missing signature and a stale timestamp, saying which', async () => {
    const m = hook.received[0]!;
    const tampered = m.body.replace('ada@example.com', 'eve@example.com');
    const changed = await failure(appTester(trigger.perform, bundleFor(s.keys.full, { subscribeData: data, rawRequest: rawRequest(m, tampered) })));
    expect(changed.message).toMatch(/signature does not match/);

    const unsigned = await failure(appTester(trigger.perform, bundleFor(s.keys.full, { subscribeData: data, rawRequest: { headers: { 'Http-Content-Type': 'application/json' }, content: m.body } })));
    expect(unsigned.message).toMatch(/no webhook-id, webhook-timestamp, webhook-signature headers/);

    const old = new Date(Date.now() - 10 * 60_000);
    const signature = new Webhook(data.secret).sign('msg_replayed', old, m.body);
    const stale = await failure(
      appTester(trigger.perform, bundleFor(s.keys.full, {
        subscribeData: data,
        rawRequest: { headers: { 'Http-Webhook-Id': 'msg_replayed', 'Http-Webhook-Timestamp': String(Math.floor(old.getTime() / 1000)), 'Http-Webhook-Signature': signature }, content: m.body },
      })),
    );
    expect(stale.message).toMatch(/timestamp is 6\d\d s old \(at most 300 s/);

    const otherSecret = await failure(appTester(trigger.perform, bundleFor(s.keys.full, { subscribeData: { ...data, secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` }, rawRequest: rawRequest(m) })));
    expect(otherSecret.message).toMatch(/signature does not match/);
  });

  it('performList gives recent real leads for samples', async () => {
    const rows = await appTester<Row[]>(trigger.performList, bundleFor(s.keys.full));
    expect(rows.map((r) => r.Email)).toContain('ada@example.com');
  });

  it('performUnsubscribe deletes the subscription: no further deliveries', async () => {
    expect(await appTester(trigger.performUnsubscribe, bundleFor(s.keys.full, { subscribeData: data }))).toEqual({ deleted: true });
    expect((await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions/${data.id}`)).status).toBe(404);
    const before = hook.received.length;
    lead('after-unsubscribe@example.com');
    await new Promise((r) => setTimeout(r, 3_000)); // three poll intervals of the test bridge
    expect(hook.received.length).toBe(before);
    expect(await appTester(trigger.performUnsubscribe, bundleFor(s.keys.full, { subscribeData: data }))).toEqual({ deleted: false });
  });
});

describe('New Submission (Instant): filters, 410, revoked keys, configuration', () => {
  it('a form filter only pushes that form\'s leads', async () => {
    const hook = await receiver();
    const data = await subscribe(s.keys.full, hook.url, { form_id: s.formIds.Newsletter });
    lead('contact-form@example.com', 'Contact');
    const wanted = lead('newsletter@example.com', 'Newsletter');
    await waitFor('the newsletter lead', () => hook.received.length >= 1);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(hook.received).toHaveLength(1);
    const [row] = await perform(hook.received[0]!, data, { inputData: { form_id: s.formIds.Newsletter } });
    expect(row?.id).toBe(wanted.id);
  });

  it('a hook URL answering 410 (a Zap turned off) disables the subscription', async () => {
    const hook = await receiver([], { status: 410 });
    const data = await subscribe(s.keys.full, hook.url);
    lead('gone@example.com');
    const sub = await waitFor('disabled', async () => {
      const body = (await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions/${data.id}`)).body;
      return body.status === 'disabled' && body;
    });
    expect(sub.disabled_reason).toMatch(/410 Gone/);
  });

  it('a revoked key: subscribing fails with the reconnect error; a live Zap gets a push that raises it', async () => {
    const temp = s.sandbox.createKey(s.siteId, { name: 'zap key', scopes: ['submissions:read'] });
    const hook = await receiver();
    const data = await subscribe(temp.key, hook.url);
    s.sandbox.revokeKey(temp.api_key.id);
    await waitFor('the site.auth_failed push', () => hook.received.length >= 1);
    const raised = await failure(perform(hook.received[0]!, data));
    expect(raised.name).toBe('ExpiredAuthError');
    expect(raised.message).toMatch(/refused the API key .*reconnect/);
    expect(raised.message).not.toContain(temp.key);

    const refused = await failure(subscribe(temp.key, `${hook.url}?again`));
    expect(refused.name).toBe('ExpiredAuthError');
    expect(refused.message).toMatch(/invalid, expired or was revoked/);
  });

  it('says what is missing when the app has no bridge URL', async () => {
    delete process.env.LTS_BRIDGE_URL;
    try {
      const missing = await failure(subscribe(s.keys.full, 'https://hooks.zapier.com/hooks/standard/1/abc'));
      expect(missing.message).toMatch(/LTS_BRIDGE_URL .*zapier env:set/);
    } finally {
      process.env.LTS_BRIDGE_URL = bridge.url;
    }
  });
});
