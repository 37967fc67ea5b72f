/**
 * Bridge admin keys over real HTTP, on both stores: every /admin/v1 route enforces the
 * scope it names; the key lifecycle (create shown once, revoke on the very next request,
 * reactivate, rotate, delete leaving its audit entries); expiry and one-hour keys on a
 * moved clock; last use; search and sort; escalation refused; bad input refused with the
 * field and nothing changed; and no full key in any log line, audit entry or later answer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_SCOPES } from 'lts-bridge';
import { adminClient, firstKey, fullKeysIn, testClock } from './support/admin-harness.js';
import { freshPgDatabase, startSandboxSite, startTestBridge, STORES, type BridgeUnderTest, type SandboxSite } from './support/bridge-harness.js';

const HOUR = 3_600_000;

/** Every admin route with the scope it names; "missing" ids answer 404 once the scope is granted. */
const ROUTES: [method: string, path: string, scope: string, body?: unknown][] = [
  ['GET', '/keys', 'keys:admin'],
  ['POST', '/keys', 'keys:admin', { name: 'made by a scope check' }],
  ['GET', '/keys/missing', 'keys:admin'],
  ['PATCH', '/keys/missing', 'keys:admin', { name: 'x' }],
  ['POST', '/keys/missing/revoke', 'keys:admin'],
  ['POST', '/keys/missing/reactivate', 'keys:admin'],
  ['POST', '/keys/missing/rotate', 'keys:admin'],
  ['DELETE', '/keys/missing', 'keys:admin'],
  ['GET', '/subscriptions', 'subscriptions:read'],
  ['GET', '/subscriptions/missing', 'subscriptions:read'],
  ['GET', '/sites', 'subscriptions:read'],
  ['GET', '/sites/missing', 'subscriptions:read'],
  ['POST', '/subscriptions/missing/pause', 'subscriptions:write'],
  ['POST', '/subscriptions/missing/resume', 'subscriptions:write'],
  ['POST', '/subscriptions/missing/rotate-secret', 'subscriptions:write'],
  ['POST', '/subscriptions/missing/test', 'subscriptions:write'],
  ['GET', '/deliveries', 'deliveries:read'],
  ['GET', '/deliveries/missing', 'deliveries:read'],
  ['POST', '/deliveries/missing/retry', 'deliveries:write'],
  ['POST', '/subscriptions/missing/recover', 'deliveries:write', { since: '2026-01-01T00:00:00Z' }],
  ['GET', '/audit', 'audit:read'],
];

