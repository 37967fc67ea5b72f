/**
 * On PostgreSQL, bridge processes tell each other about the deliver jobs they commit (LISTEN /
 * NOTIFY on DELIVERIES_CHANNEL), so a process fetches deliveries another one committed when
 * they are due rather than at its idle fetch. Real PostgreSQL: a notification is sent only when
 * the transaction that queued the jobs commits, says when they are due, is ignored by the
 * process that sent it, and the listening connection comes back after it is cut, saying that
 * it may have missed some.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { openDatabase, type Database } from '../../bridge/src/db/database.js';
import { DELIVERIES_CHANNEL, NOTIFY_SENDER, deliverJob, enqueueDeliveries, notifiedDue, startQueue } from '../../bridge/src/queue.js';
import { freshPgDatabase, waitFor } from './support/bridge-harness.js';

describe('delivery notifications between processes sharing PostgreSQL', () => {
  let db: Database;
  let boss: PgBoss;
  let drop: () => Promise<void>;
  let url: string;
  const payloads: string[] = [];
  const errors: Error[] = [];
  let unlisten: () => Promise<void>;

  beforeAll(async () => {
    ({ url, drop } = await freshPgDatabase());
    db = await openDatabase({ databaseUrl: url, dataDir: '' });
    boss = await startQueue(db, (err) => errors.push(err));
    unlisten = await db.listen(DELIVERIES_CHANNEL, (p) => payloads.push(p), (err) => errors.push(err));
  }, 60_000);

  afterAll(async () => {
    await unlisten?.();
    await boss?.stop({ graceful: false });
    await db?.close();
    await drop?.();
  });

  /** Sends from another connection, as another process would, and waits until it has arrived. */
  async function fromOtherProcess(payload: string) {
    const before = payloads.length;
    await db.query('SELECT pg_notify($1, $2)', [DELIVERIES_CHANNEL, payload]);
    await waitFor('the notification', () => payloads.length > before);
    return payloads[payloads.length - 1]!;
  }

  it('is sent when the transaction queuing the jobs commits, not before, and not at all when it rolls back', async () => {
    payloads.length = 0;
    let seenInside = -1;
    await db.transaction(async (tx) => {
      await enqueueDeliveries(boss, [deliverJob(['msg_a'], 'sub_1')], tx);
      await new Promise((r) => setTimeout(r, 200));
      seenInside = payloads.length;
    });
    expect(seenInside).toBe(0);
    await waitFor('the notification at commit', () => payloads.length === 1);
    expect(payloads[0]).toBe(NOTIFY_SENDER);
    expect(notifiedDue(payloads[0]!)).toBe('own');

    await expect(
      db.transaction(async (tx) => {
        await enqueueDeliveries(boss, [deliverJob(['msg_b'], 'sub_1')], tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // A notification sent after the rolled-back one arrives alone.
    expect(await fromOtherProcess('marker')).toBe('marker');
    expect(payloads).toEqual([NOTIFY_SENDER, 'marker']);
  });

  it('says when the first of the jobs is due, and nothing is sent for no jobs', async () => {
    payloads.length = 0;
    const later = new Date(Date.now() + 60_000);
    await db.transaction(async (tx) => {
      await enqueueDeliveries(boss, [], tx);
      await enqueueDeliveries(boss, [deliverJob(['msg_c'], 'sub_1', new Date(later.getTime() + 5_000)), deliverJob(['msg_d'], 'sub_1', later)], tx);
    });
    await waitFor('the notification', () => payloads.length === 1);
    expect(payloads[0]).toBe(`${NOTIFY_SENDER} ${later.toISOString()}`);

    // As another process reads them: its own are ignored, others' are fetched now or when due.
    expect(notifiedDue(`other-process ${later.toISOString()}`)).toEqual(later);
    expect(notifiedDue('other-process')).toBe('now');
    expect(notifiedDue(`other-process ${new Date(Date.now() - 1_000).toISOString()}`)).toBe('now');
    expect(notifiedDue('other-process not-a-date')).toBe('now');
    expect(notifiedDue('')).toBe('now');
  });

  it('listens again after its connection is cut, and says some may have been missed', async () => {
    payloads.length = 0;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const cut = await admin.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
        [`LISTEN "${DELIVERIES_CHANNEL}"`],
      );
      expect(cut.rows).toEqual([{ ok: true }]);
    } finally {
      await admin.end();
    }
    await waitFor('the lost connection reported', () => errors.length > 0, 10_000);
    await waitFor('listening again', () => payloads.includes(''), 10_000);
    expect(await fromOtherProcess('after the cut')).toBe('after the cut');
    errors.length = 0;
  }, 30_000);
});

describe('delivery notifications on the embedded store', () => {
  it('are not sent: one process per data directory wakes its own dispatcher', async () => {
    const db = await openDatabase({ dataDir: '', memory: true });
    try {
      await db.transaction(async (tx) => expect(tx.notify).toBeUndefined());
      const unlisten = await db.listen(DELIVERIES_CHANNEL, () => undefined, () => undefined);
      await unlisten();
    } finally {
      await db.close();
    }
  }, 60_000);
});
