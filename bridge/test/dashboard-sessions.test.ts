/**
 * Dashboard sessions in memory, on an injected clock: idle expiry after 30 minutes, the
 * 12-hour cap even for a session in use, delete, the cap on live sessions, ids kept only
 * hashed, and the constant-time token comparison.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { IDLE_MS, MAX_AGE_MS, createSessionStore, sameToken, type NewSession } from '../src/dashboard/sessions.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const operator: NewSession = { kind: 'operator', key: `ltb_${'k'.repeat(43)}`, prefix: 'ltb_kkkkkkkkkk', name: 'root', scopes: ['keys:admin'] };

function storeOnClock(start = 1_700_000_000_000) {
  let at = start;
  const store = createSessionStore(() => at);
  return {
    store,
    advance: (ms: number) => {
      at += ms;
    },
    now: () => at,
  };
}

describe('dashboard session store', () => {
  it('creates a session with a random cookie id and CSRF token, found again by the id', () => {
    const { store, now } = storeOnClock();
    const { id, session } = store.create(operator);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrf).not.toBe(id);
    expect(session).toMatchObject({ ...operator, createdAt: now(), lastSeenAt: now() });
    expect(store.get(id)).toBe(session);
    expect(store.size).toBe(1);

    const other = store.create(operator);
    expect(other.id).not.toBe(id);
    expect(other.session.csrf).not.toBe(session.csrf);
    expect(store.get(other.id)).toBe(other.session);
    expect(store.size).toBe(2);
  });

  it('knows no session for a missing, empty or unknown id', () => {
    const { store } = storeOnClock();
    const { id } = store.create(operator);
    expect(store.get(undefined)).toBeUndefined();
    expect(store.get('')).toBeUndefined();
    expect(store.get(`${id}x`)).toBeUndefined();
    expect(store.get(id.slice(0, -1))).toBeUndefined();
  });

  it('keeps the cookie id only hashed: the hash itself is not a session id', () => {
    const { store } = storeOnClock();
    const { id } = store.create(operator);
    const hash = createHash('sha256').update(id).digest('base64url');
    expect(store.get(hash)).toBeUndefined();
    expect(store.get(createHash('sha256').update(id).digest('hex'))).toBeUndefined();
    // Still there under its real id (the lookup of the hash neither found nor removed it).
    expect(store.get(id)).toBeDefined();
  });

  it('ends a session idle for more than 30 minutes', () => {
    const { store, advance } = storeOnClock();
    expect(IDLE_MS).toBe(30 * MINUTE);
    const { id } = store.create(operator);
    advance(IDLE_MS);
    expect(store.get(id)).toBeDefined(); // exactly 30 minutes idle: still alive
    advance(IDLE_MS + 1);
    expect(store.get(id)).toBeUndefined();
    expect(store.size).toBe(0);
    // Gone for good, not only while the clock stands there.
    advance(-IDLE_MS);
    expect(store.get(id)).toBeUndefined();
  });

  it('restarts the idle clock on every use', () => {
    const { store, advance } = storeOnClock();
    const { id, session } = store.create(operator);
    for (let i = 0; i < 5; i++) {
      advance(29 * MINUTE);
      expect(store.get(id)).toBe(session);
    }
    expect(session.lastSeenAt - session.createdAt).toBe(5 * 29 * MINUTE);
  });

  it('ends a session 12 hours after sign-in even when it is in use all along', () => {
    const { store, advance } = storeOnClock();
    expect(MAX_AGE_MS).toBe(12 * HOUR);
    const { id } = store.create(operator);
    for (let elapsed = 0; elapsed < MAX_AGE_MS; elapsed += 20 * MINUTE) {
      expect(store.get(id)).toBeDefined();
      advance(20 * MINUTE);
    }
    // 12 hours on the dot, last seen 20 minutes ago: still alive.
    expect(store.get(id)).toBeDefined();
    advance(1);
    expect(store.get(id)).toBeUndefined();
  });

  it('deletes a session by its id, and only that one; deleting nothing is harmless', () => {
    const { store } = storeOnClock();
    const a = store.create(operator);
    const b = store.create({ kind: 'tenant', key: `lts_${'s'.repeat(32)}`, prefix: 'lts_ssss…', name: 'Acme', scopes: [], site: { id: 'site_1', name: 'Acme' } });
    store.delete(a.id);
    expect(store.get(a.id)).toBeUndefined();
    expect(store.get(b.id)).toBe(b.session);
    expect(() => store.delete(undefined)).not.toThrow();
    expect(() => store.delete(a.id)).not.toThrow();
    store.delete(createHash('sha256').update(b.id).digest('base64url'));
    expect(store.get(b.id)).toBe(b.session);
    expect(store.size).toBe(1);
  });

  it('sweeps expired sessions when a new one is made', () => {
    const { store, advance } = storeOnClock();
    store.create(operator);
    store.create(operator);
    advance(IDLE_MS + 1);
    const fresh = store.create(operator);
    expect(store.size).toBe(1);
    expect(store.get(fresh.id)).toBe(fresh.session);
  });

  it('holds at most 10,000 live sessions, dropping the oldest', () => {
    const { store } = storeOnClock();
    const first = store.create(operator);
    const second = store.create(operator);
    for (let i = 2; i < 10_000; i++) store.create(operator);
    expect(store.size).toBe(10_000);
    expect(store.get(first.id)).toBeDefined();
    const newest = store.create(operator);
    expect(store.size).toBe(10_000);
    expect(store.get(first.id)).toBeUndefined();
    expect(store.get(second.id)).toBeDefined();
    expect(store.get(newest.id)).toBe(newest.session);
  });
});

describe('sameToken', () => {
  const token = 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE';

  it('is true only for the same token', () => {
    expect(sameToken(token, token)).toBe(true);
    expect(sameToken(`${token}`.slice(0), token)).toBe(true);
    expect(sameToken(`${token.slice(0, -1)}b`, token)).toBe(false);
    expect(sameToken(token.toLowerCase(), token)).toBe(false);
  });

  it('is false, without throwing, for a missing, empty, shorter, longer or multi-byte token', () => {
    expect(sameToken(undefined, token)).toBe(false);
    expect(sameToken('', token)).toBe(false);
    expect(sameToken(token.slice(0, -1), token)).toBe(false);
    expect(sameToken(`${token}a`, token)).toBe(false);
    // Same number of characters, more bytes: timingSafeEqual would throw on unequal lengths.
    expect(sameToken(`${token.slice(0, -1)}é`, token)).toBe(false);
    expect(sameToken(123 as unknown as string, token)).toBe(false);
  });
});
