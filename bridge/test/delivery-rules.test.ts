import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { checkTarget, createCryptoBox, isAllowedAddress, maskSecret, newId, newSigningSecret, nextRetryDelay, parseTargetUrl, signingKey, signWebhook } from 'lts-bridge';

describe('retry schedule', () => {
  const schedule = [5_000, 300_000, 1_800_000];
  const mid = () => 0.5;
  it.each([
    [1, 5_000],
    [2, 300_000],
    [3, 1_800_000],
  ])('after attempt %i waits the schedule step (%i ms)', (attempts, step) => {
    expect(nextRetryDelay(schedule, attempts, { statusCode: 500 }, mid)).toBe(step);
  });
  it('jitters by at most 10% either way', () => {
    expect(nextRetryDelay(schedule, 1, { statusCode: 500 }, () => 0)).toBe(4_500);
    expect(nextRetryDelay(schedule, 1, { statusCode: 500 }, () => 1)).toBe(5_500);
  });
  it('parks after the last step', () => {
    expect(nextRetryDelay(schedule, 4, { statusCode: 500 }, mid)).toBeUndefined();
  });
  it.each([429, 503])('honours Retry-After on %i, in seconds or as a date', (status) => {
    expect(nextRetryDelay(schedule, 1, { statusCode: status, retryAfter: '120' }, mid)).toBe(120_000);
    const at = new Date(Date.now() + 60_000).toUTCString();
    const delay = nextRetryDelay(schedule, 1, { statusCode: status, retryAfter: at }, mid)!;
    expect(delay).toBeGreaterThan(55_000);
    expect(delay).toBeLessThanOrEqual(60_000);
  });
  it('ignores Retry-After on other statuses, and beyond a day', () => {
    expect(nextRetryDelay(schedule, 1, { statusCode: 500, retryAfter: '120' }, mid)).toBe(5_000);
    expect(nextRetryDelay(schedule, 1, { statusCode: 429, retryAfter: String(3 * 86_400) }, mid)).toBe(5_000);
  });
});

describe('Standard Webhooks signing', () => {
  it('produces headers the official library verifies, one signature per live secret', () => {
    const [a, b] = [newSigningSecret(), newSigningSecret()];
    expect(a).toMatch(/^whsec_/);
    const body = JSON.stringify({ type: 'submission.created', data: { id: 'sub_1' } });
    const headers = signWebhook('msg_1', new Date(), body, [a, b]);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(a).verify(body, headers)).toMatchObject({ data: { id: 'sub_1' } });
    expect(new Webhook(b).verify(body, headers)).toMatchObject({ data: { id: 'sub_1' } });
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(a).verify(`${body} `, headers)).toThrow();
  });
  it('signs with decoded keys exactly as with the secrets, and the official library agrees', () => {
    const secret = newSigningSecret();
    const at = new Date('2026-12-04T03:00:00Z');
    const body = '{"type":"submission.created","data":{"id":"sub_é"}}';
    const headers = signWebhook('msg_2', at, body, [signingKey(secret)]);
    expect(headers).toEqual(signWebhook('msg_2', at, body, [secret]));
    expect(headers['webhook-timestamp']).toBe(String(at.getTime() / 1000));
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_2', at, body));
  });
  it('refuses an empty secret and no secret at all', () => {
    expect(() => signingKey('whsec_')).toThrow(/empty/);
    expect(() => signWebhook('msg_3', new Date(), '{}', [])).toThrow(/no signing secret/);
  });
  it('masks a secret to its prefix', () => {
    expect(maskSecret('whsec_abcdefghijklmnop')).toBe('whsec_abcd…');
  });
});

describe('ids', () => {
  it('are prefixed, time-sortable and unique across many refills of the random pool', () => {
    const ids = Array.from({ length: 3_000 }, () => newId('msg'));
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-z]{9}[A-Za-z0-9]{14}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(13))).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a.slice(4, 13).localeCompare(b.slice(4, 13)))).toEqual(ids);
  });
});

describe('target safety', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['10.0.0.8', false],
    ['172.16.5.4', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
  ])('%s allowed: %s', (address, allowed) => {
    expect(isAllowedAddress(address, [])).toBe(allowed);
  });
  it('an allowlisted range passes, others stay refused', () => {
    expect(isAllowedAddress('127.0.0.1', ['127.0.0.0/8'])).toBe(true);
    expect(isAllowedAddress('::ffff:127.0.0.1', ['127.0.0.0/8'])).toBe(true);
    expect(isAllowedAddress('169.254.169.254', ['127.0.0.0/8'])).toBe(false);
    expect(isAllowedAddress('::1', ['127.0.0.0/8'])).toBe(false);
  });
  it.each([
    ['', /a URL is required/],
    ['javascript:alert(1)', /only http and https/],
    ['https://a:b@example.com', /user name or password/],
    ['https://example.com/#x', /#fragment/],
    ['nope', /not a valid URL/],
  ])('refuses %j', (url, reason) => {
    const r = parseTargetUrl(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });
  it('refuses a literal private address without any DNS lookup', async () => {
    const r = await checkTarget('http://10.0.0.1/x', []);
    expect(!r.ok && r.reason).toMatch(/resolves to 10.0.0.1/);
  });
});

describe('secrets at rest', () => {
  it('seals and opens; a sealed value never shows the secret and differs every time', () => {
    const box = createCryptoBox(Buffer.alloc(32, 7));
    const a = box.seal('lts_supersecretkey1234567890');
    expect(a).not.toContain('supersecret');
    expect(box.seal('lts_supersecretkey1234567890')).not.toBe(a);
    expect(box.open(a)).toBe('lts_supersecretkey1234567890');
  });
  it('refuses a tampered value or the wrong key', () => {
    const box = createCryptoBox(Buffer.alloc(32, 7));
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other!').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => createCryptoBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
  });
});
