/**
 * The one polling engine: state in, new items (oldest first) and new state out.
 * Storage is the caller's (Zapier needs none, n8n keeps it in static data, the bridge
 * in its database, committed with the events it produced).
 *
 * How nothing is lost and nothing repeats:
 * - The cursor is the newest `created_at` seen (never later than now, never moving back);
 *   each poll asks for `since = cursor - overlap`, inclusive, so same-millisecond arrivals
 *   and late writes inside the overlap window are fetched again, and the bounded set of
 *   recently seen ids drops the ones already emitted.
 * - The list is newest first. Walking pages forward is gap-free while leads arrive
 *   (arrivals push items to later pages: read twice, emitted once). A lead deleted above
 *   the read position pulls the next one onto a page already read: `total` drops, and the
 *   walk starts again.
 * - More than `maxPages` pages of news is a backlog: it is drained from the OLDEST end, a
 *   page per poll (`hasMore: true`), see drainBacklog.
 * - Limits: a lead whose created_at is older than the overlap window when it becomes
 *   visible is never emitted; more leads inside the overlap window than `maxSeen` are
 *   emitted again once forgotten by an ordinary poll, while a backlog drain counts them as
 *   emitted (a late lead older than the oldest remembered id is then missed). While a
 *   backlog drains, a late lead is caught while the cursor is within half the overlap of
 *   its created_at (the window is re-read that often, not at every step).
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
  /**
   * While a backlog drains: the cursor at which the drain last re-read the overlap window
   * for late leads (see drainBacklog). Absent otherwise.
   */
  swept?: string;
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
  /**
   * Pages an ordinary poll may read; more news than that is a backlog, drained a page per
   * poll with at most 2 × maxPages + 3 requests. Default 10.
   */
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

  // A drain in progress goes on at its cursor, without first reading the window (see drainBacklog).
  if (!sweepDue(state, cfg)) return drainBacklog(state, seen, since, cfg, fetch);

  const collected = new Map<string, T>();
  for (let attempt = 1; ; attempt++) {
    const first = await fetch(1, since);
    if (first.pagination.total_pages > cfg.maxPages) return drainBacklog(state, seen, since, cfg, fetch, first);
    const walk = await walkForward(first, since, cfg.maxPages, fetch);
    if (!walk) return drainBacklog(state, seen, since, cfg, fetch);
    walk.items.forEach((i) => collected.has(i.id) || collected.set(i.id, i));
    // Unstable: a lead vanished above the page being read, so the next one may have slid
    // onto a page already read. Walk again (what was read stays read). If the list keeps
    // moving, emit what was read but keep the cursor: the next poll reads this window again.
    if (walk.stable || attempt === SNAPSHOT_RETRIES) {
      const all = [...collected.values()];
      const items = oldestFirst(all.filter((i) => !seen.has(i.id)));
      return { items, state: nextState(state, all, cfg, walk.stable), baseline: false, hasMore: false };
    }
  }
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
  const state = nextState({ v: 1, cursor: null, seen: [] }, [...first.data, ...(window?.items ?? [])], cfg);
  return { items: [], state, baseline: true, hasMore: false };
}

/**
 * Pages 1..last, following `total_pages` as it grows; undefined when over the cap.
 * Each id once: an arrival pushes the last item of a page read onto the next page.
 * Not `stable` when `total` dropped between two pages: a lead above the read position
 * vanished, so one may have slid up onto a page already read and been missed.
 */
async function walkForward<T extends PollItem>(
  first: Page<T>,
  since: string | undefined,
  maxPages: number,
  fetch: Fetch<T>,
): Promise<{ items: T[]; stable: boolean } | undefined> {
  const all = new Map<string, T>();
  const keep = (page: Page<T>) => page.data.forEach((i) => all.has(i.id) || all.set(i.id, i));
  keep(first);
  let totalPages = first.pagination.total_pages;
  let total = first.pagination.total;
  let stable = true;
  for (let page = 2; page <= totalPages; page++) {
    if (page > maxPages) return undefined;
    const next = await fetch(page, since);
    keep(next);
    if (next.pagination.total < total) stable = false;
    total = next.pagination.total;
    totalPages = Math.max(totalPages, next.pagination.total_pages);
    if (next.data.length === 0) break;
  }
  return { items: [...all.values()], stable };
}

