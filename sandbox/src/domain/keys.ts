/**
 * API keys as LeadToSheet documents them: scoped, shown once, stored hashed, listed by
 * prefix with last-used time, optional expiry; revoking is instant and irreversible and
 * keeps the key listed; rotating issues a new key with the same name and scopes and
 * revokes the old one.
 */
import { errorCodes, scopes as allScopes, type Scope } from '@leadtosheet/shared';
import { z } from 'zod';
import { newId } from '../ids.js';
import type { KeyRecord } from '../store/records.js';
import type { DomainContext } from './context.js';
import { generateKey, hashKey, keyPrefix } from './key-secret.js';
import { SandboxError, unprocessable } from './sandbox-error.js';
import { requireSite } from './sites.js';
import { parseOrReject } from './validate.js';

const ExpiresAtSchema = z.iso
  .datetime({ offset: true, error: 'expires_at must be an ISO 8601 date and time such as 2027-01-31T00:00:00Z' })
  .nullish();

export const CreateKeyInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters'),
  scopes: z
    .array(z.enum(allScopes, { error: `each scope must be one of ${allScopes.join(', ')}` }), {
      error: `scopes must be a list of scope names (${allScopes.join(', ')})`,
    })
    .min(1, 'a key needs at least one scope'),
  expires_at: ExpiresAtSchema,
});
export type CreateKeyInput = z.input<typeof CreateKeyInputSchema>;

export const RotateKeyInputSchema = z.strictObject({ expires_at: ExpiresAtSchema });

export type KeyStatus = 'active' | 'revoked' | 'expired';

/** A key as lists show it: the stored record without its hash (never the key itself), with its status. */
export interface KeyView extends Omit<KeyRecord, 'hash'> {
  status: KeyStatus;
}

/** A key just made: the only moment the full key exists outside its holder. */
export interface IssuedKey {
  /** The full key, `lts_…`: shown this once. */
  key: string;
  /** The key's id (same as api_key.id), to revoke or rotate it. */
  id: string;
  api_key: KeyView;
}

export const keyStatus = (record: KeyRecord, now: Date): KeyStatus =>
  record.revoked ? 'revoked' : record.expires_at && Date.parse(record.expires_at) <= now.getTime() ? 'expired' : 'active';

export function keyView(ctx: DomainContext, record: KeyRecord): KeyView {
  const { hash: _hash, ...rest } = record;
  return { ...rest, scopes: [...rest.scopes], status: keyStatus(record, ctx.now()) };
}

function futureExpiry(ctx: DomainContext, expiresAt: string | null | undefined): string | null {
  if (!expiresAt) return null;
  const at = new Date(expiresAt);
  if (at.getTime() <= ctx.now().getTime()) {
    throw unprocessable('expires_at is in the past: a key must expire in the future', [
      { field: 'expires_at', message: 'must be in the future' },
    ]);
  }
  return at.toISOString();
}

function issue(ctx: DomainContext, siteId: string, name: string, scopes: Scope[], expiresAt: string | null) {
  const key = generateKey();
  const now = ctx.now();
  const record: KeyRecord = {
    id: newId('key', now.getTime()),
    site_id: siteId,
    name,
    prefix: keyPrefix(key),
    hash: hashKey(ctx.store.secret, key),
    scopes: allScopes.filter((s) => scopes.includes(s)),
    created_at: now.toISOString(),
    last_used_at: null,
    expires_at: expiresAt,
    revoked: false,
    revoked_at: null,
    replaced_by: null,
  };
  return { key, record };
}

export function createKey(ctx: DomainContext, siteId: string, input: CreateKeyInput): IssuedKey {
  requireSite(ctx, siteId);
  const clean = parseOrReject(CreateKeyInputSchema, input, 'The key');
  const { key, record } = issue(ctx, siteId, clean.name, clean.scopes, futureExpiry(ctx, clean.expires_at));
  ctx.store.mutate(() => ctx.store.addKey(record));
  return { key, id: record.id, api_key: keyView(ctx, record) };
}

export function requireKey(ctx: DomainContext, keyId: string): KeyRecord {
  const record = ctx.store.key(keyId);
  if (!record) throw new SandboxError({ status: 404, code: errorCodes.notFound, message: `No API key with id "${keyId.slice(0, 100)}".` });
  return record;
}

/** Newest first, revoked keys included (they stay listed for the record). */
export function listKeys(ctx: DomainContext, siteId: string): KeyView[] {
  requireSite(ctx, siteId);
  return ctx.store
    .keysOf(siteId)
    .sort((a, b) => (a.id < b.id ? 1 : -1))
    .map((k) => keyView(ctx, k));
}

/** Revokes a key at once; revoking a revoked key changes nothing (it cannot be undone either). */
export function revokeKey(ctx: DomainContext, keyId: string): KeyView {
  const record = requireKey(ctx, keyId);
  if (!record.revoked) {
    ctx.store.mutate(() => {
      record.revoked = true;
      record.revoked_at = ctx.now().toISOString();
    });
  }
  return keyView(ctx, record);
}

/** A new key with the same name and scopes; the old one is revoked in the same change. */
export function rotateKey(ctx: DomainContext, keyId: string, input: z.input<typeof RotateKeyInputSchema> = {}): IssuedKey & { revoked: KeyView } {
  const old = requireKey(ctx, keyId);
  const clean = parseOrReject(RotateKeyInputSchema, input ?? {}, 'The rotation');
  if (old.revoked) {
    throw unprocessable(`The API key ${old.prefix}… (${old.id}) is already revoked: create a new key instead of rotating it.`);
  }
  const { key, record } = issue(ctx, old.site_id, old.name, old.scopes, futureExpiry(ctx, clean.expires_at));
  ctx.store.mutate(() => {
    ctx.store.addKey(record);
    old.revoked = true;
    old.revoked_at = record.created_at;
    old.replaced_by = record.id;
  });
  return { key, id: record.id, api_key: keyView(ctx, record), revoked: keyView(ctx, old) };
}
