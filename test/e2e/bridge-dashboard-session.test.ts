/**
 * The dashboard's HTTP sessions over real HTTP: the real bridge, the real sandbox as
 * LeadToSheet. Operator (ltb_) and tenant (lts_) sign-in; the cookie's attributes; the
 * answer carrying no key; /admin/v1 and /v1 reached with the cookie alone, changes only with
 * the CSRF token; each kind of session kept to its own API; bad keys refused with the field
 * and a clear message; cross-origin and non-JSON sign-ins refused; a revoked key ending the
 * session; sign-out; failed sign-ins slowed then refused (429 with Retry-After), successful
 * ones not counted; the page's security headers and SPA fallback; a Bearer key overriding
 * the cookie; and no full key, cookie value or CSRF token in any log line.
 *
 * The embedded store only: sessions live in the bridge's memory, not in the store, so the
 * store adds nothing here (the /admin/v1 routes themselves run on both stores in
 * bridge-admin-keys.test.ts).
 *
 * The page checks read bridge/dashboard-dist, which `npm run build` makes; the root
 * `npm test` (and CI) builds before jest runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_SCOPES } from 'lts-bridge';
import { firstKey, fullKeysIn } from './support/admin-harness.js';
import { startSandboxSite, startTestBridge, type BridgeUnderTest, type SandboxSite } from './support/bridge-harness.js';
import { raw, type RawResponse } from './support/sandbox-harness.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bridge', 'dashboard-dist');
const COOKIE = 'bridge_session';
/** Anything that looks like more than the masked form of an lts_ key (`lts_` + 4 characters). */
const FULL_SITE_KEY = /lts_[A-Za-z0-9_-]{8,}/g;
const fullSiteKeysIn = (text: string): string[] => text.match(FULL_SITE_KEY) ?? [];

/** Limits loose enough that the suite's own failed sign-ins are never slowed or refused. */
const LOOSE = { windowMs: 60_000, delayAfter: 1_000, delayMs: 1, maxDelayMs: 10, limit: 1_000 };
/** Limits the sign-in throttling test runs against. */
const TIGHT = { windowMs: 60_000, delayAfter: 1, delayMs: 20, maxDelayMs: 100, limit: 5 };

interface Answer extends RawResponse {
  /** The bridge_session cookie this answer sets (value and attributes), if any. */
  cookie?: { value: string; attributes: string[] };
}

interface CallOptions {
  cookie?: string;
  csrf?: string;
  bearer?: string;
  body?: unknown;
  /** A raw body sent as is (with the content-type in `headers`). */
  raw?: string;
  headers?: Record<string, string>;
}

/** Every value that must never reach a log line, gathered as the suite goes. */
const secrets = new Set<string>();

async function call(baseUrl: string, method: string, path: string, o: CallOptions = {}): Promise<Answer> {
  const res = await raw(baseUrl, path, {
    method,
    key: o.bearer ?? null,
    body: o.body,
    rawBody: o.raw,
    redirect: 'manual',
    headers: { ...(o.cookie !== undefined ? { cookie: `${COOKIE}=${o.cookie}` } : {}), ...(o.csrf !== undefined ? { 'x-csrf-token': o.csrf } : {}), ...o.headers },
  });
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  let cookie: Answer['cookie'];
  if (set) {
    const [pair, ...attributes] = set.split(';').map((p) => p.trim());
    cookie = { value: decodeURIComponent(pair!.slice(COOKIE.length + 1)), attributes };
    if (cookie.value) secrets.add(cookie.value);
  }
  if (typeof res.body?.csrf_token === 'string') secrets.add(res.body.csrf_token);
  return { ...res, cookie };
}

const signIn = (baseUrl: string, key: unknown, o: CallOptions = {}) => call(baseUrl, 'POST', '/dashboard/api/session', { body: { key }, ...o });

/** Signs in and returns the cookie value and CSRF token (expects success). */
async function session(baseUrl: string, key: string) {
  const res = await signIn(baseUrl, key);
  expect(res.status).toBe(201);
  expect(res.cookie?.value).toBeTruthy();
  return { cookie: res.cookie!.value, csrf: res.body.csrf_token as string, body: res.body };
}

