/**
 * Bridge admin keys (ltb_…): only a hash of each key is stored, looked up by that hash.
 * Every time comes from the caller (the key service's clock), never from the database.
 */
import { SCHEMA } from './schema.js';
import type { Queryable } from './database.js';

export interface AdminKeyRow {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  rotated_at: Date | null;
  updated_at: Date;
}

export type AdminKeySort = 'created' | 'last_used';

const T = `${SCHEMA}.admin_keys`;

const ORDER: Record<AdminKeySort, string> = {
  created: 'created_at DESC, id DESC',
  last_used: 'last_used_at DESC NULLS LAST, created_at DESC, id DESC',
};

/** `%` and `_` in a search are literal characters, not patterns. */
const likeLiteral = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const adminKeysRepo = {
  async insert(
    q: Queryable,
    k: { id: string; name: string; prefix: string; hash: string; scopes: string[]; createdBy: string; at: Date; expiresAt: Date | null },
  ): Promise<AdminKeyRow> {
    const [row] = await q.query<AdminKeyRow>(
      `INSERT INTO ${T} (id, name, prefix, hash, scopes, created_by, created_at, updated_at, expires_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $7, $8) RETURNING *`,
      [k.id, k.name, k.prefix, k.hash, JSON.stringify(k.scopes), k.createdBy, k.at, k.expiresAt],
    );
    return row!;
  },

  async byHash(q: Queryable, hash: string): Promise<AdminKeyRow | undefined> {
    return (await q.query<AdminKeyRow>(`SELECT * FROM ${T} WHERE hash = $1`, [hash]))[0];
  },

  async get(q: Queryable, id: string): Promise<AdminKeyRow | undefined> {
    return (await q.query<AdminKeyRow>(`SELECT * FROM ${T} WHERE id = $1`, [id]))[0];
  },

  /** Keys whose id is `ref` or whose prefix starts with `ref` (the CLI names keys either way). */
  async find(q: Queryable, ref: string): Promise<AdminKeyRow[]> {
    return q.query<AdminKeyRow>(`SELECT * FROM ${T} WHERE id = $1 OR (length($1) >= 8 AND starts_with(prefix, $1)) ORDER BY created_at`, [ref]);
  },

  async list(q: Queryable, f: { search?: string; sort: AdminKeySort; includeRevoked: boolean }): Promise<AdminKeyRow[]> {
    return q.query<AdminKeyRow>(
      `SELECT * FROM ${T}
       WHERE ($1::text IS NULL OR name ILIKE $1) AND ($2::boolean OR revoked_at IS NULL)
       ORDER BY ${ORDER[f.sort]}`,
      [f.search ? likeLiteral(f.search) : null, f.includeRevoked],
    );
  },

  /** Sets the given columns and updated_at; returns the row as it is now. */
  async update(
    q: Queryable,
    id: string,
    at: Date,
    patch: Partial<{ name: string; scopes: string[]; revoked_at: Date | null; hash: string; prefix: string; rotated_at: Date }>,
  ): Promise<AdminKeyRow> {
    const values: unknown[] = [id, at];
    const sets = Object.entries(patch).map(([column, value]) => {
      values.push(column === 'scopes' ? JSON.stringify(value) : value);
      return `${column} = $${values.length}${column === 'scopes' ? '::jsonb' : ''}`;
    });
    const [row] = await q.query<AdminKeyRow>(`UPDATE ${T} SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE id = $1 RETURNING *`, values);
    return row!;
  },

  /** Last use, moved forward only (concurrent requests may finish out of order). */
  async touch(q: Queryable, id: string, at: Date): Promise<void> {
    await q.query(`UPDATE ${T} SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`, [id, at]);
  },

  async delete(q: Queryable, id: string): Promise<void> {
    await q.query(`DELETE FROM ${T} WHERE id = $1`, [id]);
  },
};
