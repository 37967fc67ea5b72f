/**
 * The statements every delivery runs look rows up by key, on both stores: none of them reads
 * a whole table of deliveries, events or attempts, so a bridge that has made a million
 * deliveries records the next one about as cheaply as its first. (recordSuccesses joined
 * its input to a sequential scan of the deliveries: the planner cannot see how many rows
 * jsonb_to_recordset yields and assumes 100.) Each statement is captured as the repository sends it, run
 * for its result, and planned again with EXPLAIN on a store of a few thousand deliveries
 * that has been ANALYZEd, as a store that has run for a while is.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type Database, type Queryable } from '../../bridge/src/db/database.js';
import { deliveriesRepo } from '../../bridge/src/db/deliveries-repo.js';
import { migrate } from '../../bridge/src/db/schema.js';
import { sitesRepo } from '../../bridge/src/db/sites-repo.js';
import { subscriptionsRepo } from '../../bridge/src/db/subscriptions-repo.js';
import { freshPgDatabase, STORES } from './support/bridge-harness.js';

const EVENTS = 3_000;
const BIG_TABLES = ['deliveries', 'events', 'attempts'];
const DEBUG_PLANS = process.env.DEBUG_PLANS === '1';

/** A Queryable that records what it runs, over the real one. */
function recording(db: Queryable) {
  const seen: { sql: string; params: unknown[] }[] = [];
  const q: Queryable = {
    bossDb: db.bossDb,
    query: (sql, params) => {
      seen.push({ sql, params: params ?? [] });
      return db.query(sql, params);
    },
  };
  return { q, seen };
}

/** The tables of the big three a plan reads by a sequential scan. */
async function seqScans(db: Database, statement: { sql: string; params: unknown[] }): Promise<string[]> {
  // EXPLAIN plans the statement without running it (a data-modifying one is not executed).
  const rows = await db.query<Record<string, string>>(`EXPLAIN ${statement.sql}`, statement.params);
  const plan = rows.map((r) => Object.values(r)[0]).join('\n');
  if (DEBUG_PLANS) process.stderr.write(`${statement.sql}\n${plan}\n\n`);
  return BIG_TABLES.filter((t) => new RegExp(`Seq Scan on ${t}\\b`).test(plan));
}

