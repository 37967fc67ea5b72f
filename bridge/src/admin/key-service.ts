/**
 * The admin key lifecycle, shared by the admin API and the CLI: create (shown once), list,
 * rename, set scopes, revoke / reactivate, delete, rotate, and authenticate. Every input
 * is checked before anything changes; each change and its audit entry commit together.
 * A key never grants a scope its creator lacks (the CLI on the bridge host is the root).
 * Time comes from the injected clock, so expiry is testable without waiting.
 */
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { adminKeysRepo, type AdminKeyRow, type AdminKeySort } from '../db/admin-keys-repo.js';
import { auditRepo } from '../db/audit-repo.js';
import { HttpError, fromZod, invalid } from '../api/http-error.js';
import { newId } from '../ids.js';
import { TEMPORARY_MS, parseExpiry } from './expiry.js';
import { adminKeyPrefix, generateAdminKey, hashAdminKey, looksLikeAdminKey, redactAdminKeys, sameHash } from './key-secret.js';
import { ADMIN_SCOPES, canonicalScopes, isAdminScope, type AdminScope } from './scopes.js';

/** Who acts: the CLI on the bridge host (all scopes), or an authenticated admin key. */
export type Actor = { kind: 'cli' } | { kind: 'key'; id: string; prefix: string; scopes: AdminScope[] };
export const CLI_ACTOR: Actor = { kind: 'cli' };
export const actorName = (a: Actor): string => (a.kind === 'cli' ? 'cli' : a.prefix);

export type AdminKeyStatus = 'active' | 'revoked' | 'expired';

/** A key as lists show it: never the key, never its hash. */
export interface AdminKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: AdminScope[];
  status: AdminKeyStatus;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  last_rotated_at: string | null;
}

