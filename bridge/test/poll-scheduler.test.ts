import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createLogger } from '../src/logger.js';
import { localPolls } from '../src/polling/poll-scheduler.js';

/** A poll run that records when each site's polls start and end, and can be held open. */
function recorder() {
  const events: string[] = [];
  const held = new Map<string, () => void>();
  let failNext: string | undefined;
  const run = async (siteId: string) => {
    events.push(`start ${siteId} @${Date.now()}`);
    if (failNext === siteId) {
      failNext = undefined;
      throw new Error('the store went away');
    }
    await new Promise<void>((resolve) => (held.has(siteId) ? held.set(siteId, resolve) : resolve()));
    events.push(`end ${siteId}`);
  };
  return {
    run,
    events,
    /** The next poll of the site stays running until released. */
    hold: (siteId: string) => held.set(siteId, () => undefined),
    release: (siteId: string) => {
      const r = held.get(siteId);
      held.delete(siteId);
      r?.();
    },
    failNext: (siteId: string) => (failNext = siteId),
  };
}

const log = createLogger('silent');

describe('localPolls: the embedded store polls each site from timers in its own process', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs a poll when due; of two requests for a site the earlier wins, and it runs once', async () => {
    const r = recorder();
    const polls = localPolls(r.run, log);
    await polls.schedule('site_a', new Date(10_000));
    await polls.schedule('site_a', new Date(4_000));
    await polls.schedule('site_a', new Date(8_000));
    await jest.advanceTimersByTimeAsync(3_999);
    expect(r.events).toEqual([]);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(r.events).toEqual(['start site_a @4000', 'end site_a']);
    await polls.stop(1_000);
  });

  it('never polls one site twice at once: a poll asked for meanwhile runs once the running one ends', async () => {
    const r = recorder();
    const polls = localPolls(r.run, log);
    r.hold('site_a');
    await polls.schedule('site_a');
    await jest.advanceTimersByTimeAsync(0);
    await polls.schedule('site_a');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(r.events).toEqual(['start site_a @0']);
    r.release('site_a');
    await jest.advanceTimersByTimeAsync(0);
    expect(r.events).toEqual(['start site_a @0', 'end site_a', 'start site_a @5000', 'end site_a']);
    await polls.stop(1_000);
  });

  it('runs at most two polls at once; the others wait their turn in the order they fell due', async () => {
    const r = recorder();
    const polls = localPolls(r.run, log);
    for (const site of ['a', 'b', 'c', 'd']) {
      r.hold(site);
      await polls.schedule(site);
    }
    await jest.advanceTimersByTimeAsync(0);
    expect(r.events).toEqual(['start a @0', 'start b @0']);
    r.release('a');
    await jest.advanceTimersByTimeAsync(0);
    expect(r.events.slice(2)).toEqual(['end a', 'start c @0']);
    r.release('b');
    r.release('c');
    await jest.advanceTimersByTimeAsync(0);
    expect(r.events.slice(4).sort()).toEqual(['end b', 'end c', 'start d @0']);
    expect(r.events.indexOf('start d @0')).toBeGreaterThan(r.events.indexOf('end b'));
    r.release('d');
    await polls.stop(1_000);
  });

  it('a poll that failed outright is tried again after 5 s', async () => {
    const r = recorder();
    const polls = localPolls(r.run, log);
    r.failNext('site_a');
    await polls.schedule('site_a');
    await jest.advanceTimersByTimeAsync(4_999);
    expect(r.events).toEqual(['start site_a @0']);
    await jest.advanceTimersByTimeAsync(1);
    expect(r.events).toEqual(['start site_a @0', 'start site_a @5000', 'end site_a']);
    await polls.stop(1_000);
  });

  it('ensure keeps a recorded next poll (a backoff survives a restart) and brings no due poll forward', async () => {
    const r = recorder();
    const polls = localPolls(r.run, log);
    await polls.schedule('site_b', new Date(9_000));
    await polls.ensure([
      { id: 'site_a', next_poll_at: new Date(60_000) },
      { id: 'site_b', next_poll_at: null },
      { id: 'site_c', next_poll_at: new Date(-5_000) },
    ]);
    await jest.advanceTimersByTimeAsync(100_000);
    expect(r.events.filter((e) => e.startsWith('start'))).toEqual(['start site_c @0', 'start site_b @9000', 'start site_a @60000']);
    await polls.stop(1_000);
  });

  it('after stop nothing new runs, and stop waits for the running poll up to the grace period', async () => {
    const r = recorder();
    const polls = localPolls(r.run, log);
    r.hold('site_a');
    await polls.schedule('site_a');
    await polls.schedule('site_b', new Date(1_000));
    await jest.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = polls.stop(10_000).then(() => (stopped = true));
    await polls.schedule('site_c');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(stopped).toBe(false);
    r.release('site_a');
    await jest.advanceTimersByTimeAsync(0);
    await stopping;
    expect(r.events).toEqual(['start site_a @0', 'end site_a']);
  });
});
