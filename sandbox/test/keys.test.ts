import { describe, expect, it } from '@jest/globals';
import { checkKeyShape } from '@leadtosheet/shared';
import { authenticate } from '../src/domain/authenticate.js';
import { hashKey, sameHash } from '../src/domain/key-secret.js';
import { createKey, keyStatus } from '../src/domain/keys.js';
import { createSite } from '../src/domain/sites.js';
import { SandboxError } from '../src/domain/sandbox-error.js';
import { Store } from '../src/store/store.js';

const setup = () => {
  let now = new Date('2026-01-01T00:00:00.000Z');
  const ctx = { store: new Store(), now: () => now };
  const site = createSite(ctx, { name: 'Keys' });
  return { ctx, site, setNow: (iso: string) => (now = new Date(iso)) };
};

describe('API keys', () => {
  it('are lts_ + 43 url-safe characters, pass the shared shape check, and differ every time', () => {
    const { ctx, site } = setup();
    const keys = Array.from({ length: 20 }, () => createKey(ctx, site.id, { name: 'k', scopes: ['forms:read'] }).key);
    for (const key of keys) {
      expect(key).toMatch(/^lts_[A-Za-z0-9_-]{43}$/);
      expect(checkKeyShape(key).ok).toBe(true);
    }
    expect(new Set(keys).size).toBe(20);
  });

  it('are stored as an HMAC under the store secret, with an 8-character prefix, never in full', () => {
    const { ctx, site } = setup();
    const { key, api_key } = createKey(ctx, site.id, { name: 'stored', scopes: ['forms:read', 'submissions:read'] });
    const record = ctx.store.key(api_key.id)!;
    expect(record.hash).toBe(hashKey(ctx.store.secret, key));
    expect(record.prefix).toBe(key.slice(0, 8));
    expect(JSON.stringify(ctx.store.snapshot())).not.toContain(key.slice(8));
    expect(api_key).not.toHaveProperty('hash');
    expect(api_key.scopes).toEqual(['submissions:read', 'forms:read']); // canonical order
  });

  it('the same key hashes differently under another store secret', () => {
    const a = new Store();
    const b = new Store();
    expect(hashKey(a.secret, 'lts_same')).not.toBe(hashKey(b.secret, 'lts_same'));
  });

  it('hashes compare in constant time and only when equal', () => {
    const h = hashKey(Buffer.alloc(32, 1), 'lts_x');
    expect(sameHash(h, h)).toBe(true);
    expect(sameHash(h, hashKey(Buffer.alloc(32, 1), 'lts_y'))).toBe(false);
    expect(sameHash(h, h.slice(0, 10))).toBe(false);
  });

  it('authenticate records the use and refuses a revoked or expired key, saying which', () => {
    const { ctx, site, setNow } = setup();
    const { key, api_key } = createKey(ctx, site.id, { name: 'k', scopes: ['forms:read'], expires_at: '2026-01-02T00:00:00Z' });
    const caller = authenticate(ctx, `Bearer ${key}`);
    expect(caller.site.id).toBe(site.id);
    expect(ctx.store.key(api_key.id)?.last_used_at).toBe('2026-01-01T00:00:00.000Z');

    setNow('2026-01-02T00:00:00.000Z');
    expect(keyStatus(ctx.store.key(api_key.id)!, new Date('2026-01-02T00:00:00.000Z'))).toBe('expired');
    const err = (() => {
      try {
        authenticate(ctx, `Bearer ${key}`);
      } catch (e) {
        return e as SandboxError;
      }
      throw new Error('expected a refusal');
    })();
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/expired on 2026-01-02T00:00:00.000Z/);
    expect(err.headers['WWW-Authenticate']).toContain('error="invalid_token"');
    expect(err.message).not.toContain(key);
  });

  it('the bearer scheme is case-insensitive, but the key must stand alone', () => {
    const { ctx, site } = setup();
    const { key } = createKey(ctx, site.id, { name: 'k', scopes: ['forms:read'] });
    expect(authenticate(ctx, `bearer ${key}`).site.id).toBe(site.id);
    expect(() => authenticate(ctx, `Bearer ${key} extra`)).toThrow(/malformed/);
    expect(() => authenticate(ctx, `Bearer`)).toThrow(/malformed/);
  });
});
