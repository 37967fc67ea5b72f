/**
 * The one polling engine: state in, new items (oldest first) and new state out.
 * Storage is the caller's (Zapier needs none, n8n keeps it in static data, the bridge
 * in its database, committed with the events it produced).
 *
 * How nothing is lost and nothing repeats:
 * - The cursor is the newest `created_at` seen (never later than now); each poll asks for
 *   `since = cursor - overlap`, inclusive, so same-millisecond arrivals and late writes
 *   inside the overlap window are fetched again, and the bounded set of recently seen ids
 *   drops the ones already emitted.
 * - The list is newest first. Walking pages forward is gap-free even while leads arrive
 *   (arrivals push items to later pages: seen twice, never skipped).
 * - More than `maxPages` pages of news is a backlog: it is drained from the OLDEST end, a
 *   page per poll (`hasMore: true`), each page read only from a snapshot whose `total`
 *   did not move, so the cursor never jumps over an item that was not emitted.
 * - The first poll sets a baseline: it records what exists and emits nothing.
 */
import type { Page } from './contract.js';

export interface PollItem {
  id: string;
  created_at: string;
}

export interface PollState {
  v: 1;
  /** Newest created_at seen (ISO), or null when the list was empty at baseline. */
  cursor: string | null;
  /** Recently seen ids with their created_at in ms, newest last. */
  seen: Array<[id: string, createdAtMs: number]>;
}

export interface FetchPageArgs {
  since?: string;
  page: number;
  perPage: number;
}

export interface PollOptions<T extends PollItem> {
  fetchPage: (args: FetchPageArgs) => Promise<Page<T>>;
  state: PollState | null | undefined;
  now?: () => number;
  /** How far before the cursor each poll looks again. Default 2 minutes. */
  overlapMs?: number;
  /** Bound on remembered ids. Default 5,000. */
  maxSeen?: number;
  /** Requests per poll before switching to backlog draining. Default 10. */
  maxPages?: number;
  /** Default 100. */
  perPage?: number;
}

export interface PollResult<T> {
  /** New items, oldest first. */
  items: T[];
  state: PollState;
  /** True on the first poll: the state is the baseline, nothing was emitted. */
  baseline: boolean;
  /** True when a backlog remains: poll again now. */
  hasMore: boolean;
}

export const pollDefaults = { overlapMs: 2 * 60_000, maxSeen: 5_000, maxPages: 10, perPage: 100 } as const;
const SNAPSHOT_RETRIES = 3;

const ms = (iso: string) => Date.parse(iso);

export async function poll<T extends PollItem>(options: PollOptions<T>): Promise<PollResult<T>> {
  const cfg = { ...pollDefaults, now: Date.now, ...stripUndefined(options) };
  const fetch = (page: number, since?: string) =>
    cfg.fetchPage({ page, perPage: cfg.perPage, ...(since !== undefined ? { since } : {}) });

  if (!options.state) return baseline(cfg, fetch);

  const state = options.state;
  const seen = new Map(state.seen);
  const since = state.cursor ? new Date(ms(state.cursor) - cfg.overlapMs).toISOString() : undefined;

  const first = await fetch(1, since);
  let collected: T[] | undefined;
  if (first.pagination.total_pages <= cfg.maxPages) collected = await walkForward(first, since, cfg.maxPages, fetch);

  if (collected) {
    const items = oldestFirst(collected.filter((i) => !seen.has(i.id)));
    return { items, state: nextState(state, collected, cfg), baseline: false, hasMore: false };
  }
  return drainBacklog(state, seen, cfg, fetch);
}

type Cfg<T extends PollItem> = Required<Omit<PollOptions<T>, 'state'>>;
type Fetch<T> = (page: number, since?: string) => Promise<Page<T>>;

