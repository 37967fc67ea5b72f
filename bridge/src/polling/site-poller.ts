/**
 * One poll of one site (a lts-poll job): the shared polling engine over the site's key,
 * its state read from and committed to the database with the outbox. Decides when the
 * site is polled next: now while a backlog drains, after Retry-After on 429, with
 * backoff on 5xx and network errors, never again on 401 (auth_failed) until re-subscribed.
 */
import { LeadToSheetClient, poll, toLeadToSheetError, type PollState } from '@leadtosheet/shared';
import { createGotTransport } from '@leadtosheet/shared/got-transport';
import { deliveriesRepo } from '../db/deliveries-repo.js';
import { sitesRepo, type SiteRow } from '../db/sites-repo.js';
import { commitAuthFailure, commitPoll } from './outbox.js';
import { BudgetExhausted, RequestBudget, budgeted } from './request-budget.js';
import type { WorkerDeps } from '../worker-deps.js';

const MAX_BACKOFF_MS = 5 * 60_000;
/** How long one job may keep draining a backlog before handing over. */
const DRAIN_BUDGET_MS = 20_000;
/**
 * Bounded read-ahead while a backlog drains: the next page is read once at most this many
 * deliveries (per delivery slot) of the site wait for their first attempt, or after
 * READ_AHEAD_WAIT_MS whatever they are, so a slow receiver slows a drain but never stops it.
 * A lead then waits in the bridge for about a page of deliveries, not for the whole backlog
 * read ahead of it, and other sites' new leads are not queued behind that backlog. On
 * PostgreSQL reading and committing a page runs beside the deliveries (the server does the
 * work), so more are kept waiting to keep the slots busy meanwhile; the embedded store
 * shares the bridge's core, where a deeper read-ahead only lengthens the queue.
 */
const READ_AHEAD_PER_SLOT = { embedded: 4, postgres: 10 };
const READ_AHEAD_WAIT_MS = 2_000;
/**
 * How often the waiting count is read while a page is held back. 10 deliveries per slot are
 * gone in about 30 ms on PostgreSQL: checking every 50 ms left the slots without work part of
 * each page (busy posting 41% of a drain; every 10 ms: 56%, 1,730 -> 2,102 deliveries/s, p99
 * 254 -> 242 ms; README "Benchmark", 2026-12-03 evening). On the embedded store each check is
 * the bridge's own CPU, and its queue is shallower anyway.
 */
const READ_AHEAD_CHECK_MS = { embedded: 50, postgres: 10 };

export interface PollerDeps extends WorkerDeps {
  /** Called after a commit that created deliveries (wakes the local workers). */
  onDeliveries: () => void;
  /** Asks for the site's next poll (poll-scheduler.ts). */
  schedulePoll(siteId: string, at?: Date): Promise<void>;
}

