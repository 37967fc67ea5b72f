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
  /**
   * PostgreSQL only (where other processes may listen): a notification on `channel`, sent
   * when this transaction commits (at once outside one). The embedded store has one process.
   */
  readonly notify?: (channel: string, payload: string) => Promise<void>;
}

/** Stops listening. */
export type Unlisten = () => Promise<void>;

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Multi-statement SQL without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Options for the PgBoss constructor. */
  bossOptions(): { db: BossDb; backend: 'pglite' } | { connectionString: string; max: number };
  /**
   * PostgreSQL: calls `onPayload` with each notification on `channel`, over a connection of its
   * own that is opened again (after 1 to 30 s) when it is lost; `onPayload('')` then says some
   * may have been missed. The embedded store: nothing to listen to (one process).
   */
  listen(channel: string, onPayload: (payload: string) => void, onError: (err: Error) => void): Promise<Unlisten>;
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
 * not fit are read back from the OS page cache. 16 MB took the drain's peak RSS from 665 to
 * 595 MB (README "Benchmark", 2026-12-03); 8 MB, alternated with 16 MB, from 247-248 to 237-238
 * MB, with no less throughput (1,418-1,594 against 1,032-1,229 deliveries/s; 2026-12-07).
 */
export const EMBEDDED_SETTINGS = ['shared_buffers=8MB'];

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
    listen: async () => async () => undefined,
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
    notify: async (channel: string, payload: string) => {
      await q.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
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
    listen: (channel, onPayload, onError) => listenPostgres(connectionString, channel, onPayload, onError),
    close: () => pool.end(),
  };
}

/** LISTEN on a connection of its own (a pooled one would be handed to others), opened again when lost. */
async function listenPostgres(connectionString: string, channel: string, onPayload: (payload: string) => void, onError: (err: Error) => void): Promise<Unlisten> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = 1_000;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    c.on('notification', (n) => n.channel === channel && onPayload(n.payload ?? ''));
    c.on('error', (err) => {
      onError(err);
      void c.end().catch(() => undefined);
    });
    c.on('end', () => {
      if (stopped || client !== c) return;
      client = undefined;
      reconnect();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    client = c;
    retryMs = 1_000;
  };
  const reconnect = () => {
    timer = setTimeout(() => {
      connect().then(
        () => onPayload(''),
        (err: Error) => {
          onError(err);
          retryMs = Math.min(30_000, retryMs * 2);
          if (!stopped) reconnect();
        },
      );
    }, retryMs);
    timer.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await client?.end().catch(() => undefined);
  };
}