const isCleared = (a: Answer) => a.cookie !== undefined && a.cookie.value === '' && a.cookie.attributes.some((x) => /^max-age=0$/i.test(x) || /^expires=/i.test(x));

describe('bridge dashboard sessions (embedded store)', () => {
  let site: SandboxSite;
  let bridge: BridgeUnderTest;
  let root: Awaited<ReturnType<typeof firstKey>>;
  let url: string;

  beforeAll(async () => {
    site = await startSandboxSite('Dash');
    bridge = await startTestBridge('embedded', site.api.baseUrl, {}, undefined, { dashboardSignIn: LOOSE });
    url = bridge.url;
    root = await firstKey(bridge);
    for (const k of [root.key, site.keys.full, site.keys.readOnly, site.keys.formsOnly]) secrets.add(k);
  });

  afterAll(async () => {
    await bridge?.stop();
    await site?.sandbox.close();
  });

  const keyNames = async () => ((await call(url, 'GET', '/admin/v1/keys?include_revoked=true', { bearer: root.key })).body.data as { name: string }[]).map((k) => k.name);

  describe('operator sign-in (ltb_ key)', () => {
    let op: Awaited<ReturnType<typeof session>>;

    it('sets an HttpOnly, SameSite=Strict cookie on / (not Secure over http) and answers the session without the key', async () => {
      const res = await signIn(url, root.key);
      expect(res.status).toBe(201);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const { value, attributes } = res.cookie!;
      expect(value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(value).not.toContain(root.key);
      const lower = attributes.map((a) => a.toLowerCase());
      expect(lower).toContain('httponly');
      expect(lower).toContain('samesite=strict');
      expect(lower).toContain('path=/');
      expect(lower).not.toContain('secure');
      // A session cookie: it ends with the browser, not at a date.
      expect(lower.some((a) => a.startsWith('max-age=') || a.startsWith('expires='))).toBe(false);

      expect(res.body).toMatchObject({ kind: 'operator', prefix: root.prefix, name: 'root', site: null, idle_timeout_seconds: 1800 });
      expect([...res.body.scopes].sort()).toEqual([...ADMIN_SCOPES].sort());
      expect(res.body.csrf_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(res.body.csrf_token).not.toBe(value);
      expect(res.body).not.toHaveProperty('key');
      expect(fullKeysIn(res.text)).toEqual([]);
      expect(res.text).not.toContain(root.key);
      expect(fullSiteKeysIn(res.text)).toEqual([]);
      op = { cookie: value, csrf: res.body.csrf_token, body: res.body };
    });

    it('GET /dashboard/api/session answers the same session (no key) while signed in; 401 without a cookie', async () => {
      const res = await call(url, 'GET', '/dashboard/api/session', { cookie: op.cookie });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(op.body);
      expect(fullKeysIn(res.text)).toEqual([]);
      expect(res.cookie).toBeUndefined();

      const none = await call(url, 'GET', '/dashboard/api/session');
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe('not_signed_in');
      const unknown = await call(url, 'GET', '/dashboard/api/session', { cookie: 'x'.repeat(43) });
      expect(unknown.status).toBe(401);
    });

    it('reaches /admin/v1 with the cookie alone (no Authorization header)', async () => {
      const res = await call(url, 'GET', '/admin/v1/keys', { cookie: op.cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body.data.map((k: { id: string }) => k.id)).toContain(root.id);
      expect(fullKeysIn(res.text)).toEqual([]);
    });

    it('records the sign-in in the audit log, by prefix only', async () => {
      const res = await call(url, 'GET', '/admin/v1/audit?action=dashboard.signed_in', { cookie: op.cookie });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeGreaterThanOrEqual(1);
      expect(res.body.data[0]).toMatchObject({ action: 'dashboard.signed_in' });
      expect(fullKeysIn(res.text)).toEqual([]);
    });

    it('refuses a change without the CSRF token (403 csrf_failed, nothing created); makes it with the token (201)', async () => {
      const before = await keyNames();
      const missing = await call(url, 'POST', '/admin/v1/keys', { cookie: op.cookie, body: { name: 'made from the dashboard', scopes: ['audit:read'] } });
      expect(missing.status).toBe(403);
      expect(missing.body.error.code).toBe('csrf_failed');
      expect(missing.body.error.message).toContain('X-CSRF-Token');
      const wrong = await call(url, 'POST', '/admin/v1/keys', { cookie: op.cookie, csrf: `${op.csrf.slice(0, -1)}${op.csrf.endsWith('A') ? 'B' : 'A'}`, body: { name: 'made from the dashboard', scopes: ['audit:read'] } });
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('csrf_failed');
      const empty = await call(url, 'POST', '/admin/v1/keys', { cookie: op.cookie, csrf: '', body: { name: 'made from the dashboard', scopes: ['audit:read'] } });
      expect(empty.status).toBe(403);
      expect(await keyNames()).toEqual(before);

      const made = await call(url, 'POST', '/admin/v1/keys', { cookie: op.cookie, csrf: op.csrf, body: { name: 'made from the dashboard', scopes: ['audit:read'] } });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ name: 'made from the dashboard', scopes: ['audit:read'], created_by: root.prefix });
      expect(made.body.key).toMatch(/^ltb_/);
      secrets.add(made.body.key);
      expect(await keyNames()).toEqual(expect.arrayContaining([...before, 'made from the dashboard']));

      // Other change methods need it too.
      const del = await call(url, 'DELETE', `/admin/v1/keys/${made.body.id}`, { cookie: op.cookie });
      expect(del.status).toBe(403);
      expect(del.body.error.code).toBe('csrf_failed');
      const patch = await call(url, 'PATCH', `/admin/v1/keys/${made.body.id}`, { cookie: op.cookie, body: { name: 'renamed' } });
      expect(patch.status).toBe(403);
      expect(await keyNames()).toContain('made from the dashboard');
    });

    it('keeps an operator session off the tenant API (403 tenant_only)', async () => {
      const res = await call(url, 'GET', '/v1/subscriptions', { cookie: op.cookie });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('tenant_only');
      expect(res.body.error.message).toContain('lts_');
      expect(fullKeysIn(res.text)).toEqual([]);
    });
  });

  describe('tenant sign-in (lts_ key, checked against LeadToSheet)', () => {
    let tenant: Awaited<ReturnType<typeof session>>;

    it('signs in with the site\'s full key: kind tenant, the site, a masked prefix, no key in the answer', async () => {
      const res = await signIn(url, site.keys.full);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'tenant', name: 'Dash', scopes: [], site: { id: site.siteId, name: 'Dash' } });
      expect(res.body.prefix).toBe(`${site.keys.full.slice(0, 8)}…`);
      expect(res.body).not.toHaveProperty('key');
      expect(res.text).not.toContain(site.keys.full);
      expect(fullSiteKeysIn(res.text)).toEqual([]);
      expect(fullKeysIn(res.text)).toEqual([]);
      const lower = res.cookie!.attributes.map((a) => a.toLowerCase());
      expect(lower).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
      tenant = { cookie: res.cookie!.value, csrf: res.body.csrf_token, body: res.body };
    });

    it('reaches /v1 with the cookie alone; a change there needs the CSRF token too', async () => {
      const list = await call(url, 'GET', '/v1/subscriptions', { cookie: tenant.cookie });
      expect(list.status).toBe(200);
      expect(list.body.data).toEqual([]);

      const refused = await call(url, 'POST', '/v1/subscriptions', { cookie: tenant.cookie, body: { url: 'http://127.0.0.1:9/hook' } });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('csrf_failed');
      expect((await call(url, 'GET', '/v1/subscriptions', { bearer: site.keys.full })).body.data).toEqual([]);

      const made = await call(url, 'POST', '/v1/subscriptions', { cookie: tenant.cookie, csrf: tenant.csrf, body: { url: 'http://127.0.0.1:9/hook', description: 'from the dashboard' } });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ site_id: site.siteId, description: 'from the dashboard', created_by: tenant.body.prefix });
      secrets.add(made.body.secret);
      expect(fullSiteKeysIn(made.text)).toEqual([]);
    });

    it('keeps a tenant session off the operators\' API (403 operator_only)', async () => {
      const res = await call(url, 'GET', '/admin/v1/keys', { cookie: tenant.cookie });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('operator_only');
      expect(res.body.error.message).toContain('ltb_');
      expect(res.text).not.toContain(site.keys.full);
      // Not even a change with the right token.
      const change = await call(url, 'POST', '/admin/v1/keys', { cookie: tenant.cookie, csrf: tenant.csrf, body: { name: 'escalation' } });
      expect(change.status).toBe(403);
      expect(change.body.error.code).toBe('operator_only');
      expect(await keyNames()).not.toContain('escalation');
    });

    it('GET /dashboard/api/session checks the key upstream again and answers the tenant session', async () => {
      const res = await call(url, 'GET', '/dashboard/api/session', { cookie: tenant.cookie });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(tenant.body);
    });

    it('a key revoked upstream ends the tenant session at its next check (401, cookie cleared)', async () => {
      const issued = site.sandbox.createKey(site.siteId, { name: 'to revoke', scopes: ['submissions:read', 'forms:read'] });
      secrets.add(issued.key);
      const s = await session(url, issued.key);
      expect((await call(url, 'GET', '/v1/subscriptions', { cookie: s.cookie })).status).toBe(200);
      site.sandbox.revokeKey(issued.api_key.id);

      const api = await call(url, 'GET', '/v1/subscriptions', { cookie: s.cookie });
      expect(api.status).toBe(401);
      expect(api.body.error.code).toBe('invalid_token');
      const check = await call(url, 'GET', '/dashboard/api/session', { cookie: s.cookie });
      expect(check.status).toBe(401);
      expect(check.body.error.message).toContain('revoked');
      expect(isCleared(check)).toBe(true);
      const after = await call(url, 'GET', '/v1/subscriptions', { cookie: s.cookie });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('session_expired');
    });
  });

  describe('sign-in refusals', () => {
    const expectRefused = (res: Answer) => {
      expect(res.cookie).toBeUndefined();
      expect(res.headers.getSetCookie()).toEqual([]);
    };

    it('an lts_ key LeadToSheet does not know, or has revoked, is 401 with LeadToSheet\'s reason', async () => {
      const unknown = `lts_${'Zq3'.repeat(11)}`;
      secrets.add(unknown);
      const res = await signIn(url, unknown);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
      expect(res.body.error.message).toContain('LeadToSheet refused the API key (lts_Zq3Z…)');
      expect(res.body.error.message).toContain('Create a new API key');
      expect(res.text).not.toContain(unknown);
      expectRefused(res);

      const issued = site.sandbox.createKey(site.siteId, { name: 'revoked before sign-in', scopes: ['forms:read'] });
      secrets.add(issued.key);
      site.sandbox.revokeKey(issued.api_key.id);
      const revoked = await signIn(url, issued.key);
      expect(revoked.status).toBe(401);
      expect(revoked.body.error.message).toMatch(/revoked/);
      expect(revoked.text).not.toContain(issued.key);
      expectRefused(revoked);
    });

    it('a malformed lts_ or ltb_ key is 401 saying what is wrong with it', async () => {
      const short = await signIn(url, 'lts_abc');
      expect(short.status).toBe(401);
      expect(short.body.error.message).toContain('too short');
      expectRefused(short);
      const admin = await signIn(url, 'ltb_not-a-real-key');
      expect(admin.status).toBe(401);
      expect(admin.body.error.code).toBe('invalid_token');
      expect(admin.body.error.message).toContain('not a bridge admin key');
      expectRefused(admin);
      const gone = await signIn(url, `ltb_${'A'.repeat(43)}`);
      expect(gone.status).toBe(401);
      expect(gone.body.error.message).toContain('is not valid');
      expectRefused(gone);
    });

    it('a key of neither shape is 401 naming ltb_ and lts_ and the field', async () => {
      const res = await signIn(url, 'sk_live_1234567890abcdef');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
      expect(res.body.error.message).toContain('ltb_');
      expect(res.body.error.message).toContain('lts_');
      expect(res.body.error.details).toEqual([{ field: 'key', message: expect.stringContaining('ltb_') }]);
      expect(res.text).not.toContain('sk_live_1234567890abcdef');
      expectRefused(res);
    });

    it.each([
      ['an empty key', { key: '' }],
      ['a blank key', { key: '   ' }],
      ['no key', {}],
      ['a key that is not a string', { key: 42 }],
    ])('%s is 422 naming the field key', async (_what, body) => {
      const res = await call(url, 'POST', '/dashboard/api/session', { body });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['key']);
      expect(res.body.error.message).toMatch(/^key: /);
      expectRefused(res);
    });

    it('a JSON body with no content at all is 422 naming the field key', async () => {
      const res = await call(url, 'POST', '/dashboard/api/session', { raw: '', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['key']);
    });

    it('a body that is not JSON is 415; JSON that does not parse is 400', async () => {
      const form = await call(url, 'POST', '/dashboard/api/session', { raw: `key=${root.key}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(form.status).toBe(415);
      expect(form.body.error.message).toContain('JSON');
      expectRefused(form);
      const text = await call(url, 'POST', '/dashboard/api/session', { raw: root.key, headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(415);
      expectRefused(text);
      const broken = await call(url, 'POST', '/dashboard/api/session', { raw: `{"key": "${root.key}"`, headers: { 'content-type': 'application/json' } });
      expect(broken.status).toBe(400);
      expect(broken.text).not.toContain(root.key);
      expectRefused(broken);
    });

    it('a sign-in from another origin is 403 even with a good key; the page\'s own origin is fine', async () => {
      const res = await signIn(url, root.key, { headers: { origin: 'https://evil.example' } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('cross_origin');
      expectRefused(res);
      const nul = await signIn(url, root.key, { headers: { origin: 'null' } });
      expect(nul.status).toBe(403);
      expectRefused(nul);
      const same = await signIn(url, root.key, { headers: { origin: new URL(url).origin } });
      expect(same.status).toBe(201);
    });
  });

  describe('ending a session', () => {
    it('revoking the operator\'s key (with another key) fails the session\'s next call, and the session check ends it', async () => {
      const ops = await firstKey(bridge, 'ops');
      secrets.add(ops.key);
      const s = await session(url, ops.key);
      expect((await call(url, 'GET', '/admin/v1/keys', { cookie: s.cookie })).status).toBe(200);

      const revoked = await call(url, 'POST', `/admin/v1/keys/${ops.id}/revoke`, { bearer: root.key });
      expect(revoked.status).toBe(200);

      const next = await call(url, 'GET', '/admin/v1/keys', { cookie: s.cookie });
      expect(next.status).toBe(401);
      expect(next.body.error.message).toContain(`${ops.prefix}… was revoked`);
      const check = await call(url, 'GET', '/dashboard/api/session', { cookie: s.cookie });
      expect(check.status).toBe(401);
      expect(isCleared(check)).toBe(true);
      expect(check.cookie!.attributes.map((a) => a.toLowerCase())).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
      // The session is gone, not only the key refused: reactivating the key does not bring it back.
      await call(url, 'POST', `/admin/v1/keys/${ops.id}/reactivate`, { bearer: root.key });
      const after = await call(url, 'GET', '/admin/v1/keys', { cookie: s.cookie });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('session_expired');
    });

    it('sign-out needs the CSRF token, clears the cookie, and the old cookie no longer works (401 session_expired)', async () => {
      const s = await session(url, root.key);
      const forged = await call(url, 'DELETE', '/dashboard/api/session', { cookie: s.cookie });
      expect(forged.status).toBe(403);
      expect(forged.body.error.code).toBe('csrf_failed');
      expect((await call(url, 'GET', '/admin/v1/keys', { cookie: s.cookie })).status).toBe(200);

      const out = await call(url, 'DELETE', '/dashboard/api/session', { cookie: s.cookie, csrf: s.csrf });
      expect(out.status).toBe(204);
      expect(isCleared(out)).toBe(true);

      const api = await call(url, 'GET', '/admin/v1/keys', { cookie: s.cookie });
      expect(api.status).toBe(401);
      expect(api.body.error.code).toBe('session_expired');
      expect(api.body.error.message).toContain('sign in again');
      const change = await call(url, 'POST', '/admin/v1/keys', { cookie: s.cookie, csrf: s.csrf, body: { name: 'after sign-out' } });
      expect(change.status).toBe(401);
      expect(change.body.error.code).toBe('session_expired');
      expect((await call(url, 'GET', '/v1/subscriptions', { cookie: s.cookie })).body.error.code).toBe('session_expired');
      expect((await call(url, 'GET', '/dashboard/api/session', { cookie: s.cookie })).status).toBe(401);
      expect(await keyNames()).not.toContain('after sign-out');

      // Signing out again, or without a session, is harmless.
      expect((await call(url, 'DELETE', '/dashboard/api/session', { cookie: s.cookie })).status).toBe(204);
      expect((await call(url, 'DELETE', '/dashboard/api/session')).status).toBe(204);
    });

    it('signing in again from the same browser replaces its previous session', async () => {
      const first = await session(url, root.key);
      const second = await signIn(url, site.keys.full, { cookie: first.cookie });
      expect(second.status).toBe(201);
      expect(second.cookie!.value).not.toBe(first.cookie);
      expect((await call(url, 'GET', '/admin/v1/keys', { cookie: first.cookie })).body.error.code).toBe('session_expired');
      expect((await call(url, 'GET', '/v1/subscriptions', { cookie: second.cookie!.value })).status).toBe(200);
    });
  });

  describe('an Authorization header wins over the cookie', () => {
    it('a Bearer ltb_ key works without a CSRF token, whatever session cookie comes with it', async () => {
      const tenant = await session(url, site.keys.full);
      const res = await call(url, 'POST', '/admin/v1/keys', { bearer: root.key, cookie: tenant.cookie, body: { name: 'bearer beside a cookie', scopes: ['audit:read'] } });
      expect(res.status).toBe(201);
      secrets.add(res.body.key);
      expect(res.body.created_by).toBe(root.prefix);

      const op = await session(url, root.key);
      const tenantCall = await call(url, 'GET', '/v1/subscriptions', { bearer: site.keys.full, cookie: op.cookie });
      expect(tenantCall.status).toBe(200);
      expect(tenantCall.body.data.length).toBeGreaterThanOrEqual(1);
    });

    it('a bad Bearer key is refused even with a good session cookie; a dead cookie does not spoil a good key', async () => {
      const op = await session(url, root.key);
      const bad = await call(url, 'GET', '/admin/v1/keys', { bearer: `ltb_${'B'.repeat(43)}`, cookie: op.cookie });
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe('invalid_token');
      const dead = await call(url, 'GET', '/admin/v1/keys', { bearer: root.key, cookie: 'signed-out-long-ago' });
      expect(dead.status).toBe(200);
    });
  });

  describe('the page', () => {
    const built = () => {
      if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html is missing: run \`npm run build\` first (the root \`npm test\` does)`);
      return readFileSync(join(DIST, 'index.html'), 'utf8');
    };
    const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!.toLowerCase(), values]));

    it('GET / redirects to /dashboard/', async () => {
      const res = await call(url, 'GET', '/');
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/dashboard/');
    });

    it('/dashboard/ carries a CSP without inline script, nosniff, and no framing', async () => {
      const res = await call(url, 'GET', '/dashboard/');
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toBeTruthy();
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      const d = directives(csp);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('default-src')).toEqual(["'self'"]);
      expect(d.get('frame-ancestors')).toEqual(["'none'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      // The bridge is often plain http on a private network: no HSTS from it.
      expect(res.headers.get('strict-transport-security')).toBeNull();
      // The session API answers carry the same headers.
      const api = await call(url, 'GET', '/dashboard/api/session');
      expect(api.headers.get('content-security-policy')).toBe(csp);
      expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('serves the built page, whose scripts are all files (nothing the CSP would block)', async () => {
      const page = built();
      const res = await call(url, 'GET', '/dashboard/');
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toBe(page);
      const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThanOrEqual(1);
      for (const [, attributes, content] of scripts) {
        expect(attributes).toMatch(/\bsrc="/);
        expect(content!.trim()).toBe('');
      }
      expect(page).not.toMatch(/\son[a-z]+=/i);
      const src = /<script\b[^>]*\bsrc="([^"]+)"/i.exec(page)![1]!;
      const js = await call(url, 'GET', new URL(src, `${url}/dashboard/`).pathname);
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
    });

    it('/dashboard/anything/deep is the same page (the app draws its own routes); unknown API paths stay 404 JSON', async () => {
      const page = built();
      for (const path of ['/dashboard/anything/deep', '/dashboard/keys', '/dashboard/subscriptions/sub_123?tab=deliveries']) {
        const res = await call(url, 'GET', path);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.text).toBe(page);
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      }
      const api = await call(url, 'GET', '/dashboard/api/nothing-here');
      expect(api.status).toBe(404);
      expect(api.body.error.code).toBe('not_found');
    });
  });

  describe('failed sign-ins are slowed, then refused', () => {
    let tight: BridgeUnderTest;
    let key: string;
    beforeAll(async () => {
      tight = await startTestBridge('embedded', site.api.baseUrl, {}, undefined, { dashboardSignIn: TIGHT });
      key = (await firstKey(tight)).key;
      secrets.add(key);
    });
    afterAll(async () => {
      if (tight) {
        scanLogs(tight.logs(), 'the throttled bridge');
        await tight.stop();
      }
    });

    const timed = async (k: unknown) => {
      const start = performance.now();
      const res = await signIn(tight.url, k);
      return { res, ms: performance.now() - start };
    };

    it('after `limit` failures answers 429 too_many_attempts with Retry-After, even to a good key; a success before it does not count', async () => {
      const bad = `ltb_${'C'.repeat(43)}`;
      expect((await timed(bad)).res.status).toBe(401); // failure 1
      expect((await timed('')).res.status).toBe(422); // failure 2: bad input counts too
      const good = await timed(key); // not counted
      expect(good.res.status).toBe(201);
      const goodSession = good.res.cookie!.value;
      expect((await timed(bad)).res.status).toBe(401); // failure 3
      const slowed = await timed(bad); // failure 4: (4 - delayAfter) × 20 ms = 60 ms
      expect(slowed.res.status).toBe(401);
      expect(slowed.ms).toBeGreaterThanOrEqual(50);
      // Failure 5 is still answered: had the success counted, this would be the 6th attempt.
      expect((await timed('neither-shape')).res.status).toBe(401);

      const refused = await timed(key);
      expect(refused.res.status).toBe(429);
      expect(refused.res.body.error.code).toBe('too_many_attempts');
      expect(refused.res.body.error.message).toContain('try again in');
      expect(refused.res.headers.get('retry-after')).toBe('60');
      expect(refused.res.cookie).toBeUndefined();
      expect(refused.res.text).not.toContain(key);
      const again = await timed(bad);
      expect(again.res.status).toBe(429);

      // Only signing in is held back: the session already made, and Bearer calls, still work.
      expect((await call(tight.url, 'GET', '/dashboard/api/session', { cookie: goodSession })).status).toBe(200);
      expect((await call(tight.url, 'GET', '/admin/v1/keys', { bearer: key })).status).toBe(200);
    });
  });

  function scanLogs(logs: string, where: string) {
    expect(logs.length).toBeGreaterThan(0);
    expect({ where, adminKeys: fullKeysIn(logs), siteKeys: fullSiteKeysIn(logs) }).toEqual({ where, adminKeys: [], siteKeys: [] });
    const leaked = [...secrets].filter((s) => s.length >= 8 && logs.includes(s));
    expect({ where, leaked: leaked.map((s) => `${s.slice(0, 6)}…`) }).toEqual({ where, leaked: [] });
  }

  it('no full key, session cookie or CSRF token appears in any log line', () => {
    const logs = bridge.logs();
    expect(logs).toContain('dashboard sign-in');
    expect(logs).toContain('dashboard sign-out');
    // The secrets gathered include every cookie value and CSRF token the bridge handed out.
    expect([...secrets].length).toBeGreaterThan(20);
    scanLogs(logs, 'the main bridge');
  });
});
