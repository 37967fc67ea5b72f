/**
 * Wiring: the store, the queue, the poller, the deliverer, the HTTP API. `startBridge`
 * gives a running bridge and a `stop` that shuts it down gracefully.
 */
import type { Server } from 'node:http';
import type { PgBoss } from 'pg-boss';
import type { BridgeConfig } from './config.js';
import { createCryptoBox, resolveEmbeddedKey, type CryptoBox } from './crypto-box.js';
import { openDatabase, type Database } from './db/database.js';
import { deliveriesRepo } from './db/deliveries-repo.js';
import { migrate } from './db/schema.js';
import { sitesRepo } from './db/sites-repo.js';
import type { SubscriptionRow } from './db/subscriptions-repo.js';
import { createDeliverer, type Deliverer } from './delivery/deliverer.js';
import { startDispatcher, type Dispatcher } from './delivery/dispatcher.js';
import { sendTestEvent } from './delivery/test-event.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createSitePoller, type SitePoller } from './polling/site-poller.js';
import { localPolls, queuePolls, type PollScheduler } from './polling/poll-scheduler.js';
import { DELIVERIES_CHANNEL, HEARTBEAT_SECONDS, SUPERVISE_SECONDS, jobDeliveryIds, notifiedDue, startQueue } from './queue.js';
import { createApp } from './api/app.js';

export interface BridgeServices {
  config: BridgeConfig;
  db: Database;
  boss: PgBoss;
  box: CryptoBox;
  log: Logger;
  metrics: Metrics;
  poller: SitePoller;
  deliverer: Deliverer;
  /** Asks for a poll of a site (now by default). */
  polls: Pick<PollScheduler, 'schedule'>;
  /** Wakes this process's delivery workers now. */
  wake(): void;
  testEvent(sub: SubscriptionRow): ReturnType<typeof sendTestEvent>;
}

export interface RunningBridge {
  services: BridgeServices;
  server: Server;
  url: string;
  stop(): Promise<void>;
}

/**
 * Idle fetch of the delivery dispatcher, a backstop. Deliveries committed here wake it when
 * they are due (new ones at once, retries when they fall due), and on PostgreSQL so do those
 * other processes commit (a notification at their commit, queue.ts DELIVERIES_CHANNEL); this
 * picks up jobs the queue retried on its own (a dead process's, once its heartbeat is missed)
 * and anything a lost notification connection missed. On PostgreSQL it was every second
 * before the notifications: 0.2% of a core of an idle bridge (README "Benchmark", 2026-12-07).
 */
const WORKER_POLL_SECONDS = { embedded: 30, postgres: 5 };
/** Idle fetch of the poll workers on PostgreSQL; polls this process schedules wake them when due. */
const POLL_WORKER_IDLE_SECONDS = 5;
/** How often every pollable site is checked to have a poll queued (a backstop: each poll queues the next). */
const SUPERVISE_MS = 60_000;