/** A key just made or rotated: the only moment the full key exists outside its holder. */
export interface IssuedAdminKey {
  key: string;
  admin_key: AdminKeyView;
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

const nameField = z
  .string({ error: 'name is required: 1 to 100 characters' })
  .trim()
  .min(1, 'name must not be empty')
  .max(100, 'name must be at most 100 characters');
const scopesField = z.array(z.string(), { error: `scopes must be a list of scope names (${ADMIN_SCOPES.join(', ')})` }).superRefine((list, ctx) => {
  const unknown = list.filter((s) => !isAdminScope(s));
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown scope ${unknown.map((s) => `"${s.slice(0, 40)}"`).join(', ')}; use ${ADMIN_SCOPES.join(', ')}` });
});
const CreateInput = z.strictObject({
  name: nameField,
  scopes: scopesField.default([]),
  expires: z.string({ error: 'expires must be a date or a duration given as text, such as "2027-01-31" or "30d"' }).optional(),
  temporary: z.boolean({ error: 'temporary must be true or false' }).optional(),
});
const UpdateInput = z
  .strictObject({ name: nameField.optional(), scopes: scopesField.optional() })
  .refine((b) => b.name !== undefined || b.scopes !== undefined, { message: 'nothing to update: give name and/or scopes' });
const EXPIRY_FIELDS = ['expires', 'expires_at', 'expires_in', 'temporary'];

export interface AdminPrincipal {
  id: string;
  name: string;
  prefix: string;
  scopes: AdminScope[];
}

export type AdminKeys = ReturnType<typeof createAdminKeys>;

export function createAdminKeys(deps: { db: Database; hashSecret: Buffer; now: () => Date }) {
  const { db, hashSecret, now } = deps;

  const statusOf = (row: AdminKeyRow, at: Date): AdminKeyStatus =>
    row.revoked_at ? 'revoked' : row.expires_at && new Date(row.expires_at).getTime() <= at.getTime() ? 'expired' : 'active';

  const view = (row: AdminKeyRow, at = now()): AdminKeyView => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: canonicalScopes(row.scopes),
    status: statusOf(row, at),
    created_at: iso(row.created_at)!,
    created_by: row.created_by,
    last_used_at: iso(row.last_used_at),
    expires_at: iso(row.expires_at),
    revoked_at: iso(row.revoked_at),
    last_rotated_at: iso(row.rotated_at),
  });

  /** 403 naming the scopes the actor would hand out without holding them. */
  const refuseEscalation = (actor: Actor, wanted: readonly string[], what: string) => {
    if (actor.kind === 'cli') return;
    const lacking = wanted.filter((s) => !actor.scopes.includes(s as AdminScope));
    if (lacking.length) {
      throw new HttpError(403, 'insufficient_scope', `The admin key ${actor.prefix}… cannot ${what} ${lacking.join(', ')}: a key never grants a scope it does not hold itself`, [
        { field: 'scopes', message: `not held by the calling key: ${lacking.join(', ')}` },
      ]);
    }
  };

  const requireKey = async (id: string): Promise<AdminKeyRow> => {
    const row = await adminKeysRepo.get(db, id);
    if (!row) throw new HttpError(404, 'not_found', `No admin key "${redactAdminKeys(id).slice(0, 100)}"`);
    return row;
  };

  /** Applies a change and its audit entry in one transaction. */
  const change = (actor: Actor, row: AdminKeyRow, action: string, patch: Parameters<typeof adminKeysRepo.update>[3], details: Record<string, unknown>) => {
    const at = now();
    return db.transaction(async (tx) => {
      const updated = await adminKeysRepo.update(tx, row.id, at, patch);
      await auditRepo.record(tx, { at, actor: actorName(actor), action, targetType: 'key', targetId: row.id, details: { prefix: row.prefix, ...details } });
      return view(updated, at);
    });
  };

  return {
    view,

    async create(actor: Actor, input: unknown): Promise<IssuedAdminKey> {
      const parsed = CreateInput.safeParse(input ?? {});
      if (!parsed.success) throw fromZod(parsed.error);
      const { name, expires, temporary } = parsed.data;
      const scopes = canonicalScopes(parsed.data.scopes);
      if (expires !== undefined && temporary) throw invalid('temporary', 'give either expires or temporary (one hour), not both');
      const at = now();
      let expiresAt: Date | null = null;
      if (temporary) expiresAt = new Date(at.getTime() + TEMPORARY_MS);
      else if (expires !== undefined) {
        const e = parseExpiry(expires, at);
        if (!e.ok) throw invalid('expires', e.message);
        expiresAt = e.at;
      }
      refuseEscalation(actor, scopes, 'grant');
      const key = generateAdminKey();
      const id = newId('key');
      const row = await db.transaction(async (tx) => {
        const inserted = await adminKeysRepo.insert(tx, { id, name, prefix: adminKeyPrefix(key), hash: hashAdminKey(hashSecret, key), scopes, createdBy: actorName(actor), at, expiresAt });
        await auditRepo.record(tx, { at, actor: actorName(actor), action: 'key.created', targetType: 'key', targetId: id, details: { prefix: inserted.prefix, name, scopes, expires_at: iso(expiresAt) } });
        return inserted;
      });
      return { key, admin_key: view(row, at) };
    },

    async list(f: { search?: string; sort?: AdminKeySort; includeRevoked?: boolean } = {}): Promise<AdminKeyView[]> {
      const at = now();
      const rows = await adminKeysRepo.list(db, { search: f.search?.trim() || undefined, sort: f.sort ?? 'created', includeRevoked: f.includeRevoked ?? false });
      return rows.map((r) => view(r, at));
    },

    async get(id: string): Promise<AdminKeyView> {
      return view(await requireKey(id));
    },

    /** The CLI names a key by id or by its prefix (`ltb_` + at least four characters). */
    async resolve(ref: string): Promise<string> {
      const rows = await adminKeysRepo.find(db, ref.replace(/…$/, ''));
      if (rows.length === 1) return rows[0]!.id;
      const shown = redactAdminKeys(ref).slice(0, 100);
      if (rows.length === 0) throw new HttpError(404, 'not_found', `No admin key "${shown}" (give its id or its prefix, as lts-bridge keys list shows them)`);
      throw new HttpError(409, 'ambiguous', `"${shown}" matches ${rows.length} keys (${rows.map((r) => r.id).join(', ')}): give the id`);
    },

    /** Rename and/or change scopes; the expiry is fixed at creation. */
    async update(actor: Actor, id: string, input: unknown): Promise<AdminKeyView> {
      const body = (input ?? {}) as Record<string, unknown>;
      const fixed = typeof body === 'object' && !Array.isArray(body) ? EXPIRY_FIELDS.find((f) => f in body) : undefined;
      if (fixed) throw invalid(fixed, 'the expiry cannot be changed after creation: create a new key with the expiry you want, then revoke or delete this one');
      const parsed = UpdateInput.safeParse(body);
      if (!parsed.success) throw fromZod(parsed.error);
      const row = await requireKey(id);
      const patch: { name?: string; scopes?: string[] } = {};
      const details: Record<string, unknown> = {};
      let action = 'key.renamed';
      if (parsed.data.scopes !== undefined) {
        const scopes = canonicalScopes(parsed.data.scopes);
        refuseEscalation(actor, scopes.filter((s) => !row.scopes.includes(s)), 'grant');
        patch.scopes = scopes;
        Object.assign(details, { scopes_from: canonicalScopes(row.scopes), scopes_to: scopes });
        action = 'key.scopes_changed';
      }
      if (parsed.data.name !== undefined) {
        patch.name = parsed.data.name;
        Object.assign(details, { name_from: row.name, name_to: parsed.data.name });
        if (patch.scopes) action = 'key.updated';
      }
      return change(actor, row, action, patch, details);
    },

    async revoke(actor: Actor, id: string): Promise<AdminKeyView> {
      const row = await requireKey(id);
      if (row.revoked_at) return view(row);
      return change(actor, row, 'key.revoked', { revoked_at: now() }, { name: row.name });
    },

    async reactivate(actor: Actor, id: string): Promise<AdminKeyView> {
      const row = await requireKey(id);
      if (!row.revoked_at) return view(row);
      return change(actor, row, 'key.reactivated', { revoked_at: null }, { name: row.name });
    },

    /** Permanent: the key disappears; its audit entries stay. */
    async delete(actor: Actor, id: string): Promise<AdminKeyView> {
      const row = await requireKey(id);
      const at = now();
      await db.transaction(async (tx) => {
        await adminKeysRepo.delete(tx, row.id);
        await auditRepo.record(tx, { at, actor: actorName(actor), action: 'key.deleted', targetType: 'key', targetId: row.id, details: { prefix: row.prefix, name: row.name, scopes: canonicalScopes(row.scopes) } });
      });
      return view(row, at);
    },

    /** A new secret for the same record; the old one stops working at once. */
    async rotate(actor: Actor, id: string): Promise<IssuedAdminKey> {
      const row = await requireKey(id);
      const at = now();
      const status = statusOf(row, at);
      if (status === 'revoked') throw new HttpError(409, 'key_revoked', `The admin key ${row.prefix}… is revoked: reactivate it before rotating`);
      if (status === 'expired') throw new HttpError(409, 'key_expired', `The admin key ${row.prefix}… has expired and its expiry cannot change: create a new key`);
      // Whoever rotates receives the new secret, so they must hold every scope it carries.
      refuseEscalation(actor, canonicalScopes(row.scopes), 'rotate a key holding');
      const key = generateAdminKey();
      const prefix = adminKeyPrefix(key);
      const updated = await change(actor, row, 'key.rotated', { hash: hashAdminKey(hashSecret, key), prefix, rotated_at: at }, { old_prefix: row.prefix, new_prefix: prefix });
      return { key, admin_key: updated };
    },

    /**
     * The key behind an Authorization header, or 401. Messages name the prefix when the
     * token is shaped like an admin key, never the token itself. Records the last use.
     */
    async authenticate(token: string | undefined): Promise<AdminPrincipal> {
      const fail = (message: string) =>
        new HttpError(401, 'invalid_token', message, undefined, { 'www-authenticate': 'Bearer realm="lts-bridge-admin", error="invalid_token"' });
      if (!token) throw fail('Send a bridge admin key as "Authorization: Bearer ltb_…" (make one with: lts-bridge keys create)');
      if (token.startsWith('lts_')) throw fail('This is a LeadToSheet API key (lts_…); /admin/v1 takes a bridge admin key (ltb_…), made with lts-bridge keys create');
      if (!looksLikeAdminKey(token)) throw fail('This is not a bridge admin key: they start with "ltb_" followed by 43 letters, digits, "-" or "_". Copy it again in one piece');
      const prefix = adminKeyPrefix(token);
      const hash = hashAdminKey(hashSecret, token);
      const row = await adminKeysRepo.byHash(db, hash);
      if (!row || !sameHash(row.hash, hash)) throw fail(`The admin key ${prefix}… is not valid: it is unknown, was deleted, or was replaced by a rotation`);
      const at = now();
      const status = statusOf(row, at);
      if (status === 'revoked') throw fail(`The admin key ${prefix}… was revoked (${iso(row.revoked_at)}); it works again only if reactivated`);
      if (status === 'expired') throw fail(`The admin key ${prefix}… expired at ${iso(row.expires_at)}; create a new key`);
      await adminKeysRepo.touch(db, row.id, at);
      return { id: row.id, name: row.name, prefix: row.prefix, scopes: canonicalScopes(row.scopes) };
    },
  };
}