async function baseline<T extends PollItem>(cfg: Cfg<T>, fetch: Fetch<T>): Promise<PollResult<T>> {
  const first = await fetch(1);
  if (first.data.length === 0) return { items: [], state: { v: 1, cursor: null, seen: [] }, baseline: true, hasMore: false };
  const newest = Math.max(...first.data.map((i) => ms(i.created_at)));
  const cursorMs = Math.min(newest, cfg.now());
  // Remember everything inside the overlap window, so the next poll does not emit it.
  const floor = cursorMs - cfg.overlapMs;
  const window = await walkForward(await fetch(1, new Date(floor).toISOString()), new Date(floor).toISOString(), cfg.maxPages, fetch);
  const state = nextState({ v: 1, cursor: null, seen: [] }, [...first.data, ...(window ?? first.data)], cfg);
  return { items: [], state, baseline: true, hasMore: false };
}

/**
 * Pages 1..last, following `total_pages` as it grows; undefined when over the cap.
 * Each id once: an arrival pushes the last item of a page read onto the next page.
 */
async function walkForward<T extends PollItem>(first: Page<T>, since: string | undefined, maxPages: number, fetch: Fetch<T>) {
  const all = new Map<string, T>();
  const keep = (page: Page<T>) => page.data.forEach((i) => all.has(i.id) || all.set(i.id, i));
  keep(first);
  let totalPages = first.pagination.total_pages;
  for (let page = 2; page <= totalPages; page++) {
    if (page > maxPages) return undefined;
    const next = await fetch(page, since);
    keep(next);
    totalPages = Math.max(totalPages, next.pagination.total_pages);
    if (next.data.length === 0) break;
  }
  return [...all.values()];
}

async function drainBacklog<T extends PollItem>(
  state: PollState,
  seen: Map<string, number>,
  cfg: Cfg<T>,
  fetch: Fetch<T>,
): Promise<PollResult<T>> {
  // No overlap while draining: the inclusive cursor and the seen ids cover ties, and the
  // overlap is read again by the first ordinary poll after the backlog.
  const since = state.cursor ?? undefined;
  for (let attempt = 0; attempt < SNAPSHOT_RETRIES; attempt++) {
    const probe = await fetch(1, since);
    const { total, total_pages: last } = probe.pagination;
    let consistent = true;
    for (let page = last; page >= 1 && page > last - cfg.maxPages; page--) {
      const current = page === 1 ? probe : await fetch(page, since);
      if (current.pagination.total !== total) {
        consistent = false;
        break;
      }
      const fresh = current.data.filter((i) => !seen.has(i.id));
      if (fresh.length > 0) {
        return { items: oldestFirst(fresh), state: nextState(state, current.data, cfg), baseline: false, hasMore: page > 1 };
      }
    }
    if (consistent) return { items: [], state: nextState(state, probe.data, cfg), baseline: false, hasMore: false };
  }
  // The list kept moving under us: emit nothing this time rather than risk a gap.
  return { items: [], state, baseline: false, hasMore: true };
}

function nextState<T extends PollItem>(prev: PollState, fetched: T[], cfg: Cfg<T>): PollState {
  const seen = new Map(prev.seen);
  for (const item of fetched) seen.set(item.id, ms(item.created_at));
  const newest = Math.max(prev.cursor ? ms(prev.cursor) : -Infinity, ...fetched.map((i) => ms(i.created_at)));
  const cursorMs = Number.isFinite(newest) ? Math.min(newest, Math.max(cfg.now(), prev.cursor ? ms(prev.cursor) : -Infinity)) : undefined;
  const floor = cursorMs === undefined ? -Infinity : cursorMs - cfg.overlapMs;
  const kept = [...seen.entries()].filter(([, at]) => at >= floor).sort((a, b) => a[1] - b[1]);
  return {
    v: 1,
    cursor: cursorMs === undefined ? null : new Date(cursorMs).toISOString(),
    seen: kept.slice(Math.max(0, kept.length - cfg.maxSeen)),
  };
}

/** Oldest first; ties keep the reverse of the server's newest-first order. */
function oldestFirst<T extends PollItem>(items: T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => ms(a.item.created_at) - ms(b.item.created_at) || b.index - a.index)
    .map((x) => x.item);
}

function stripUndefined<O extends object>(o: O): O {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as O;
}
