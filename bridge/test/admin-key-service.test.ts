/**
 * The admin key service on an in-memory store with a clock the tests move: the lifecycle,
 * what authenticates and what is refused (and with which message), escalation, bad input
 * changing nothing, and the audit entries each change leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLI_ACTOR, createAdminKeys, migrate, openDatabase, type Actor, type AdminKeys, type Database } from 'lts-bridge';
import { auditRepo } from '../src/db/audit-repo.js';

let db: Database;
let keys: AdminKeys;
let offset = 0;
const now = () => new Date(Date.UTC(2026, 5, 1, 12) + offset);
const advance = (ms: number) => (offset += ms);
const HOUR = 3_600_000;

beforeAll(async () => {
  db = await openDatabase({ dataDir: '/nonexistent', memory: true });
  await migrate(db);
  keys = createAdminKeys({ db, hashSecret: Buffer.alloc(32, 3), now });
});
afterAll(async () => {
  await db?.close();
});

const audit = async (targetId: string) =>
  db.query<{ actor: string; action: string; details: Record<string, unknown> }>('SELECT actor, action, details FROM lts_bridge.audit_log WHERE target_id = $1 ORDER BY id', [targetId]);
const rejects = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as { status: number; code: string; message: string; details?: { field: string; message: string }[] };
  }
  throw new Error('expected a refusal');
};
const actorFor = async (k: { key: string }): Promise<Actor> => {
  const p = await keys.authenticate(k.key);
  return { kind: 'key', id: p.id, prefix: p.prefix, scopes: p.scopes };
};

describe('admin key service', () => {
  it('creates a key with no scopes by default; the full key is returned once and authenticates', async () => {
    const issued = await keys.create(CLI_ACTOR, { name: '  deploy  ' });
    expect(issued.key).toMatch(/^ltb_[A-Za-z0-9_-]{43}$/);
    expect(issued.admin_key).toMatchObject({ name: 'deploy', prefix: issued.key.slice(0, 14), scopes: [], status: 'active', created_by: 'cli', last_used_at: null, expires_at: null });
    expect(JSON.stringify(await keys.get(issued.admin_key.id))).not.toContain(issued.key);
    const principal = await keys.authenticate(issued.key);
    expect(principal).toMatchObject({ id: issued.admin_key.id, scopes: [] });
    expect((await keys.get(issued.admin_key.id)).last_used_at).toBe(now().toISOString());
    expect(await audit(issued.admin_key.id)).toEqual([
      { actor: 'cli', action: 'key.created', details: { prefix: issued.admin_key.prefix, name: 'deploy', scopes: [], expires_at: null } },
    ]);
  });

  it('the prefix alone, a changed character or a tenant key never authenticate; messages name the prefix, never the key', async () => {
    const { key } = await keys.create(CLI_ACTOR, { name: 'probe', scopes: ['audit:read'] });
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    for (const token of [key.slice(0, 14), tampered, `${key}x`]) {
      const err = await rejects(keys.authenticate(token));
      expect(err.status).toBe(401);
      expect(err.message).not.toContain(token.length > 14 ? token : '\u0000');
    }
    const unknown = await rejects(keys.authenticate(tampered));
    expect(unknown.message).toContain(`${key.slice(0, 14)}…`);
    expect(unknown.message).toMatch(/unknown, was deleted, or was replaced by a rotation/);
    expect((await rejects(keys.authenticate('lts_abcdefghijklmnopqrstuvwxyz'))).message).toMatch(/LeadToSheet API key/);
    expect((await rejects(keys.authenticate(undefined))).message).toMatch(/Authorization: Bearer ltb_/);
  });

  it('expires at the given duration or date, and a temporary key after one hour, by the clock', async () => {
    const dated = await keys.create(CLI_ACTOR, { name: 'dated', expires: '2026-06-03' });
    const twoHours = await keys.create(CLI_ACTOR, { name: 'two hours', expires: '2h' });
    const temporary = await keys.create(CLI_ACTOR, { name: 'temporary', temporary: true });
    expect(temporary.admin_key.expires_at).toBe(new Date(now().getTime() + HOUR).toISOString());
    expect(twoHours.admin_key.expires_at).toBe(new Date(now().getTime() + 2 * HOUR).toISOString());
    expect(dated.admin_key.expires_at).toBe('2026-06-03T00:00:00.000Z');
    const start = offset;
    try {
      advance(HOUR - 1000);
      await keys.authenticate(temporary.key);
      advance(1000);
      const err = await rejects(keys.authenticate(temporary.key));
      expect(err).toMatchObject({ status: 401 });
      expect(err.message).toMatch(new RegExp(`${temporary.admin_key.prefix}… expired at`));
      expect((await keys.get(temporary.admin_key.id)).status).toBe('expired');
      await keys.authenticate(twoHours.key);
      advance(HOUR);
      expect((await rejects(keys.authenticate(twoHours.key))).status).toBe(401);
      await keys.authenticate(dated.key);
      advance(48 * HOUR);
      expect((await rejects(keys.authenticate(dated.key))).status).toBe(401);
      expect((await rejects(keys.rotate(CLI_ACTOR, dated.admin_key.id))).code).toBe('key_expired');
    } finally {
      offset = start;
    }
  });

  it('revokes (refused at once, still listed), reactivates, rotates (old refused, same record) and deletes (gone, audit stays)', async () => {
    const k = await keys.create(CLI_ACTOR, { name: 'lifecycle', scopes: ['deliveries:read'] });
    const id = k.admin_key.id;
    await keys.revoke(CLI_ACTOR, id);
    expect((await rejects(keys.authenticate(k.key))).message).toMatch(/was revoked/);
    expect((await keys.list()).map((x) => x.id)).not.toContain(id);
    expect((await keys.list({ includeRevoked: true })).find((x) => x.id === id)?.status).toBe('revoked');
    expect((await rejects(keys.rotate(CLI_ACTOR, id))).code).toBe('key_revoked');
    await keys.reactivate(CLI_ACTOR, id);
    await keys.authenticate(k.key);

    advance(60_000);
    const rotated = await keys.rotate(CLI_ACTOR, id);
    expect(rotated.admin_key).toMatchObject({ id, name: 'lifecycle', scopes: ['deliveries:read'], last_rotated_at: now().toISOString() });
    expect(rotated.key).not.toBe(k.key);
    expect(rotated.admin_key.prefix).toBe(rotated.key.slice(0, 14));
    expect((await rejects(keys.authenticate(k.key))).status).toBe(401);
    expect((await keys.authenticate(rotated.key)).id).toBe(id);

    await keys.delete(CLI_ACTOR, id);
    expect((await rejects(keys.authenticate(rotated.key))).status).toBe(401);
    expect((await keys.list({ includeRevoked: true })).map((x) => x.id)).not.toContain(id);
    expect((await rejects(keys.get(id))).status).toBe(404);
    expect((await audit(id)).map((e) => e.action)).toEqual(['key.created', 'key.revoked', 'key.reactivated', 'key.rotated', 'key.deleted']);
    const rotation = (await audit(id))[3]!.details;
    expect(rotation).toEqual({ prefix: k.admin_key.prefix, old_prefix: k.admin_key.prefix, new_prefix: rotated.admin_key.prefix });
  });

  it('renames and changes scopes; the expiry cannot be changed', async () => {
    const k = await keys.create(CLI_ACTOR, { name: 'old name', expires: '30d' });
    const renamed = await keys.update(CLI_ACTOR, k.admin_key.id, { name: 'new name', scopes: ['audit:read', 'subscriptions:read'] });
    expect(renamed).toMatchObject({ name: 'new name', scopes: ['subscriptions:read', 'audit:read'], expires_at: k.admin_key.expires_at });
    for (const field of ['expires', 'expires_at', 'temporary']) {
      const err = await rejects(keys.update(CLI_ACTOR, k.admin_key.id, { name: 'x', [field]: '90d' }));
      expect(err).toMatchObject({ status: 422, details: [{ field, message: expect.stringMatching(/cannot be changed after creation/) }] });
    }
    expect((await keys.get(k.admin_key.id)).name).toBe('new name');
  });

  it('a key never grants a scope its creator lacks, nor rotates a key holding one', async () => {
    const admin = await keys.create(CLI_ACTOR, { name: 'limited admin', scopes: ['keys:admin', 'subscriptions:read'] });
    const actor = await actorFor(admin);
    const strong = await keys.create(CLI_ACTOR, { name: 'strong', scopes: ['audit:read'] });
    const before = (await keys.list({ includeRevoked: true })).length;
    const refusals = [
      keys.create(actor, { name: 'escalated', scopes: ['subscriptions:read', 'audit:read'] }),
      keys.update(actor, admin.admin_key.id, { scopes: ['keys:admin', 'subscriptions:read', 'deliveries:write'] }),
      keys.rotate(actor, strong.admin_key.id),
    ];
    for (const p of refusals) {
      const err = await rejects(p);
      expect(err).toMatchObject({ status: 403, code: 'insufficient_scope' });
      expect(err.message).toMatch(/audit:read|deliveries:write/);
    }
    expect((await keys.list({ includeRevoked: true })).length).toBe(before);
    expect((await keys.get(admin.admin_key.id)).scopes).toEqual(['subscriptions:read', 'keys:admin']);
    const ok = await keys.create(actor, { name: 'subset', scopes: ['subscriptions:read'] });
    expect(ok.admin_key.created_by).toBe(admin.admin_key.prefix);
    // Scopes the target already holds are not granted by keeping them.
    expect((await keys.update(actor, strong.admin_key.id, { name: 'strong, renamed', scopes: ['audit:read'] })).scopes).toEqual(['audit:read']);
  });

  it('refuses bad input with 422 naming the field, and changes nothing', async () => {
    const countRows = async () => (await db.query<{ n: number }>('SELECT (SELECT count(*) FROM lts_bridge.admin_keys) + (SELECT count(*) FROM lts_bridge.audit_log) AS n'))[0]!.n;
    const before = await countRows();
    const cases: [unknown, string, RegExp][] = [
      [{}, 'name', /name is required/],
      [{ name: '   ' }, 'name', /must not be empty/],
      [{ name: 'x'.repeat(101) }, 'name', /at most 100 characters/],
      [{ name: 'x', scopes: ['keys:admin', 'everything'] }, 'scopes', /unknown scope "everything"/],
      [{ name: 'x', scopes: 'keys:admin' }, 'scopes', /must be a list/],
      [{ name: 'x', expires: '2020-01-01' }, 'expires', /in the past/],
      [{ name: 'x', expires: 'soon' }, 'expires', /must be a date/],
      [{ name: 'x', expires: '1d', temporary: true }, 'temporary', /not both/],
    ];
    for (const [input, field, message] of cases) {
      const err = await rejects(keys.create(CLI_ACTOR, input));
      expect(err.status).toBe(422);
      expect(err.details?.[0]).toMatchObject({ field, message: expect.stringMatching(message) });
    }
    const k = (await keys.list())[0]!;
    expect((await rejects(keys.update(CLI_ACTOR, k.id, { name: '' }))).details?.[0]?.field).toBe('name');
    expect((await rejects(keys.update(CLI_ACTOR, k.id, {}))).status).toBe(422);
    expect(await countRows()).toBe(before);
  });

  it('lists with search by name (literal), sort by creation or last use', async () => {
    const a = await keys.create(CLI_ACTOR, { name: 'Sort alpha 100%' });
    advance(1000);
    const b = await keys.create(CLI_ACTOR, { name: 'sort beta' });
    advance(1000);
    const c = await keys.create(CLI_ACTOR, { name: 'sort gamma' });
    advance(1000);
    await keys.authenticate(b.key);
    advance(1000);
    await keys.authenticate(a.key);
    const byCreated = (await keys.list({ search: 'SORT' })).map((k) => k.name);
    expect(byCreated).toEqual(['sort gamma', 'sort beta', 'Sort alpha 100%']);
    expect((await keys.list({ search: 'sort', sort: 'last_used' })).map((k) => k.name)).toEqual(['Sort alpha 100%', 'sort beta', 'sort gamma']);
    expect((await keys.list({ search: '100%' })).map((k) => k.id)).toEqual([a.admin_key.id]);
    expect(await keys.list({ search: '_' })).toEqual([]);
    expect(await keys.resolve(c.admin_key.prefix)).toBe(c.admin_key.id);
    expect(await keys.resolve(`${c.admin_key.prefix}…`)).toBe(c.admin_key.id);
    expect((await rejects(keys.resolve(c.key))).message).not.toContain(c.key);
  });

  it('lists audit entries newest first by their number (entry 12 before entry 9), paged with before', async () => {
    for (let i = 0; i < 12; i++) await auditRepo.record(db, { actor: 'cli', action: 'test.ordered', targetType: 'key', targetId: 'key_order', details: { i } });
    const page = await auditRepo.list(db, { target: 'key_order', limit: 8 });
    expect(page.map((e) => e.details.i)).toEqual([11, 10, 9, 8, 7, 6, 5, 4]);
    const ids = page.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    const rest = await auditRepo.list(db, { target: 'key_order', limit: 8, before: page.at(-1)!.id });
    expect(rest.map((e) => e.details.i)).toEqual([3, 2, 1, 0]);
  });
});
