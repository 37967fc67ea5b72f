import { describe, expect, it } from '@jest/globals';
import { poll, pollDefaults, type PollOptions, type PollResult, type PollState } from '@leadtosheet/shared';
import { FakeListServer, iso, type Item } from './support/fake-list-server.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const OVERLAP = 2 * MIN;

/** n0001, n0002...: ids that sort in arrival order, as the API's tiebreak expects. */
const id = (n: number) => `n${String(n).padStart(4, '0')}`;
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => id(from + i));

type Options = Partial<Pick<PollOptions<Item>, 'perPage' | 'maxPages' | 'overlapMs' | 'maxSeen'>>;

/**
 * One poller against one fake server. Between polls the state goes through JSON, as every
 * product stores it (Zapier: none, n8n static data, the bridge's database).
 */
function harness(options: Options = {}) {
  const server = new FakeListServer();
  const h = {
    server,
    clock: T0,
    stored: null as string | null,
    emitted: [] as string[],
    results: [] as PollResult<Item>[],
    get state(): PollState {
      if (h.stored === null) throw new Error('no state yet');
      return JSON.parse(h.stored) as PollState;
    },
    async poll(): Promise<PollResult<Item>> {
      const result = await poll<Item>({
        fetchPage: server.fetchPage,
        state: h.stored === null ? null : (JSON.parse(h.stored) as PollState),
        now: () => h.clock,
        overlapMs: OVERLAP,
        ...options,
      });
      h.stored = JSON.stringify(result.state);
      h.emitted.push(...result.items.map((i) => i.id));
      h.results.push(result);
      return result;
    },
    /** Polls again while the engine reports a backlog; returns the number of polls. */
    async pollUntilDone(limit = 100): Promise<number> {
      for (let n = 1; n <= limit; n++) if (!(await h.poll()).hasMore) return n;
      throw new Error(`still hasMore after ${limit} polls`);
    },
  };
  return h;
}

const emittedIds = (r: PollResult<Item>) => r.items.map((i) => i.id);

describe('poll: the first run sets a baseline', () => {
  it('on an empty site: nothing emitted, no cursor; the first leads after it are emitted', async () => {
    const h = harness();
    const first = await h.poll();
    expect(first).toEqual({ items: [], state: { v: 1, cursor: null, seen: [] }, baseline: true, hasMore: false });

    h.server.add(T0 + 1 * SEC, id(1)).add(T0 + 2 * SEC, id(2));
    h.clock = T0 + 5 * SEC;
    const second = await h.poll();
    expect(second.baseline).toBe(false);
    expect(emittedIds(second)).toEqual([id(1), id(2)]);
  });

  it.each([null, undefined])('on a site with leads (state %p): nothing emitted, the existing leads never are', async (state) => {
    const server = new FakeListServer();
    ids(1, 7).forEach((n, i) => server.add(T0 - HOUR + i * MIN, n));
    const result = await poll({ fetchPage: server.fetchPage, state, now: () => T0, overlapMs: OVERLAP, perPage: 3 });
    expect(result.baseline).toBe(true);
    expect(result.items).toEqual([]);
    expect(result.hasMore).toBe(false);
    // The cursor is the newest lead; the ids inside the overlap window are remembered.
    expect(result.state.cursor).toBe(iso(T0 - HOUR + 6 * MIN));
    expect(result.state.seen).toEqual([
      [id(5), T0 - HOUR + 4 * MIN],
      [id(6), T0 - HOUR + 5 * MIN],
      [id(7), T0 - HOUR + 6 * MIN],
    ]);
    // The first request reads the newest page; the next ones the overlap window.
    expect(server.requests[0]).toEqual({ page: 1, perPage: 3 });
    expect(server.requests[1]).toEqual({ page: 1, perPage: 3, since: iso(T0 - HOUR + 4 * MIN) });
  });

  it('after a baseline, an unchanged site emits nothing, poll after poll', async () => {
    const h = harness({ perPage: 2 });
    ids(1, 5).forEach((n, i) => h.server.add(T0 - 90 * SEC + i * 10 * SEC, n));
    await h.poll();
    for (let i = 0; i < 3; i++) {
      h.clock += MIN;
      expect(emittedIds(await h.poll())).toEqual([]);
    }
    h.server.add(h.clock, id(6));
    expect(emittedIds(await h.poll())).toEqual([id(6)]);
  });
});

