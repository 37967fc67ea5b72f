/**
 * Key material, as LeadToSheet documents it: `lts_` + random url-safe characters, shown
 * once; only an HMAC-SHA256 of the key under the store's secret is kept, looked up by
 * that hash and compared in constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { KEY_PREFIX, MASK_VISIBLE_CHARS } from '@leadtosheet/shared';

/** Random bytes behind each key: 32 bytes = 43 url-safe characters after `lts_`. */
const SECRET_BYTES = 32;

export const generateKey = (): string => `${KEY_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;

/** Hex HMAC-SHA256 of the full key. */
export const hashKey = (secret: Buffer, key: string): string => createHmac('sha256', secret).update(key, 'utf8').digest('hex');

/** The part of a key that lists and logs may show: `lts_ab12`. */
export const keyPrefix = (key: string): string => key.slice(0, KEY_PREFIX.length + MASK_VISIBLE_CHARS);

/** Constant-time equality of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