/**
 * One step of a backlog: the oldest leads not yet emitted, at most one page of them.
 *
 * A single response is a consistent snapshot, so the oldest page is read in one response
 * (its own `total_pages` must say it is the last): arrivals at the newest end cannot push
 * an old lead out of it. When everything on it was emitted before, the read moves `since`
 * up to its newest `created_at` (inclusive: ties are read again) rather than walking up by
 * page number. Only a crowd of already-emitted leads sharing one millisecond, more than a
 * page, is read page by page; those reads must agree on `total` or the step starts over.
 *
 * The window starts at cursor - overlap like an ordinary poll, so a late lead inside the
 * overlap is the oldest news and comes first. Re-reading that window gets at most
 * `maxPages` requests; past that, the read skips to the cursor (late leads in the unread
 * part of an enormous window are then missed).
 *
 * Re-reading the window at every step would cost a drain up to maxPages requests per page
 * of news when the backlog sits inside the window (a burst: every step re-proves what the
 * last one did). So a step re-reads it (sweeps) only when the drain has not swept yet,
 * when the cursor moved half the overlap since the last sweep (`swept`), or when there is
 * no news at the cursor (the drain's last step). Otherwise it starts at the cursor: two
 * requests a page. During a drain a late lead is therefore caught while the cursor is
 * within half the overlap of its created_at (in a burst the cursor hardly moves), and
 * after a drain by the next poll as usual.
 */
async function drainBacklog<T extends PollItem>(
  state: PollState,
  seen: Map<string, number>,
  since: string | undefined,
  cfg: Cfg<T>,
  fetch: Fetch<T>,
  firstPage?: Page<T>,
): Promise<PollResult<T>> {
  const budget = 2 * cfg.maxPages + SNAPSHOT_RETRIES;
  const cursorMs = state.cursor ? ms(state.cursor) : -Infinity;
  let requests = 0;
  const read = (page: number, at: string | undefined) => {
    requests++;
    return fetch(page, at);
  };
  let sweeping = sweepDue(state, cfg);
  const done = (items: T[], next: PollState, hasMore: boolean): PollResult<T> => {
    const swept = sweeping ? (state.cursor ?? undefined) : state.swept;
    return { items, state: hasMore && swept !== undefined ? { ...next, swept } : next, baseline: false, hasMore };
  };
  // A full seen set has forgotten its oldest ids: a lead at or before the oldest one it still
  // holds cannot be told from one emitted before. Emitting those again would not move the
  // drain on (they are the oldest, so forgotten again at once): the step would read and emit
  // the same page forever. They count as emitted before.
  const forgottenUpTo = state.seen.length >= cfg.maxSeen ? Math.min(...state.seen.map(([, at]) => at)) : -Infinity;
  let progress = state; // the cursor moved over leads emitted before
  let scanSince = sweeping ? since : state.cursor!;
  let probe = sweeping ? firstPage : undefined;
  let restarts = 0;

  for (;;) {
    // Out of requests, or the list kept moving: keep what was learnt. "Poll again now" only
    // if something moved, or a caller looping on hasMore would spin.
    if (requests >= budget || restarts > SNAPSHOT_RETRIES) return done([], progress, progress.cursor !== state.cursor);
    if (requests >= cfg.maxPages && state.cursor !== null && scanSince !== undefined && ms(scanSince) < cursorMs) {
      scanSince = state.cursor;
      probe = undefined;
    }

    // The oldest page, in one response.
    const first = probe ?? (await read(1, scanSince));
    probe = undefined;
    let pageNo = first.pagination.total_pages;
    let current = first;
    if (pageNo > 1) {
      current = await read(pageNo, scanSince);
      for (let retry = 0; current.pagination.total_pages !== pageNo && retry < SNAPSHOT_RETRIES; retry++) {
        pageNo = Math.max(1, current.pagination.total_pages);
        current = await read(pageNo, scanSince);
      }
      if (current.pagination.total_pages !== pageNo) {
        restarts++;
        continue;
      }
    }

    // Up from there while the pages hold only leads emitted before.
    const floor = scanSince === undefined ? -Infinity : ms(scanSince);
    let next: 'advance' | 'restart' | 'stop' | 'sweep';
    for (;;) {
      const fresh = current.data.filter((i) => !seen.has(i.id) && ms(i.created_at) > forgottenUpTo);
      if (fresh.length > 0) return done(oldestFirst(fresh), nextState(progress, current.data, cfg), pageNo > 1);
      progress = nextState(progress, current.data, cfg);
      if (pageNo <= 1 || current.data.length === 0) {
        if (sweeping) return done([], progress, false);
        // No news at the cursor: the drain is over, once the window holds no late lead.
        next = 'sweep';
        break;
      }
      const newest = Math.max(...current.data.map((i) => ms(i.created_at)));
      if (newest > floor) {
        scanSince = new Date(newest).toISOString();
        next = 'advance';
        break;
      }
      if (requests >= budget) {
        next = 'stop';
        break;
      }
      const total = current.pagination.total;
      current = await read(--pageNo, scanSince);
      if (current.pagination.total !== total) {
        next = 'restart';
        break;
      }
    }
    if (next === 'restart') restarts++;
    else if (next === 'advance') restarts = 0;
    else if (next === 'sweep') {
      sweeping = true;
      scanSince = since;
      restarts = 0;
    }
  }
}

