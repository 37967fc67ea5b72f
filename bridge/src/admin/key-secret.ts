/**
 * Admin key material: `ltb_` + 43 url-safe random characters (32 bytes), shown once.
 * Only an HMAC-SHA256 of the key is stored, under a secret derived from the bridge's
 * encryption key (so every process sharing a PostgreSQL store agrees), looked up by that
 * hash and compared in constant time. The prefix (the first 14 characters) is what lists,
 * logs, errors and the audit log show; it never authenticates on its own.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const ADMIN_KEY_PREFIX = 'ltb_';
/** Characters of a key that may be shown: `ltb_` and ten more. */
export const SHOWN_CHARS = 14;
const SHAPE = /^ltb_[A-Za-z0-9_-]{32,200}$/;

export const generateAdminKey = (): string => `${ADMIN_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;

export const adminKeyPrefix = (key: string): string => key.slice(0, SHOWN_CHARS);

export const looksLikeAdminKey = (text: string): boolean => SHAPE.test(text);

/** The label the hashing secret is derived under from the encryption key (CryptoBox.derive). */
export const HASH_SECRET_LABEL = 'lts-bridge admin key hash v1';

export const hashAdminKey = (secret: Buffer, key: string): string => createHmac('sha256', secret).update(key, 'utf8').digest('hex');

/** Constant-time equality of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Replaces every full `ltb_…` key inside a text with its prefix and an ellipsis. */
export const redactAdminKeys = (text: string): string => text.replace(/ltb_[A-Za-z0-9_-]{16,}/g, (k) => `${adminKeyPrefix(k)}…`);