describe('poll: new leads, oldest first, exactly once', () => {
  it('emits each new lead once across polls, oldest first', async () => {
    const h = harness({ perPage: 3 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();

    h.server.add(T0 + 1 * SEC, id(2)).add(T0 + 3 * SEC, id(3));
    h.clock = T0 + 10 * SEC;
    expect(emittedIds(await h.poll())).toEqual([id(2), id(3)]);

    h.clock = T0 + 20 * SEC;
    expect(emittedIds(await h.poll())).toEqual([]);

    h.server.add(T0 + 21 * SEC, id(4)).add(T0 + 22 * SEC, id(5)).add(T0 + 23 * SEC, id(6)).add(T0 + 24 * SEC, id(7));
    h.clock = T0 + 30 * SEC;
    expect(emittedIds(await h.poll())).toEqual([id(4), id(5), id(6), id(7)]);

    expect(h.emitted).toEqual(ids(2, 7));
  });

  it('asks for since = cursor - overlap, page by page, with its page size', async () => {
    const h = harness({ perPage: 2 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();
    h.server.requests.length = 0;
    h.server.add(T0 + 1 * SEC, id(2), id(3), id(4));
    h.clock = T0 + MIN;
    await h.poll();
    const since = iso(T0 - HOUR - OVERLAP);
    expect(h.server.requests).toEqual([
      { page: 1, perPage: 2, since },
      { page: 2, perPage: 2, since },
    ]);
  });

  it('emits several leads with one created_at, including ones that arrive after the cursor reached that millisecond', async () => {
    const h = harness({ perPage: 2 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();

    const T = T0 + 5 * SEC;
    h.server.add(T, id(2), id(3));
    h.clock = T0 + 10 * SEC;
    expect(emittedIds(await h.poll())).toEqual([id(2), id(3)]);
    expect(h.state.cursor).toBe(iso(T));

    // Same millisecond, written after the poll read it: the inclusive cursor sees them.
    h.server.add(T, id(4), id(5), id(6));
    h.clock = T0 + 20 * SEC;
    expect(emittedIds(await h.poll())).toEqual([id(4), id(5), id(6)]);

    h.server.add(T, id(7)).add(T + 1, id(8));
    h.clock = T0 + 30 * SEC;
    expect(emittedIds(await h.poll())).toEqual([id(7), id(8)]);
    expect(h.emitted).toEqual(ids(2, 8));
  });

  it('emits same-millisecond leads that straddle page boundaries once, in id order', async () => {
    const h = harness({ perPage: 2 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();
    h.server.add(T0 + SEC, ...ids(2, 8));
    h.clock = T0 + MIN;
    expect(emittedIds(await h.poll())).toEqual(ids(2, 8));
  });

  it.each([
    ['exactly one page of new leads', 3, 1],
    ['one page and one lead', 4, 2],
    ['exactly two pages', 6, 2],
    ['two pages and one lead', 7, 3],
  ])('page boundaries: %s', async (_, count, pages) => {
    const h = harness({ perPage: 3 });
    await h.poll(); // empty site: the next poll reads everything, so pages hold only new leads
    ids(1, count).forEach((n, i) => h.server.add(T0 + i * SEC, n));
    h.clock = T0 + MIN;
    const result = await h.poll();
    expect(emittedIds(result)).toEqual(ids(1, count));
    expect(result.hasMore).toBe(false);
    expect(h.server.requests.slice(1)).toEqual(Array.from({ length: pages }, (_, i) => ({ page: i + 1, perPage: 3 })));

    h.clock += MIN;
    expect(emittedIds(await h.poll())).toEqual([]);
    h.server.add(h.clock, id(count + 1));
    expect(emittedIds(await h.poll())).toEqual([id(count + 1)]);
  });
});

describe('poll: leads arriving or disappearing while it reads', () => {
  it('a lead inserted between two page fetches is neither lost nor emitted twice', async () => {
    const h = harness({ perPage: 3 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();

    ids(2, 6).forEach((n, i) => h.server.add(T0 + i * SEC, n));
    h.clock = T0 + MIN;
    // After page 1 is read, a new lead pushes the last lead of page 1 onto page 2.
    h.server.beforeAnswer = (args) => {
      if (args.page === 2) h.server.add(T0 + 30 * SEC, id(7));
    };
    expect(emittedIds(await h.poll())).toEqual(ids(2, 6));
    h.server.beforeAnswer = undefined;

    h.clock = T0 + 2 * MIN;
    expect(emittedIds(await h.poll())).toEqual([id(7)]);
    expect(h.emitted).toEqual(ids(2, 7));
  });

  it('several leads inserted during a multi-page walk: each emitted once, in order', async () => {
    const h = harness({ perPage: 2, maxPages: 10 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();

    ids(2, 9).forEach((n, i) => h.server.add(T0 + i * SEC, n));
    h.clock = T0 + MIN;
    let next = 10;
    h.server.beforeAnswer = (args) => {
      if (args.page > 1) h.server.add(T0 + 30 * SEC + next, id(next++));
    };
    await h.poll();
    h.server.beforeAnswer = undefined;
    h.clock = T0 + 2 * MIN;
    await h.poll();
    expect(h.emitted).toEqual(ids(2, next - 1));
  });

  it('the newest lead deleted before the next poll: no re-emission, no stall, the cursor stays', async () => {
    const h = harness();
    h.server.add(T0 - 30 * SEC, id(1), id(2)).add(T0 - 10 * SEC, id(3));
    await h.poll();
    const cursor = h.state.cursor;

    h.server.remove(id(3));
    h.clock = T0 + MIN;
    expect(emittedIds(await h.poll())).toEqual([]);
    expect(h.state.cursor).toBe(cursor);

    h.server.add(T0 + 30 * SEC, id(4));
    expect(emittedIds(await h.poll())).toEqual([id(4)]);

    // The newest emitted lead deleted too: nothing repeats, the next one still comes.
    h.server.remove(id(4));
    h.clock = T0 + 2 * MIN;
    expect(emittedIds(await h.poll())).toEqual([]);
    h.server.add(T0 + 90 * SEC, id(5));
    expect(emittedIds(await h.poll())).toEqual([id(5)]);
    expect(h.emitted).toEqual([id(4), id(5)]);
  });

  it('a lead deleted while the pages are walked does not make another one skipped', async () => {
    const h = harness({ perPage: 3 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();

    // Six new leads spread over 30 minutes: more than the overlap window.
    ids(2, 7).forEach((n, i) => h.server.add(T0 + i * 5 * MIN, n));
    h.clock = T0 + 30 * MIN;
    // After page 1 is read, a lead on it is deleted: the first lead of page 2 moves up.
    let deleted = false;
    h.server.beforeAnswer = (args) => {
      if (args.page === 2 && !deleted) {
        deleted = true;
        h.server.remove(id(6));
      }
    };
    await h.poll();
    h.server.beforeAnswer = undefined;
    h.clock += MIN;
    await h.poll();
    expect(h.emitted).toEqual([id(2), id(3), id(4), id(5), id(6), id(7)]);
  });
});

describe('poll: a backlog of more than maxPages pages', () => {
  it('is drained from the oldest end over several polls, with hasMore, each lead once and in order', async () => {
    const h = harness({ perPage: 2, maxPages: 2 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();

    ids(2, 12).forEach((n, i) => h.server.add(T0 + i * MIN, n));
    h.clock = T0 + HOUR;
    const polls = await h.pollUntilDone();
    expect(polls).toBeGreaterThan(1);
    expect(h.results.slice(1, -1).every((r) => r.hasMore)).toBe(true);
    expect(h.emitted).toEqual(ids(2, 12));
    // Never more than one page per poll while draining.
    expect(Math.max(...h.results.slice(1).map((r) => r.items.length))).toBeLessThanOrEqual(2);

    h.clock += MIN;
    expect(emittedIds(await h.poll())).toEqual([]);
  });

  it('drains a backlog of same-millisecond leads', async () => {
    const h = harness({ perPage: 2, maxPages: 2 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();
    h.server.add(T0, ...ids(2, 11));
    h.clock = T0 + MIN;
    await h.pollUntilDone();
    expect(h.emitted).toEqual(ids(2, 11));
  });

  it('drains correctly while leads keep arriving between page fetches', async () => {
    const h = harness({ perPage: 2, maxPages: 2 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();

    ids(2, 14).forEach((n, i) => h.server.add(T0 + i * MIN, n));
    h.clock = T0 + HOUR;
    let next = 15;
    h.server.beforeAnswer = (_, call) => {
      if (call % 3 === 0 && next <= 24) {
        h.server.add(h.clock, id(next++));
        h.clock += SEC;
      }
    };
    await h.pollUntilDone();
    h.server.beforeAnswer = undefined;
    h.clock += MIN;
    await h.pollUntilDone();
    expect(h.emitted).toEqual(ids(2, next - 1));
  });

  it('a late lead inside the overlap window comes first, even when a backlog follows it', async () => {
    const h = harness({ perPage: 2, maxPages: 2 });
    h.server.add(T0, id(1));
    await h.poll();

    h.server.add(T0 - MIN, id(2)); // stamped before the cursor, written after the baseline
    ids(3, 14).forEach((n, i) => h.server.add(T0 + (i + 1) * MIN, n));
    h.clock = T0 + HOUR;
    await h.pollUntilDone();
    expect(h.emitted).toEqual(ids(2, 14));
  });

  it('a flood of arrivals during every page fetch: no poll claims hasMore without progress, nothing lost', async () => {
    const h = harness({ perPage: 2, maxPages: 2 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();
    ids(2, 12).forEach((n, i) => h.server.add(T0 + i * SEC, n));
    h.clock = T0 + MIN;
    let next = 13;
    h.server.beforeAnswer = () => {
      if (next <= 60) h.server.add(h.clock++, id(next++));
    };
    for (let i = 0; i < 30; i++) {
      const cursorBefore = h.stored === null ? null : h.state.cursor;
      const result = await h.poll();
      if (result.hasMore) expect(result.items.length > 0 || result.state.cursor !== cursorBefore).toBe(true);
    }
    h.server.beforeAnswer = undefined;
    for (let i = 0; i < 20; i++) {
      h.clock += MIN;
      await h.pollUntilDone();
    }
    expect(h.emitted).toEqual(ids(2, next - 1));
  });

  /** After a baseline, leads 2..last arrive within as many milliseconds: a backlog inside the overlap window. */
  async function burstInsideWindow(last: number) {
    const h = harness({ perPage: 2, maxPages: 3 });
    h.server.add(T0 - HOUR, id(1));
    await h.poll();
    ids(2, last).forEach((n, i) => h.server.add(T0 + i, n));
    h.clock = T0 + SEC;
    return h;
  }

  it('drains a burst inside the overlap window with two requests a page, not a re-read of the window at every step', async () => {
    const h = await burstInsideWindow(41);
    h.server.requests.length = 0;
    const perPoll: number[] = [];
    for (let more = true; more; ) {
      const before = h.server.requests.length;
      more = (await h.poll()).hasMore;
      perPoll.push(h.server.requests.length - before);
    }
    expect(h.emitted).toEqual(ids(2, 41));
    // The first steps sweep the window (the cursor jumped from the baseline); then each step
    // reads page 1 at the cursor (for total_pages) and the oldest page (and, when the lead at
    // the cursor sits alone on it, the one above): at most three requests, where re-reading
    // the window cost up to maxPages more at every step.
    const later = perPoll.slice(2);
    expect(later.length).toBeGreaterThan(10);
    expect(Math.max(...later)).toBeLessThanOrEqual(3);
    expect(Math.max(...perPoll.slice(0, 2))).toBeLessThanOrEqual(2 * 3 + 3);
    // Then the next scheduled poll re-reads the window for late leads, finding none.
    h.clock += 10 * SEC;
    expect(emittedIds(await h.poll())).toEqual([]);
  });

  it('a late lead written during a drain, stamped inside the overlap window, is still emitted, once', async () => {
    const h = await burstInsideWindow(21);
    await h.poll();
    await h.poll();
    h.server.add(T0 - 30 * SEC, id(99)); // stamped before the burst, written mid-drain
    await h.pollUntilDone();
    h.clock += MIN;
    await h.pollUntilDone();
    expect([...h.emitted].sort()).toEqual([...ids(2, 21), id(99)].sort());
    expect(h.emitted.filter((x) => x === id(99))).toHaveLength(1);
  });

  it('a first poll after an empty baseline drains the whole site', async () => {
    const h = harness({ perPage: 3, maxPages: 2 });
    await h.poll();
    ids(1, 10).forEach((n, i) => h.server.add(T0 + i * SEC, n));
    h.clock = T0 + MIN;
    await h.pollUntilDone();
    expect(h.emitted).toEqual(ids(1, 10));
  });
});

describe('poll: the overlap window and the cursor', () => {
  it('a late lead with a created_at inside the overlap window is emitted', async () => {
    const h = harness();
    h.server.add(T0, id(1));
    await h.poll();
    h.server.add(T0 - 90 * SEC, id(2)); // written late, stamped 90 s before the cursor
    h.clock = T0 + MIN;
    expect(emittedIds(await h.poll())).toEqual([id(2)]);
  });

  it('LIMIT: a late lead stamped before the overlap window is never emitted', async () => {
    const h = harness();
    h.server.add(T0, id(1));
    await h.poll();
    h.server.add(T0 - OVERLAP - 1, id(2));
    h.clock = T0 + MIN;
    expect(emittedIds(await h.poll())).toEqual([]);
  });

  it('never moves the cursor past now: a future-dated lead is emitted once and the cursor catches up later', async () => {
    const h = harness();
    h.server.add(T0 - MIN, id(1));
    await h.poll();

    h.server.add(T0 + HOUR, id(2));
    h.clock = T0 + MIN;
    expect(emittedIds(await h.poll())).toEqual([id(2)]);
    expect(h.state.cursor).toBe(iso(T0 + MIN));

    // Leads stamped before the future one still arrive and are emitted.
    h.server.add(T0 + 2 * MIN, id(3));
    h.clock = T0 + 3 * MIN;
    expect(emittedIds(await h.poll())).toEqual([id(3)]);
    expect(h.state.cursor).toBe(iso(T0 + 3 * MIN));

    h.clock = T0 + 2 * HOUR;
    expect(emittedIds(await h.poll())).toEqual([]);
    expect(h.state.cursor).toBe(iso(T0 + HOUR));
    expect(h.emitted).toEqual([id(2), id(3)]);
  });

  it('a future-dated lead at baseline does not push the cursor past now', async () => {
    const h = harness();
    h.server.add(T0 - MIN, id(1)).add(T0 + HOUR, id(2));
    await h.poll();
    expect(h.state.cursor).toBe(iso(T0));
    h.server.add(T0 + 30 * SEC, id(3));
    h.clock = T0 + MIN;
    expect(emittedIds(await h.poll())).toEqual([id(3)]);
  });

  it('never moves the cursor backwards, even when the clock does or only older leads come', async () => {
    const h = harness();
    h.server.add(T0, id(1));
    await h.poll();
    const cursors = [h.state.cursor];

    h.clock = T0 - HOUR; // clock set back
    h.server.add(T0 - MIN, id(2)); // a late lead, older than the cursor
    await h.poll();
    cursors.push(h.state.cursor);

    h.server.remove(id(1));
    await h.poll();
    cursors.push(h.state.cursor);

    expect(cursors).toEqual([iso(T0), iso(T0), iso(T0)]);
    expect(h.emitted).toEqual([id(2)]);
  });
});

describe('poll: the seen set', () => {
  it('is bounded by maxSeen, keeping the newest', async () => {
    const h = harness({ maxSeen: 3 });
    ids(1, 6).forEach((n, i) => h.server.add(T0 - 50 * SEC + i * SEC, n));
    await h.poll();
    expect(h.state.seen.map(([i]) => i)).toEqual([id(4), id(5), id(6)]);
  });

  it('forgets ids that fall out of the overlap window', async () => {
    const h = harness();
    h.server.add(T0 - 60 * SEC, id(1)).add(T0 - 30 * SEC, id(2)).add(T0, id(3));
    await h.poll();
    expect(h.state.seen.map(([i]) => i)).toEqual([id(1), id(2), id(3)]);

    h.server.add(T0 + 100 * SEC, id(4));
    h.clock = T0 + 2 * MIN;
    await h.poll();
    // Cursor T0 + 100 s: the window starts at T0 - 20 s.
    expect(h.state.seen).toEqual([
      [id(3), T0],
      [id(4), T0 + 100 * SEC],
    ]);
  });

  it('stays oldest first when a page interleaves with what was seen, and takes a stored list out of order', async () => {
    const h = harness({ maxSeen: 4 });
    h.server.add(T0 - 40 * SEC, id(1)).add(T0 - 20 * SEC, id(3));
    await h.poll();
    // A hand-edited state: the same ids, newest first.
    h.stored = JSON.stringify({ ...h.state, seen: [...h.state.seen].reverse() });
    h.server.add(T0 - 30 * SEC, id(2)).add(T0 - 10 * SEC, id(4)).add(T0 - 5 * SEC, id(5));
    h.clock = T0 + SEC;
    expect(emittedIds(await h.poll())).toEqual([id(2), id(4), id(5)]);
    expect(h.state.seen).toEqual([
      [id(2), T0 - 30 * SEC],
      [id(3), T0 - 20 * SEC],
      [id(4), T0 - 10 * SEC],
      [id(5), T0 - 5 * SEC],
    ]);
  });

  it('LIMIT: with more leads inside the overlap window than maxSeen, the forgotten ones are emitted again', async () => {
    const h = harness({ maxSeen: 2 });
    h.server.add(T0 - 3 * SEC, id(1)).add(T0 - 2 * SEC, id(2)).add(T0 - SEC, id(3));
    await h.poll();
    h.clock += MIN;
    expect(emittedIds(await h.poll())).toEqual([id(1)]);
  });
});

describe('poll: state', () => {
  it('is plain JSON and gives the same results after a round trip as in memory', async () => {
    const server = new FakeListServer();
    let clock = T0;
    const opts = { fetchPage: server.fetchPage, now: () => clock, overlapMs: OVERLAP, perPage: 2 };
    server.add(T0 - MIN, id(1), id(2));
    let live = (await poll({ ...opts, state: null })).state;
    let stored = JSON.stringify(live);
    for (let round = 0; round < 4; round++) {
      server.add(clock + SEC, id(10 + round * 2), id(11 + round * 2));
      clock += 30 * SEC;
      const a = await poll({ ...opts, state: live });
      const b = await poll({ ...opts, state: JSON.parse(stored) as PollState });
      expect(b.items).toEqual(a.items);
      expect(b.state).toEqual(a.state);
      expect(JSON.parse(JSON.stringify(a.state))).toEqual(a.state);
      live = a.state;
      stored = JSON.stringify(b.state);
    }
  });

  it('has the documented defaults', () => {
    expect(pollDefaults).toEqual({ overlapMs: 120_000, maxSeen: 5_000, maxPages: 10, perPage: 100 });
  });
});

describe('poll: a long random run', () => {
  /** Small deterministic PRNG (mulberry32). */
  const rng = (seed: number) => () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %p: every lead arriving after the baseline is emitted exactly once, oldest first', async (seed) => {
    const random = rng(seed);
    const h = harness({ perPage: 5, maxPages: 3, maxSeen: 1_000 });
    let next = 1;
    const arrive = () => {
      // Several leads may share a millisecond; stamps never run ahead of the clock.
      const count = Math.floor(random() * 3);
      for (let i = 0; i < count; i++) h.server.add(h.clock, id(next++));
      h.clock += Math.floor(random() * 40);
    };
    for (let i = 0; i < 5; i++) arrive();
    await h.poll();
    const firstAfterBaseline = next;
    h.server.beforeAnswer = () => {
      if (random() < 0.2) arrive();
    };
    for (let round = 0; round < 40; round++) {
      // Now and then a burst bigger than maxPages pages: a backlog.
      const burst = random() < 0.2 ? 20 : 3;
      for (let i = 0; i < burst; i++) arrive();
      h.clock += Math.floor(random() * 20 * SEC);
      await h.pollUntilDone();
    }
    h.server.beforeAnswer = undefined;
    // Scheduled polls until quiet.
    for (let quiet = 0; quiet < 3; ) {
      h.clock += MIN;
      const before = h.emitted.length;
      await h.pollUntilDone();
      quiet = h.emitted.length === before ? quiet + 1 : 0;
    }

    expect(h.emitted).toEqual(ids(firstAfterBaseline, next - 1));
  });
});