export function createSitePoller(deps: PollerDeps) {
  const budgets = new Map<string, RequestBudget>();
  const clients = new Map<string, { sealed: string; client: LeadToSheetClient }>();
  /** Set by stop(): a poll draining a backlog ends after the page it is on (the next start goes on from there). */
  let stopping = false;

  const clientFor = (site: SiteRow) => {
    const cached = clients.get(site.id);
    if (cached?.sealed === site.key_sealed) return cached.client;
    const key = deps.box.open(site.key_sealed);
    const budget = budgets.get(site.id) ?? new RequestBudget(deps.config.requestsPerMinute);
    budgets.set(site.id, budget);
    const transport = budgeted(
      createGotTransport({ key, baseUrl: deps.config.ltsBaseUrl, retry: { limit: 2, maxRetryAfterMs: 2_000 }, userAgent: 'lts-bridge' }),
      budget,
    );
    const client = new LeadToSheetClient(transport, { key, baseUrl: deps.config.ltsBaseUrl });
    clients.set(site.id, { sealed: site.key_sealed, client });
    return client;
  };

  /** Runs the engine once against the site; used by polls and by the baseline at subscribe time. */
  const runEngine = (client: LeadToSheetClient, state: PollState | null) =>
    poll({ state, fetchPage: ({ since, page, perPage }) => client.listSubmissions({ since, page, perPage }) });

  /** Waits until at most the read-ahead's limit of the deliveries committed since `since` wait for their first attempt. */
  async function readAhead(siteId: string, since: Date): Promise<void> {
    const limit = deps.config.deliveryConcurrency * READ_AHEAD_PER_SLOT[deps.db.kind];
    const until = Date.now() + READ_AHEAD_WAIT_MS;
    while (Date.now() < until && (await deliveriesRepo.waitingFirstAttempt(deps.db, siteId, limit + 1, since)) > limit) {
      await new Promise((r) => setTimeout(r, READ_AHEAD_CHECK_MS[deps.db.kind]));
    }
  }

  async function pollSite(siteId: string): Promise<void> {
    const { db, boss, config, log, metrics } = deps;
    let site = await sitesRepo.get(db, siteId);
    if (!site || site.auth_failed) return;
    const client = clientFor(site);
    const started = Date.now();
    let nextInMs = config.pollIntervalMs;
    /** When the page before the last one was committed: the read-ahead counts what was committed since. */
    let previousCommit: Date | undefined;
    try {
      for (;;) {
        const result = await runEngine(client, site.poll_state);
        const out = await commitPoll(db, boss, { id: site.id, expectedVersion: site.state_version, subscriptionConcurrency: config.subscriptionConcurrency }, result.state, result.items);
        metrics.polls.inc({ outcome: out.committed ? 'ok' : 'superseded' });
        if (!out.committed) break;
        if (out.events) metrics.events.inc(out.events);
        if (out.deliveries) deps.onDeliveries();
        if (out.events) log.info({ site: site.id, events: out.events, deliveries: out.deliveries }, 'new submissions');
        site = { ...site, poll_state: result.state, state_version: site.state_version + 1 };
        if (!result.hasMore) break;
        if (stopping) {
          nextInMs = 0;
          break;
        }
        // The pages committed before the last two were held back until all but the read-ahead's
        // limit of their deliveries had started, and deliveries are taken about in the order
        // they were committed: counting from the page before the last one is enough.
        const since = previousCommit ?? out.at!;
        previousCommit = out.at;
        await readAhead(site.id, since);
        if (Date.now() - started > DRAIN_BUDGET_MS) {
          nextInMs = 0;
          break;
        }
      }
    } catch (err) {
      const e = toLeadToSheetError(err, { operation: 'listSubmissions', baseUrl: config.ltsBaseUrl });
      metrics.pollErrors.inc({ code: e.code });
      metrics.polls.inc({ outcome: 'error' });
      if (e.status === 401) {
        const notice = await commitAuthFailure(db, boss, { id: site.id, keyPrefix: site.key_prefix, subscriptionConcurrency: config.subscriptionConcurrency }, e.message);
        if (notice.deliveries) deps.onDeliveries();
        log.warn({ site: site.id, key: site.key_prefix, notified: notice.deliveries }, 'LeadToSheet refused the key (401): polling stopped, each subscription sent a site.auth_failed event and marked auth_failed until one is re-created with a working key');
        return;
      }
      const errors = await sitesRepo.recordError(db, site.id, e.code, e.message);
      if (err instanceof BudgetExhausted) nextInMs = err.waitMs;
      else if (e.retryAfterMs !== undefined) nextInMs = e.retryAfterMs;
      else {
        const backoff = Math.min(MAX_BACKOFF_MS, config.pollIntervalMs * 2 ** Math.min(errors, 10));
        nextInMs = Math.round(backoff / 2 + Math.random() * (backoff / 2));
      }
      log.warn({ site: site.id, code: e.code, status: e.status, retryInMs: nextInMs, key: site.key_prefix }, `poll failed: ${e.message}`);
    }
    const at = new Date(Date.now() + nextInMs);
    await sitesRepo.setNextPoll(db, site.id, at);
    await deps.schedulePoll(site.id, at);
  }

  return {
    pollSite,
    clientFor,
    runEngine,
    stop() {
      stopping = true;
    },
  };
}

export type SitePoller = ReturnType<typeof createSitePoller>;