describe.each(STORES)('bridge admin keys (%s store)', (store) => {
  let site: SandboxSite;
  let bridge: BridgeUnderTest;
  let pgDb: Awaited<ReturnType<typeof freshPgDatabase>> | undefined;
  let root: Awaited<ReturnType<typeof firstKey>>;
  const clock = testClock();
  const admin = adminClient(() => bridge.url);
  const call = admin.call;

  beforeAll(async () => {
    site = await startSandboxSite('Keys');
    if (store === 'postgres') pgDb = await freshPgDatabase();
    bridge = await startTestBridge(store, site.api.baseUrl, {}, pgDb?.url, { clock: clock.now });
    root = await firstKey(bridge);
  });

  afterAll(async () => {
    await bridge?.stop();
    await site?.sandbox.close();
    await pgDb?.drop();
  });

  const create = async (body: Record<string, unknown>, key = root.key) => {
    const res = await call(key, 'POST', '/keys', body);
    expect(res.status).toBe(201);
    return res.body as { key: string; id: string; prefix: string; scopes: string[]; [k: string]: unknown };
  };
  const listAll = async () => (await call(root.key, 'GET', '/keys?include_revoked=true')).body.data as any[];
  /** The list without last use, which the calls that read it move. */
  const keysNow = async () => (await listAll()).map(({ last_used_at: _used, ...rest }) => rest);
  const auditCount = async () => (await call(root.key, 'GET', '/audit?limit=200')).body.data.length as number;

  describe('each route enforces the scope it names', () => {
    const only: Record<string, string> = {};
    const allBut: Record<string, string> = {};
    beforeAll(async () => {
      for (const scope of ADMIN_SCOPES) {
        only[scope] = (await firstKey(bridge, `only ${scope}`, [scope])).key;
        allBut[scope] = (await firstKey(bridge, `all but ${scope}`, ADMIN_SCOPES.filter((s) => s !== scope))).key;
      }
    });

    // Every row has four cells (no body = null): jest would take a fourth parameter beyond a row's cells for `done`.
    it.each(ROUTES.map(([method, path, scope, body]) => [method, path, scope, body ?? null] as const))('%s %s needs %s', async (method, path, scope, json) => {
      const body = json ?? undefined;
      const none = await call(undefined, method, path, body);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="lts-bridge-admin"/);

      const denied = await call(allBut[scope], method, path, body);
      expect(denied.status).toBe(403);
      expect(denied.body.error).toMatchObject({ code: 'insufficient_scope', message: expect.stringContaining(scope) });

      const allowed = await call(only[scope], method, path, body);
      expect([200, 201, 404]).toContain(allowed.status);
    });

    it('a key with no scopes is authenticated but may do nothing', async () => {
      const bare = await create({ name: 'no scopes' });
      expect(bare.scopes).toEqual([]);
      for (const [method, path, scope, body] of ROUTES) {
        const res = await call(bare.key, method, path, body);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain(scope);
      }
    });
  });

  it('creates a key: 201 with the full key this once, afterwards only its prefix, with every listed field', async () => {
    const made = await create({ name: 'ops dashboard', scopes: ['subscriptions:read', 'deliveries:read'], expires: '30d' });
    expect(made.key).toMatch(/^ltb_[A-Za-z0-9_-]{43}$/);
    expect(made).toMatchObject({ name: 'ops dashboard', prefix: made.key.slice(0, 14), scopes: ['subscriptions:read', 'deliveries:read'], status: 'active', created_by: root.prefix, last_used_at: null, last_rotated_at: null, revoked_at: null });
    expect(Date.parse(made.expires_at as string) - clock.now().getTime()).toBeGreaterThan(30 * 24 * HOUR - 60_000);
    const got = await call(root.key, 'GET', `/keys/${made.id}`);
    expect(got.body).toEqual({ ...made, key: undefined, status: 'active' } as any);
    expect(JSON.stringify(got.body)).not.toContain(made.key);
    expect(Object.keys(got.body).sort()).toEqual(['created_at', 'created_by', 'expires_at', 'id', 'last_rotated_at', 'last_used_at', 'name', 'prefix', 'revoked_at', 'scopes', 'status']);
  });

  it('revoke takes effect on the very next request; the key stays listed as revoked; reactivate restores it', async () => {
    const k = await create({ name: 'to revoke', scopes: ['subscriptions:read'] });
    expect((await call(k.key, 'GET', '/subscriptions')).status).toBe(200);
    const revoked = await call(root.key, 'POST', `/keys/${k.id}/revoke`);
    expect(revoked.body).toMatchObject({ status: 'revoked', revoked_at: expect.any(String) });
    const refused = await call(k.key, 'GET', '/subscriptions');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_token');
    expect(refused.body.error.message).toContain(`${k.prefix}… was revoked`);
    expect(JSON.stringify(refused.body)).not.toContain(k.key);
    expect((await call(root.key, 'GET', '/keys')).body.data.map((x: any) => x.id)).not.toContain(k.id);
    expect((await listAll()).find((x) => x.id === k.id)).toMatchObject({ status: 'revoked' });

    expect((await call(root.key, 'POST', `/keys/${k.id}/reactivate`)).body).toMatchObject({ status: 'active', revoked_at: null });
    expect((await call(k.key, 'GET', '/subscriptions')).status).toBe(200);
  });

  it('rotate gives the same record a new secret; the old one is refused at once; the rotation date is recorded', async () => {
    const k = await create({ name: 'to rotate', scopes: ['audit:read'] });
    clock.advance(60_000);
    const rotated = await call(root.key, 'POST', `/keys/${k.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: k.id, name: 'to rotate', scopes: ['audit:read'], status: 'active', prefix: rotated.body.key.slice(0, 14) });
    expect(rotated.body.key).not.toBe(k.key);
    expect(Math.abs(Date.parse(rotated.body.last_rotated_at) - clock.now().getTime())).toBeLessThan(5000);
    const old = await call(k.key, 'GET', '/audit');
    expect(old.status).toBe(401);
    expect(old.body.error.message).toContain(`${k.prefix}…`);
    expect((await call(rotated.body.key, 'GET', '/audit')).status).toBe(200);
  });

  it('delete is permanent: the key disappears and is refused; its audit entries remain', async () => {
    const k = await create({ name: 'to delete', scopes: ['audit:read'] });
    await call(root.key, 'POST', `/keys/${k.id}/revoke`);
    expect((await call(root.key, 'DELETE', `/keys/${k.id}`)).status).toBe(204);
    expect((await call(k.key, 'GET', '/audit')).status).toBe(401);
    expect((await call(root.key, 'GET', `/keys/${k.id}`)).status).toBe(404);
    expect((await listAll()).map((x) => x.id)).not.toContain(k.id);
    expect((await call(root.key, 'POST', `/keys/${k.id}/reactivate`)).status).toBe(404);
    const entries = (await call(root.key, 'GET', `/audit?target=${k.id}`)).body.data;
    expect(entries.map((e: any) => e.action)).toEqual(['key.deleted', 'key.revoked', 'key.created']);
    expect(entries.every((e: any) => e.actor === root.prefix)).toBe(true);
    expect(entries[0].details).toMatchObject({ prefix: k.prefix, name: 'to delete' });
  });

  it('expires by the clock: a two-hour key and a temporary (one-hour) key', async () => {
    const twoHours = await create({ name: 'two hours', scopes: ['audit:read'], expires: '2h' });
    const temporary = await create({ name: 'temporary', scopes: ['audit:read'], temporary: true });
    expect(Date.parse(temporary.expires_at as string) - Date.parse(temporary.created_at as string)).toBe(HOUR);
    try {
      clock.advance(HOUR - 5000);
      expect((await call(temporary.key, 'GET', '/audit')).status).toBe(200);
      clock.advance(10_000);
      const expired = await call(temporary.key, 'GET', '/audit');
      expect(expired.status).toBe(401);
      expect(expired.body.error.message).toContain(`${temporary.prefix}… expired at ${temporary.expires_at}`);
      expect((await call(twoHours.key, 'GET', '/audit')).status).toBe(200);
      expect((await call(root.key, 'GET', `/keys/${temporary.id}`)).body.status).toBe('expired');
      clock.advance(HOUR);
      expect((await call(twoHours.key, 'GET', '/audit')).status).toBe(401);
      expect((await call(root.key, 'POST', `/keys/${twoHours.id}/rotate`)).body.error.code).toBe('key_expired');
    } finally {
      clock.reset();
    }
  });

  it('records the last use on each authenticated request', async () => {
    const k = await create({ name: 'last use', scopes: ['audit:read'] });
    expect(k.last_used_at).toBeNull();
    const before = clock.now().getTime();
    await call(k.key, 'GET', '/audit');
    const first = Date.parse((await call(root.key, 'GET', `/keys/${k.id}`)).body.last_used_at);
    expect(first).toBeGreaterThanOrEqual(before - 1);
    try {
      clock.advance(5 * 60_000);
      await call(k.key, 'GET', '/audit');
      const second = Date.parse((await call(root.key, 'GET', `/keys/${k.id}`)).body.last_used_at);
      expect(second - first).toBeGreaterThanOrEqual(5 * 60_000);
    } finally {
      clock.reset();
    }
  });

  it('lists with search by name, sorted by creation or by last use', async () => {
    const alpha = await create({ name: 'Fleet alpha', scopes: ['audit:read'] });
    const beta = await create({ name: 'fleet beta', scopes: ['audit:read'] });
    const gamma = await create({ name: 'fleet gamma', scopes: ['audit:read'] });
    try {
      clock.advance(60_000);
      await call(beta.key, 'GET', '/audit');
      clock.advance(60_000);
      await call(alpha.key, 'GET', '/audit');
    } finally {
      clock.reset();
    }
    const names = async (query: string) => (await call(root.key, 'GET', `/keys?${query}`)).body.data.map((k: any) => k.name);
    expect(await names('search=FLEET')).toEqual(['fleet gamma', 'fleet beta', 'Fleet alpha']);
    expect(await names('search=fleet&sort=last_used')).toEqual(['Fleet alpha', 'fleet beta', 'fleet gamma']);
    await call(root.key, 'POST', `/keys/${gamma.id}/revoke`);
    expect(await names('search=fleet')).toEqual(['fleet beta', 'Fleet alpha']);
    expect(await names('search=fleet&include_revoked=true')).toEqual(['fleet gamma', 'fleet beta', 'Fleet alpha']);
    expect(await names('search=no%20such%20name')).toEqual([]);
  });

  it('a key never grants scopes it lacks: create, set scopes and rotate are refused with 403 naming them', async () => {
    const limited = await create({ name: 'limited admin', scopes: ['keys:admin', 'subscriptions:read'] });
    const before = await keysNow();
    const attempts: [string, string, unknown, RegExp][] = [
      ['POST', '/keys', { name: 'escalated', scopes: ['subscriptions:read', 'audit:read'] }, /audit:read/],
      ['PATCH', `/keys/${limited.id}`, { scopes: ['keys:admin', 'subscriptions:read', 'deliveries:write'] }, /deliveries:write/],
      ['POST', `/keys/${root.id}/rotate`, undefined, /audit:read|deliveries/],
    ];
    for (const [method, path, body, message] of attempts) {
      const res = await call(limited.key, method, path, body);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'insufficient_scope', message: expect.stringMatching(message) });
    }
    expect(await keysNow()).toEqual(before);
    expect((await call(root.key, 'GET', '/audit')).status).toBe(200);
    const subset = await create({ name: 'subset', scopes: ['subscriptions:read'] }, limited.key);
    expect(subset.created_by).toBe(limited.prefix);
  });

  describe('bad input: 422 naming the field, nothing changed', () => {
    const cases: [string, string, string, unknown, string, RegExp][] = [
      ['empty name', 'POST', '/keys', { name: '' }, 'name', /must not be empty/],
      ['missing name', 'POST', '/keys', { scopes: [] }, 'name', /name is required/],
      ['name over 100 characters', 'POST', '/keys', { name: 'n'.repeat(101) }, 'name', /at most 100 characters/],
      ['unknown scope', 'POST', '/keys', { name: 'x', scopes: ['keys:admin', 'root'] }, 'scopes', /unknown scope "root"/],
      ['expiry in the past', 'POST', '/keys', { name: 'x', expires: '2020-01-01' }, 'expires', /in the past/],
      ['expiry that is no date', 'POST', '/keys', { name: 'x', expires: 'next week' }, 'expires', /must be a date/],
      ['expiry and temporary', 'POST', '/keys', { name: 'x', expires: '1d', temporary: true }, 'temporary', /not both/],
      ['changing the expiry', 'PATCH', '/keys/ROOT', { expires: '90d' }, 'expires', /cannot be changed after creation/],
      ['changing expires_at', 'PATCH', '/keys/ROOT', { name: 'renamed', expires_at: '2030-01-01T00:00:00Z' }, 'expires_at', /cannot be changed after creation/],
      ['renaming to nothing', 'PATCH', '/keys/ROOT', { name: ' ' }, 'name', /must not be empty/],
      ['unknown list sort', 'GET', '/keys?sort=name', undefined, 'sort', /created or last_used/],
    ];
    it.each(cases)('%s', async (_name, method, path, body, field, message) => {
      const keysBefore = await keysNow();
      const auditBefore = await auditCount();
      const res = await call(root.key, method, path.replace('ROOT', root.id), body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details[0]).toMatchObject({ field, message: expect.stringMatching(message) });
      expect(await keysNow()).toEqual(keysBefore);
      expect(await auditCount()).toBe(auditBefore);
    });
  });

  it('401 for every wrong key, naming the prefix when one can be read, never the key', async () => {
    const unknown = `ltb_${'Q'.repeat(43)}`;
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /Authorization: Bearer ltb_/],
      [{ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, /Authorization: Bearer ltb_/],
      [{ authorization: `Bearer ${site.keys.full}` }, /LeadToSheet API key \(lts_…\)/],
      [{ authorization: 'Bearer ltb_short' }, /not a bridge admin key/],
      [{ authorization: `Bearer ${unknown}` }, new RegExp(`${unknown.slice(0, 14)}… is not valid`)],
      [{ authorization: `Bearer ${root.prefix}` }, /not a bridge admin key/],
    ];
    for (const [headers, message] of cases) {
      const res = await fetch(`${bridge.url}/admin/v1/keys`, { headers });
      const text = await res.text();
      expect(res.status).toBe(401);
      expect(JSON.parse(text).error.message).toMatch(message);
      expect(text).not.toContain(unknown);
      expect(text).not.toContain(site.keys.full);
    }
  });

  it('no full ltb_ key in any log line, audit entry or later answer', async () => {
    // Even a key pasted where an id belongs comes back as its prefix only.
    for (const path of ['/keys/', '/subscriptions/', '/sites/', '/deliveries/']) {
      const res = await call(root.key, 'GET', `${path}${root.key}`);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain(`${root.prefix}…`);
    }
    expect(admin.answers.length).toBeGreaterThan(50);
    for (const a of admin.answers) {
      const body = JSON.parse(a.text);
      if (a.issues) {
        expect(fullKeysIn(JSON.stringify({ ...body, key: undefined }))).toEqual([]);
        expect(body.key).toMatch(/^ltb_/);
      } else {
        expect({ answer: `${a.method} ${a.path}`, keys: fullKeysIn(a.text) }).toEqual({ answer: `${a.method} ${a.path}`, keys: [] });
      }
    }
    let before = '';
    const entries: unknown[] = [];
    for (;;) {
      const page = (await call(root.key, 'GET', `/audit?limit=200${before}`)).body;
      entries.push(...page.data);
      if (!page.next_before) break;
      before = `&before=${page.next_before}`;
    }
    expect(entries.length).toBeGreaterThan(20);
    expect(fullKeysIn(JSON.stringify(entries))).toEqual([]);
    const logs = bridge.logs();
    expect(logs).toContain('admin key created');
    expect(fullKeysIn(logs)).toEqual([]);
    expect(logs).not.toContain(root.key);
  });
});
