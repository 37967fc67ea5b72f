/**
 * The bridge contract: the signature check every instant trigger runs (accepts what the
 * bridge signs, also while a secret rotates; refuses tampered, unsigned, stale, future,
 * foreign and unknown events, saying which), the bridge URL setting, and the tenant API
 * client (what it sends, idempotent subscribe, 401 as the reconnect message, errors naming
 * the bridge host, unsubscribe of a gone subscription).
 */
import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { BridgeClient, LeadToSheetError, bridgeBaseUrl, verifyBridgeWebhook } from '@leadtosheet/shared';
import { FakeTransport } from './support/fake-transport.js';

const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const rotated = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
const lead = { id: 'sub_1', form_id: 'frm_1', form_name: 'Contact', created_at: '2026-03-01T12:00:00.000Z', fields: { Email: 'a@example.com' } };
const body = JSON.stringify({ type: 'submission.created', timestamp: '2026-03-01T12:00:01.000Z', data: lead });

function signed(payload = body, at = new Date(), secrets = [secret], id = 'msg_1') {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, at, payload)).join(' '),
  };
}

function refusal(run: () => unknown): LeadToSheetError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(LeadToSheetError);
    return err as LeadToSheetError;
  }
  throw new Error('expected a refusal');
}

describe('verifyBridgeWebhook', () => {
  it('accepts a signed submission.created and returns the lead', () => {
    const event = verifyBridgeWebhook({ secret, headers: signed(), body });
    expect(event).toMatchObject({ type: 'submission.created', data: { id: 'sub_1', fields: { Email: 'a@example.com' } } });
  });

  it('accepts while a secret rotates (one signature per live secret), and Zapier\'s Http- header names', () => {
    const headers = Object.fromEntries(Object.entries(signed(body, new Date(), [rotated, secret])).map(([k, v]) => [`Http-${k}`, v]));
    expect(verifyBridgeWebhook({ secret, headers, body }).type).toBe('submission.created');
    expect(verifyBridgeWebhook({ secret: rotated, headers, body }).type).toBe('submission.created');
  });

  it('accepts site.auth_failed', () => {
    const notice = JSON.stringify({ type: 'site.auth_failed', timestamp: '2026-03-01T12:00:00.000Z', data: { site_id: 's', key_prefix: 'lts_ab12…', message: 'refused' } });
    expect(verifyBridgeWebhook({ secret, headers: signed(notice), body: notice })).toMatchObject({ type: 'site.auth_failed', data: { message: 'refused' } });
  });

  const cases: [string, () => unknown, RegExp][] = [
    ['a changed body', () => verifyBridgeWebhook({ secret, headers: signed(), body: body.replace('a@example', 'b@example') }), /signature does not match/],
    ['another secret', () => verifyBridgeWebhook({ secret: rotated, headers: signed(), body }), /signature does not match/],
    ['no signature headers', () => verifyBridgeWebhook({ secret, headers: { 'content-type': 'application/json' }, body }), /no webhook-id, webhook-timestamp, webhook-signature headers/],
    ['one header missing', () => verifyBridgeWebhook({ secret, headers: { ...signed(), 'webhook-signature': undefined }, body }), /no webhook-signature header,/],
    ['a stale timestamp', () => verifyBridgeWebhook({ secret, headers: signed(body, new Date(Date.now() - 600_000)), body }), /timestamp is 60\d s old \(at most 300 s/],
    ['a future timestamp', () => verifyBridgeWebhook({ secret, headers: signed(body, new Date(Date.now() + 600_000)), body }), /in the future/],
    ['a timestamp that is not a number', () => verifyBridgeWebhook({ secret, headers: { ...signed(), 'webhook-timestamp': 'soon' }, body }), /not a number of seconds/],
  ];
  it.each(cases)('refuses %s, saying which', (_name, run, message) => {
    const e = refusal(run);
    expect(e.code).toBe('invalid_signature');
    expect(e.status).toBe(0); // never mistaken for a refused API key
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain(secret);
  });

  it('refuses a signed event of an unknown type', () => {
    const other = JSON.stringify({ type: 'lead.deleted', timestamp: 'x', data: {} });
    const e = refusal(() => verifyBridgeWebhook({ secret, headers: signed(other), body: other }));
    expect(e.code).toBe('unexpected_event');
    expect(e.message).toMatch(/"lead.deleted"/);
  });
});

describe('bridgeBaseUrl', () => {
  it('trims and drops trailing slashes', () => expect(bridgeBaseUrl(' https://bridge.example.com// ', 'x')).toBe('https://bridge.example.com'));
  it('names the setting when unset', () => expect(refusal(() => bridgeBaseUrl(undefined, 'set LTS_BRIDGE_URL')).message).toMatch(/URL is not set: set LTS_BRIDGE_URL/));
  it('refuses what is not an http(s) URL', () => expect(refusal(() => bridgeBaseUrl('ftp://x', 'fix it here')).message).toMatch(/"ftp:\/\/x".*fix it here/));
});

describe('BridgeClient', () => {
  const BASE = 'https://bridge.example.com';
  const KEY = 'lts_AbCd1234efgh5678IJKL';
  const sub = { id: 'hook_1', url: 'https://hooks.zapier.com/1', form_id: null, description: 'Zap', status: 'active', enabled: true, disabled_reason: null, site_id: 'site_1' };
  const setup = () => {
    const transport = new FakeTransport();
    return { transport, bridge: new BridgeClient(transport, { baseUrl: BASE, key: KEY }) };
  };

  it('subscribes with url, form filter and description; finds by URL; unsubscribes', async () => {
    const { transport, bridge } = setup();
    transport.reply(201, { ...sub, secret }).reply(200, { data: [sub] }).reply(204).reply(404, { error: { code: 'not_found', message: 'gone' } });
    expect(await bridge.subscribe({ url: sub.url, formId: 'frm_1', description: 'Zap' })).toMatchObject({ id: 'hook_1', secret });
    expect(await bridge.findByUrl(sub.url)).toMatchObject({ id: 'hook_1' });
    expect(await bridge.unsubscribe('hook_1')).toBe(true);
    expect(await bridge.unsubscribe('hook_1')).toBe(false);
    expect(transport.requests).toEqual([
      { method: 'POST', path: '/v1/subscriptions', body: { url: sub.url, form_id: 'frm_1', description: 'Zap' }, idempotent: true },
      { method: 'GET', path: '/v1/subscriptions', query: { url: sub.url }, idempotent: true },
      { method: 'DELETE', path: '/v1/subscriptions/hook_1', idempotent: true },
      { method: 'DELETE', path: '/v1/subscriptions/hook_1', idempotent: true },
    ]);
  });

  it('a 401 is LeadToSheet\'s reconnect message, with the masked key only', async () => {
    const { transport, bridge } = setup();
    transport.reply(401, { error: { code: 'invalid_token', message: 'refused' } });
    const e = await bridge.subscribe({ url: sub.url }).catch((err: LeadToSheetError) => err);
    expect(e).toMatchObject({ status: 401 });
    expect((e as Error).message).toMatch(/refused the API key \(lts_AbCd….*reconnect/);
    expect((e as Error).message).not.toContain(KEY);
  });

  it('other failures name the bridge host and what it said', async () => {
    const { transport, bridge } = setup();
    transport
      .reply(422, { error: { code: 'validation_error', message: 'url: private address', details: [{ field: 'url', message: 'private address' }] } })
      .fail(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }))
      .reply(200, '<html>not a bridge</html>');
    await expect(bridge.subscribe({ url: sub.url })).rejects.toThrow('The LeadToSheet bridge at bridge.example.com could not subscribe to new leads: url: private address');
    await expect(bridge.findByUrl(sub.url)).rejects.toThrow(/^Could not reach the LeadToSheet bridge at bridge.example.com \(ECONNREFUSED\): .*Check the bridge URL and that the bridge is running, then try again. \(This happened while trying to find the subscription.\)$/);
    await expect(bridge.findByUrl(sub.url)).rejects.toThrow(/unexpected format.*points at a LeadToSheet bridge/);
  });
});