describe.each(STORES)('hot delivery statements use keys, not table scans (%s store)', (store) => {
  let db: Database;
  let dropPg: (() => Promise<void>) | undefined;
  /** Before the deliveries were made (the read-ahead counts those made since a page's commit). */
  let madeSince: Date;
  const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `msg_${String(from + i).padStart(6, '0')}`);
  const jobOf = (id: string) => `job_${Math.floor(Number(id.slice(4)) / 25)}`;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (store === 'postgres') {
      const pgDb = await freshPgDatabase();
      databaseUrl = pgDb.url;
      dropPg = pgDb.drop;
    }
    db = await openDatabase({ databaseUrl, dataDir: '', memory: true });
    await migrate(db);
    await sitesRepo.upsertWithKey(db, { id: 'site_1', name: 'Acme', keySealed: 'sealed', keyPrefix: 'lts_abc' });
    await subscriptionsRepo.insert(db, { id: 'sub_1', siteId: 'site_1', url: 'https://hooks.example/a', events: ['submission.created'], formId: null, description: null, createdBy: 'test' }, { id: 'sec_1', sealed: 'sealed' });
    const polledAt = new Date();
    madeSince = (await db.query<{ at: Date }>('SELECT now() AS at'))[0]!.at;
    for (let from = 0; from < EVENTS; from += 500) {
      const events = Array.from({ length: 500 }, (_, i) => ({ id: `evt_${from + i}`, siteId: 'site_1', submissionId: `sub_${from + i}`, formId: null, type: 'submission.created', payload: { n: from + i } }));
      await deliveriesRepo.insertEvents(db, events, polledAt);
      await deliveriesRepo.insertDeliveries(db, ids(from, 500).map((id, i) => ({ id, eventId: `evt_${from + i}`, subscriptionId: 'sub_1', jobId: jobOf(id) })));
    }
    // Most of them delivered already, as in a store that has been running; a backlog of 300.
    for (let from = 0; from < EVENTS - 300; from += 300) {
      await deliveriesRepo.recordSuccesses(db, ids(from, 300).map((id) => ({ id, job_id: jobOf(id), status_code: 204, attempted_at: new Date(), latency_ms: 3, response_body: null, error: null })));
    }
    await db.exec('ANALYZE');
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await dropPg?.();
  });

  it('recording a group of successes: only the owning job records, and by key', async () => {
    const { q, seen } = recording(db);
    const group = ids(EVENTS - 300, 14);
    // The last one is owned by another job now (handed over): it is not recorded.
    const recorded = await deliveriesRepo.recordSuccesses(
      q,
      group.map((id, i) => ({ id, job_id: i === 13 ? 'job_other' : jobOf(id), status_code: 204, attempted_at: new Date(), latency_ms: 2, response_body: null, error: null })),
    );
    expect([...recorded].sort()).toEqual(group.slice(0, 13));
    const [row] = await db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM lts_bridge.deliveries WHERE id = $1', [group[0]]);
    expect(row).toEqual({ status: 'succeeded', attempts: 1 });
    expect(seen).toHaveLength(1);
    expect(await seqScans(db, seen[0]!)).toEqual([]);
  });

  it('loading the work of a batch; handing deliveries over, counting those waiting and the backlog, by key', async () => {
    const { q, seen } = recording(db);
    const batch = ids(EVENTS - 200, 100);
    const work = await deliveriesRepo.workOf(q, batch);
    expect(work.map((w) => w.id).sort()).toEqual(batch);
    expect(work[0]!.secrets).toEqual(['sealed']);
    const moved = await deliveriesRepo.handOver(q, batch.slice(0, 25), jobOf(batch[0]!), 'job_next');
    expect(moved).toEqual(batch.slice(0, 25));
    expect(await deliveriesRepo.waitingFirstAttempt(q, 'site_1', 65, madeSince)).toBe(65);
    // Only deliveries made since the given time are counted.
    const later = (await db.query<{ at: Date }>('SELECT now() AS at'))[0]!.at;
    expect(await deliveriesRepo.waitingFirstAttempt(db, 'site_1', 65, later)).toBe(0);
    // The backlog figures of every /metrics scrape.
    expect(await deliveriesRepo.backlog(q)).toEqual({ pending: 300 - 13, parked: 0, oldest_seconds: expect.any(Number) });
    expect(seen).toHaveLength(4);
    // workOf joins a batch to its events: the planner may rightly scan a few thousand small
    // events instead; its ids are an array it can count, so it turns to the keys as tables grow.
    for (const statement of seen.slice(1)) expect({ sql: statement.sql.slice(0, 60), scans: await seqScans(db, statement) }).toEqual({ sql: statement.sql.slice(0, 60), scans: [] });
  });

  it('a success is kept on its delivery row and listed with its attempts; putting the delivery back in line keeps it', async () => {
    const [id] = ids(EVENTS - 20, 1);
    const failedAt = new Date(Date.now() - 5_000);
    await deliveriesRepo.recordAttempt(db, id!, { attempted_at: failedAt, status_code: 500, latency_ms: 4, response_body: 'down', error: 'HTTP 500' });
    const first = new Date(Date.now() - 3_000);
    expect(await deliveriesRepo.recordSuccesses(db, [{ id: id!, job_id: jobOf(id!), status_code: 200, attempted_at: first, latency_ms: 7, response_body: 'ok', error: null }])).toEqual(new Set([id]));
    // No attempt row for the success: it is on the delivery's row.
    expect(await db.query('SELECT status_code FROM lts_bridge.attempts WHERE delivery_id = $1', [id])).toEqual([{ status_code: 500 }]);
    const log = (rows: { attempted_at: Date; status_code: number | null; response_body: string | null }[]) =>
      rows.map((a) => [new Date(a.attempted_at).getTime(), a.status_code, a.response_body]);
    expect(log(await deliveriesRepo.attempts(db, id!))).toEqual([[failedAt.getTime(), 500, 'down'], [first.getTime(), 200, 'ok']]);
    // Put back in line (a replay racing the success) and delivered again: both successes are listed.
    await deliveriesRepo.requeue(db, [id!], 'job_replay');
    const second = new Date();
    await deliveriesRepo.recordSuccesses(db, [{ id: id!, job_id: 'job_replay', status_code: 204, attempted_at: second, latency_ms: 2, response_body: null, error: null }]);
    expect(log(await deliveriesRepo.attempts(db, id!))).toEqual([[failedAt.getTime(), 500, 'down'], [first.getTime(), 200, 'ok'], [second.getTime(), 204, null]]);
    expect((await db.query<{ attempts: number }>('SELECT attempts FROM lts_bridge.deliveries WHERE id = $1', [id]))[0]).toEqual({ attempts: 2 });
  });
});
