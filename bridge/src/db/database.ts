/**
 * One SQL surface over the two stores: embedded PGlite (default, zero setup) and
 * PostgreSQL (DATABASE_URL). The same SQL runs on both; pg-boss gets the matching adapter.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { fromPglite, type Db as BossDb } from 'pg-boss';
import { copyTemplate, templateDirectory, templateTarball } from './embedded-template.js';

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The same connection as pg-boss wants it, to enqueue jobs inside this transaction. */
  readonly bossDb: BossDb;
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Multi-statement SQL without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Options for the PgBoss constructor. */
  bossOptions(): { db: BossDb; backend: 'pglite' } | { connectionString: string; max: number };
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  memory?: boolean;
  /**
   * What a new embedded store starts from (embedded-template.ts): the build's template by
   * default; a template data directory (a store on disk) or tarball (in memory); null runs initdb.
   */
  template?: string | Blob | null;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openEmbedded(options.memory ? undefined : path.join(options.dataDir, 'pgdata'), options.template);
}

/**
 * PostgreSQL settings of the embedded store, given at every start (`-c`, nothing is written
 * to the data directory). PGlite's PostgreSQL runs in WebAssembly memory inside the bridge
 * process, which only grows: its shared buffers are the bridge's own resident memory once
 * touched. initdb gives it PostgreSQL's default 128 MB, sized for a server; the bridge's
 * working set (the queue and the deliveries not yet done) is far smaller, and pages that do
 * not fit are read back from the OS page cache. See README "Benchmark" (2026-12-03).
 */
export const EMBEDDED_SETTINGS = ['shared_buffers=16MB'];

async function openEmbedded(dir: string | undefined, template: string | Blob | null | undefined): Promise<Database> {
  const startParams = [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ['-c', s])];
  let loadDataDir: Blob | undefined;
  if (!dir) loadDataDir = template === undefined ? templateTarball() : template instanceof Blob ? template : undefined;
  else if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    // A new store on disk: a copy of the template directory, which PGlite opens like any store.
    const from = template === undefined ? templateDirectory() : template;
    if (typeof from === 'string') copyTemplate(from, dir);
    else if (from instanceof Blob) loadDataDir = from;
  }
  if (dir) mkdirSync(dir, { recursive: true });
  const options = { startParams, ...(loadDataDir ? { loadDataDir } : {}) };
  const db = dir ? await PGlite.create(dir, options) : await PGlite.create(options);
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async <R>(sql: string, params?: unknown[]) => (await q.query<R>(sql, params)).rows,
    bossDb: fromPglite(q),
  });
  const root = wrap(db);
  return {
    kind: 'embedded',
    ...root,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx as unknown as Pick<PGlite, 'query' | 'exec'>))),
    exec: async (sql) => {
      await db.exec(sql);
    },
    bossOptions: () => ({ db: root.bossDb, backend: 'pglite' }),
    close: () => db.close(),
  };
}

async function openPostgres(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  pool.on('error', () => {
    /* an idle client died (server restart): the pool replaces it; queries report their own errors */
  });
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <R>(sql: string, params?: unknown[]) => (await q.query(sql, params)).rows as R[],
    bossDb: { executeSql: async (text: string, values?: unknown[]) => q.query(text, values) },
  });
  await pool.query('select 1');
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    bossOptions: () => ({ connectionString, max: 10 }),
    close: () => pool.end(),
  };
}
