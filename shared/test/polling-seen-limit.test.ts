/**
 * A backlog bigger than the seen set, all inside the overlap window (e.g. 10,000 leads in a
 * minute, maxSeen 5,000): the drain must still reach the end. It used to re-read and re-emit
 * the oldest forgotten page forever (found by the bridge benchmark).
 */
import { describe, expect, it } from '@jest/globals';
import { poll, type PollState } from '@leadtosheet/shared';
import { FakeListServer, type Item } from './support/fake-list-server.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const id = (n: number) => `n${String(n).padStart(4, '0')}`;

describe('poll: a backlog drain with more leads in the overlap window than maxSeen', () => {
  it('emits every lead once, oldest first, and stops', async () => {
    const server = new FakeListServer();
    const clock = T0;
    const options = { fetchPage: server.fetchPage, now: () => clock, overlapMs: 2 * 60_000, perPage: 5, maxPages: 2, maxSeen: 20 };
    let state: PollState = (await poll<Item>({ ...options, state: null })).state;
    // 100 leads, 10 ms apart: all inside the two-minute overlap window.
    for (let n = 1; n <= 100; n++) server.add(T0 - 60_000 + n * 10, id(n));

    const emitted: string[] = [];
    let polls = 0;
    for (let more = true; more; ) {
      if (++polls > 200) throw new Error(`the drain did not finish: ${emitted.length} of 100 emitted after 200 polls`);
      const result = await poll<Item>({ ...options, state: JSON.parse(JSON.stringify(state)) as PollState });
      emitted.push(...result.items.map((i) => i.id));
      state = result.state;
      more = result.hasMore;
    }
    expect(emitted).toEqual(Array.from({ length: 100 }, (_, i) => id(i + 1)));
    // And the next scheduled poll finds nothing new.
    expect((await poll<Item>({ ...options, state })).items).toEqual([]);
  });
});