/** Whether a drain step re-reads the overlap window (always, unless a drain is in progress and swept it lately). */
function sweepDue(state: PollState, cfg: { overlapMs: number }): boolean {
  const swept = typeof state.swept === 'string' ? ms(state.swept) : NaN;
  return state.cursor === null || !Number.isFinite(swept) || ms(state.cursor) - swept >= cfg.overlapMs / 2;
}

/** Remembers `fetched`; moves the cursor to the newest of them (never past now, never back) unless `advance` is false. */
function nextState<T extends PollItem>(prev: PollState, fetched: T[], cfg: Cfg<T>, advance = true): PollState {
  const added = new Map<string, number>();
  for (const item of fetched) added.set(item.id, ms(item.created_at));
  const newest = Math.max(prev.cursor ? ms(prev.cursor) : -Infinity, ...(advance ? added.values() : []));
  const cursorMs = Number.isFinite(newest) ? Math.min(newest, Math.max(cfg.now(), prev.cursor ? ms(prev.cursor) : -Infinity)) : undefined;
  const floor = cursorMs === undefined ? -Infinity : cursorMs - cfg.overlapMs;
  const kept = mergeSeen(prev.seen, added, floor);
  return {
    v: 1,
    cursor: cursorMs === undefined ? null : new Date(cursorMs).toISOString(),
    seen: kept.length > cfg.maxSeen ? kept.slice(kept.length - cfg.maxSeen) : kept,
  };
}

/**
 * The seen ids at or after `floor`, oldest first: the previous ones (already in order, as
 * this function leaves them) merged with the page's. A page is a hundred ids and the seen
 * set up to thousands: one pass over it, not a copy into a map and a sort, at every step of a
 * drain. Ties keep the previous ids first; an id already seen keeps its place unless its
 * time changed. A previous list out of order (hand-edited state) is sorted first.
 */
function mergeSeen(prev: PollState['seen'], added: Map<string, number>, floor: number): PollState['seen'] {
  const old: PollState['seen'] = [];
  let ordered = true;
  for (const entry of prev) {
    const at = added.get(entry[0]);
    if (at === entry[1]) added.delete(entry[0]);
    else if (at !== undefined) continue;
    if (entry[1] < floor) continue;
    if (old.length > 0 && entry[1] < old[old.length - 1]![1]) ordered = false;
    old.push(entry);
  }
  if (!ordered) old.sort((a, b) => a[1] - b[1]);
  const fresh = [...added].filter(([, at]) => at >= floor).sort((a, b) => a[1] - b[1]);
  if (fresh.length === 0) return old;
  const merged: PollState['seen'] = [];
  let i = 0;
  for (const entry of fresh) {
    while (i < old.length && old[i]![1] <= entry[1]) merged.push(old[i++]!);
    merged.push(entry);
  }
  while (i < old.length) merged.push(old[i++]!);
  return merged;
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