export async function startBridge(config: BridgeConfig, log: Logger, options: { memory?: boolean } = {}): Promise<RunningBridge> {
  const releaseLock = !config.databaseUrl && !options.memory ? acquireDataDirLock(config.dataDir) : () => undefined;
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, memory: options.memory });
  await migrate(db);
  let key = config.encryptionKey;
  if (!key) {
    if (config.databaseUrl) throw new Error('BRIDGE_ENCRYPTION_KEY is required with DATABASE_URL (every bridge process must share it): generate one with openssl rand -base64 32');
    const resolved = options.memory ? { key: (await import('node:crypto')).randomBytes(32), generated: true } : resolveEmbeddedKey(config.dataDir);
    key = resolved.key;
    if (resolved.generated && !options.memory) log.warn({ file: `${config.dataDir}/encryption.key` }, 'generated an encryption key for stored tenant keys; back it up with the data directory');
  }
  const box = createCryptoBox(key);
  // The embedded store has one process (the data directory is locked): everything queued is
  // queued here and wakes its workers, so their idle fetch can be rare.
  const store = config.databaseUrl ? 'postgres' : 'embedded';
  const boss = await startQueue(db, (err) => log.error({ err: { message: err.message } }, 'queue error'));

  const metrics = createMetrics(async () => {
    const b = await deliveriesRepo.backlog(db);
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM lts_bridge.sites WHERE auth_failed');
    return { ...b, authFailedSites: row?.n ?? 0 };
  });
  let dispatcher: Dispatcher | undefined;
  const wake = () => dispatcher?.wake();
  let scheduler: PollScheduler | undefined;
  const polls = { schedule: (siteId: string, at?: Date) => scheduler!.schedule(siteId, at) };
  const poller = createSitePoller({ db, boss, config, box, log, metrics, onDeliveries: wake, schedulePoll: polls.schedule });
  const deliverer = createDeliverer({ db, boss, config, box, log, metrics, wakeAt: (at) => dispatcher?.wakeAt(at) });
  const services: BridgeServices = { config, db, boss, box, log, metrics, poller, deliverer, polls, wake, testEvent: (sub) => sendTestEvent(db, deliverer, sub) };

  // Deliveries run under our dispatcher rather than pg-boss workers (see dispatcher.ts).
  dispatcher = startDispatcher({
    boss,
    log,
    concurrency: config.deliveryConcurrency,
    perSubscription: config.subscriptionConcurrency,
    pollMs: WORKER_POLL_SECONDS[store] * 1000,
    prepare: (jobs) => deliverer.prepare(jobs.flatMap((j) => jobDeliveryIds(j.data))),
    run: (job) => deliverer.runJob(job.id, jobDeliveryIds(job.data)),
  });
  // Deliveries other processes sharing PostgreSQL commit: fetched when due, not at the idle fetch.
  const unlisten = await db.listen(
    DELIVERIES_CHANNEL,
    (payload) => {
      const due = notifiedDue(payload);
      if (due === 'now') dispatcher?.wake();
      else if (due !== 'own') dispatcher?.wakeAt(due);
    },
    (err) => log.warn({ err: { message: err.message } }, 'delivery notifications: connection lost; reconnecting (the idle fetch picks up meanwhile)'),
  );
  // Jobs a killed predecessor held come back once the queue sees their heartbeat missed.
  dispatcher.wakeAt(new Date(Date.now() + (HEARTBEAT_SECONDS + SUPERVISE_SECONDS[store] + 1) * 1000));
  // Polls: the lts-poll queue where several processes share the store, timers in this process on the embedded one.
  const pollSite = (siteId: string) => poller.pollSite(siteId);
  scheduler = store === 'postgres' ? await queuePolls(boss, pollSite, POLL_WORKER_IDLE_SECONDS) : localPolls(pollSite, log);

  const supervise = async () => scheduler!.ensure(await sitesRepo.pollable(db));
  await supervise();
  const timer = setInterval(() => supervise().catch((err) => log.error({ err: { message: err.message } }, 'supervisor failed')), SUPERVISE_MS);
  timer.unref();

  const app = createApp(services);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const url = typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : '';

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(timer);
      server.closeIdleConnections?.();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // No new polls (a poll draining a backlog stops after the page it is on); finish in-flight
      // deliveries up to the grace period. Anything still running is left active in the queue
      // and retried once its heartbeat is missed.
      const pollsStopped = scheduler?.stop(config.shutdownGraceMs);
      poller.stop();
      deliverer.stop();
      await dispatcher?.stop(config.shutdownGraceMs);
      await unlisten();
      await pollsStopped;
      await boss.stop({ graceful: true, timeout: config.shutdownGraceMs });
      server.closeAllConnections?.();
      await closed;
      // Attempts still running after the grace period are cut off (their jobs are retried).
      await deliverer.close();
      await db.close();
      releaseLock();
      log.info('bridge stopped');
    })());

  return { services, server, url, stop };
}
