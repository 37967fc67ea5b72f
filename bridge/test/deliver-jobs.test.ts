import { describe, expect, it } from '@jest/globals';
import { MAX_DELIVERIES_PER_JOB, deliverJobs, jobDeliveryIds } from '../src/queue.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `msg_${String(i + 1).padStart(4, '0')}`);
const carried = (jobs: ReturnType<typeof deliverJobs>) => jobs.map((j) => jobDeliveryIds(j.data!));

describe('deliverJobs: how new deliveries of one subscription are carried by queue jobs', () => {
  it('one new lead is one job of one delivery, in the subscription group', () => {
    const jobs = deliverJobs(['msg_1'], 'sub_1', 4);
    expect(carried(jobs)).toEqual([['msg_1']]);
    expect(jobs[0]!.group).toEqual({ id: 'sub_1' });
    expect(jobs[0]!.startAfter).toBeUndefined();
  });

  it('a page of 100 is as many jobs as the subscription may run at once, dealt round-robin', () => {
    const jobs = deliverJobs(ids(100), 'sub_1', 4);
    expect(carried(jobs).map((c) => c.length)).toEqual([25, 25, 25, 25]);
    // Side by side, the four jobs deliver 1, 2, 3, 4, then 5, 6, 7, 8...
    expect(carried(jobs).map((c) => c.slice(0, 2))).toEqual([
      ['msg_0001', 'msg_0005'],
      ['msg_0002', 'msg_0006'],
      ['msg_0003', 'msg_0007'],
      ['msg_0004', 'msg_0008'],
    ]);
    expect(carried(jobs).flat().sort()).toEqual(ids(100));
    expect(new Set(jobs.map((j) => j.id)).size).toBe(4);
  });

  it('never puts more than MAX_DELIVERIES_PER_JOB in one job, and loses none', () => {
    for (const [n, parallel] of [[1_000, 4], [120, 1], [3, 8], [51, 1]] as const) {
      const jobs = deliverJobs(ids(n), 'sub_1', parallel);
      expect(Math.max(...carried(jobs).map((c) => c.length))).toBeLessThanOrEqual(MAX_DELIVERIES_PER_JOB);
      expect(jobs.length).toBe(Math.max(Math.min(n, parallel), Math.ceil(n / MAX_DELIVERIES_PER_JOB)));
      expect(carried(jobs).flat().sort()).toEqual(ids(n));
    }
  });

  it('nothing to carry is no job; a later start is kept', () => {
    expect(deliverJobs([], 'sub_1', 4)).toEqual([]);
    const at = new Date('2026-12-02T12:00:00Z');
    expect(deliverJobs(ids(2), 'sub_1', 4, at).every((j) => j.startAfter === at)).toBe(true);
  });

  it('reads jobs queued by the previous version, which carried one delivery', () => {
    expect(jobDeliveryIds({ deliveryId: 'msg_old' })).toEqual(['msg_old']);
    expect(jobDeliveryIds({ deliveryIds: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(jobDeliveryIds({})).toEqual([]);
  });
});
