/**
 * Admin key material: shape, the 14-character prefix, the hash under a secret derived from
 * the encryption key (the same for every process sharing it), constant-time comparison,
 * redaction, and expiry parsing (dates and durations, future only).
 */
import { describe, expect, it } from '@jest/globals';
import {
  HASH_SECRET_LABEL,
  TEMPORARY_MS,
  adminKeyPrefix,
  createCryptoBox,
  createLogger,
  generateAdminKey,
  hashAdminKey,
  parseExpiry,
  redactAdminKeys,
  redactSecrets,
  sameHash,
} from 'lts-bridge';
import { PassThrough } from 'node:stream';

describe('admin key material', () => {
  it('is ltb_ and 43 url-safe random characters; the prefix is its first 14 characters', () => {
    const keys = Array.from({ length: 50 }, generateAdminKey);
    for (const k of keys) {
      expect(k).toMatch(/^ltb_[A-Za-z0-9_-]{43}$/);
      expect(adminKeyPrefix(k)).toBe(k.slice(0, 14));
    }
    expect(new Set(keys).size).toBe(50);
    expect(new Set(keys.map(adminKeyPrefix)).size).toBe(50);
  });

  it('hashes under a secret derived from the encryption key: same key, same hash in every process; another key, another hash', () => {
    const encryptionKey = Buffer.alloc(32, 9);
    const a = createCryptoBox(encryptionKey).derive(HASH_SECRET_LABEL);
    const b = createCryptoBox(Buffer.from(encryptionKey)).derive(HASH_SECRET_LABEL);
    const other = createCryptoBox(Buffer.alloc(32, 8)).derive(HASH_SECRET_LABEL);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(other)).toBe(false);
    expect(a.equals(encryptionKey)).toBe(false);
    expect(createCryptoBox(encryptionKey).derive('another purpose').equals(a)).toBe(false);

    const key = generateAdminKey();
    const hash = hashAdminKey(a, key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(4));
    expect(hashAdminKey(b, key)).toBe(hash);
    expect(hashAdminKey(other, key)).not.toBe(hash);
    expect(hashAdminKey(a, adminKeyPrefix(key))).not.toBe(hash);
  });

  it('compares hashes in constant time and never equal across lengths', () => {
    const h = hashAdminKey(Buffer.alloc(32), 'ltb_x');
    expect(sameHash(h, h)).toBe(true);
    expect(sameHash(h, hashAdminKey(Buffer.alloc(32), 'ltb_y'))).toBe(false);
    expect(sameHash(h, h.slice(0, 62))).toBe(false);
  });

  it('redacts full keys to their prefix in any text, and in the logger', () => {
    const key = generateAdminKey();
    expect(redactAdminKeys(`Bearer-less ${key} here`)).toBe(`Bearer-less ${adminKeyPrefix(key)}… here`);
    expect(redactSecrets(`key=${key}`)).not.toContain(key);
    let out = '';
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => (out += c.toString()));
    const log = createLogger('info', stream);
    log.info(`pasted ${key} by mistake`);
    log.info({ key }, 'as a field');
    expect(out).not.toContain(key);
    expect(out).toContain(adminKeyPrefix(key));
  });
});

describe('admin key expiry', () => {
  const now = new Date('2026-06-01T12:00:00.000Z');
  const ok: [string, string][] = [
    ['90m', '2026-06-01T13:30:00.000Z'],
    ['12h', '2026-06-02T00:00:00.000Z'],
    ['30d', '2026-07-01T12:00:00.000Z'],
    ['2w', '2026-06-15T12:00:00.000Z'],
    ['2027-01-31', '2027-01-31T00:00:00.000Z'],
    ['2027-01-31T09:30:00Z', '2027-01-31T09:30:00.000Z'],
    ['2027-01-31T09:30:00+02:00', '2027-01-31T07:30:00.000Z'],
    ['2027-01-31T09:30', '2027-01-31T09:30:00.000Z'],
  ];
  it.each(ok)('%s is %s', (text, at) => {
    expect(parseExpiry(text, now)).toEqual({ ok: true, at: new Date(at) });
  });

  const bad: [string, RegExp][] = [
    ['yesterday', /must be a date such as 2027-01-31 .* or a duration such as 12h or 30d/],
    ['2026-05-31', /is in the past/],
    ['2026-06-01T12:00:00Z', /is in the past/],
    ['0d', /greater than zero/],
    ['30', /must be a date/],
    ['30 days', /must be a date/],
    ['2027-02-30', /must be a date|is in the past/],
    ['4000d', /more than ten years/],
  ];
  it.each(bad)('%s is refused', (text, message) => {
    const r = parseExpiry(text, now);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toMatch(message);
  });

  it('a temporary key lives one hour', () => {
    expect(TEMPORARY_MS).toBe(3_600_000);
  });
});
