/**
 * Secrets at rest (tenants' lts_ keys, webhook signing secrets): AES-256-GCM with a random
 * nonce, stored as "v1.<nonce>.<tag>.<ciphertext>" in base64url. The encryption key comes
 * from BRIDGE_ENCRYPTION_KEY; the embedded store may keep a generated one in its data dir.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { decodeKey } from './config.js';

export interface CryptoBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** A 32-byte key for another purpose, derived from the encryption key (HKDF-SHA256, `label` as info). */
  derive(label: string): Buffer;
}

export function createCryptoBox(key: Buffer): CryptoBox {
  if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
  return {
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', nonce, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed) {
      const [version, nonce, tag, data] = sealed.split('.');
      if (version !== 'v1' || !nonce || !tag || data === undefined) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
    derive(label) {
      return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), label, 32));
    },
  };
}

/**
 * The embedded store's key: the configured one, else one generated once into the data
 * directory (mode 0600). PostgreSQL deployments must configure it (several processes share it).
 */
export function resolveEmbeddedKey(dataDir: string, configured?: Buffer): { key: Buffer; generated: boolean } {
  if (configured) return { key: configured, generated: false };
  const file = path.join(dataDir, 'encryption.key');
  if (existsSync(file)) {
    const key = decodeKey(readFileSync(file, 'utf8'));
    if (!key) throw new Error(`${file} does not hold a 32-byte key; restore it or set BRIDGE_ENCRYPTION_KEY`);
    return { key, generated: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return { key, generated: true };
}
