/**
 * The bridge end to end, on both stores: leads created in the sandbox reach real local
 * receivers, signed (checked with the official standardwebhooks library), once per
 * subscription, with every retry rule, 410, Retry-After, parking, the delivery log,
 * manual retry and recovery, secret rotation and a revoked key.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { pollDefaults } from '@leadtosheet/shared';
import { addSite, api, freshPgDatabase, startReceiver, startSandboxSite, startTestBridge, STORES, waitFor, type BridgeUnderTest, type SandboxSite } from './support/bridge-harness.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe.each(STORES)('bridge delivery (%s store)', (store) => {
  let base: SandboxSite;
  let bridge: BridgeUnderTest;
  let pgDb: Awaited<ReturnType<typeof freshPgDatabase>> | undefined;
  const receivers: Receiver[] = [];
  let sites = 0;

  beforeAll(async () => {
    base = await startSandboxSite('Base');
    if (store === 'postgres') pgDb = await freshPgDatabase();
    bridge = await startTestBridge(store, base.api.baseUrl, {}, pgDb?.url);
  });

  afterAll(async () => {
    await bridge?.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await base?.sandbox.close();
    await pgDb?.drop();
  });

  const site = () => addSite(base.sandbox, base.api, `Site${++sites}`);
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };
  const subscribe = async (s: SandboxSite, url: string, extra: Record<string, unknown> = {}, key = s.keys.full) => {
    const res = await api(bridge.url, key, 'POST', '/v1/subscriptions', { url, ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string };
  };
  const lead = (s: SandboxSite, email: string, formName = 'Contact') => s.sandbox.createSubmission(s.siteId, { formName, fields: { Email: email } });
  const deliveries = async (s: SandboxSite, subId: string, query = '') => (await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions/${subId}/deliveries${query}`)).body.data as any[];

  it('delivers every new lead once, signed per Standard Webhooks, with the documented body', async () => {
    const s = site();
    const r = await receiver();
    const sub = await subscribe(s, r.url);
    const created = ['a@example.com', 'b@example.com', 'c@example.com'].map((e) => lead(s, e));
    await waitFor('3 deliveries', () => r.received.length >= 3);
    await new Promise((res) => setTimeout(res, 1500));
    expect(r.received).toHaveLength(3);
    const verifier = new Webhook(sub.secret);
    const bodies = r.received.map((m) => {
      expect(m.headers['webhook-id']).toMatch(/^msg_/);
      expect(m.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
      expect(m.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      expect(m.headers['content-type']).toBe('application/json');
      return verifier.verify(m.body, m.headers as Record<string, string>) as any;
    });
    expect(new Set(r.received.map((m) => m.headers['webhook-id'])).size).toBe(3);
    expect(bodies.map((b) => b.data.id).sort()).toEqual(created.map((c) => c.id).sort());
    for (const b of bodies) {
      expect(b.type).toBe('submission.created');
      expect(Date.parse(b.timestamp)).not.toBeNaN();
      expect(b.data).toMatchObject({ form_name: 'Contact', fields: { Email: expect.stringMatching(/@example\.com$/) } });
    }
    const log = await deliveries(s, sub.id);
    expect(log.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('sets a baseline: leads from before the subscription are not pushed', async () => {
    const s = site();
    lead(s, 'old@example.com');
    const r = await receiver();
    await subscribe(s, r.url);
    const fresh = lead(s, 'new@example.com');
    await waitFor('the new lead', () => r.received.length >= 1);
    await new Promise((res) => setTimeout(res, 1500));
    expect(r.received.map((m) => JSON.parse(m.body).data.id)).toEqual([fresh.id]);
  });

  it('honours form filters and keeps sites apart', async () => {
    const s = site();
    const other = site();
    const all = await receiver();
    const contactOnly = await receiver();
    await subscribe(s, all.url);
    await subscribe(s, contactOnly.url, { form_id: s.formIds.Contact });
    const otherSite = await receiver();
    await subscribe(other, otherSite.url);
    lead(s, 'contact@example.com', 'Contact');
    lead(s, 'news@example.com', 'Newsletter');
    lead(other, 'elsewhere@example.com', 'Contact');
    await waitFor('deliveries', () => all.received.length >= 2 && contactOnly.received.length >= 1 && otherSite.received.length >= 1);
    await new Promise((res) => setTimeout(res, 1500));
    expect(all.received.map((m) => JSON.parse(m.body).data.fields.Email).sort()).toEqual(['contact@example.com', 'news@example.com']);
    expect(contactOnly.received.map((m) => JSON.parse(m.body).data.fields.Email)).toEqual(['contact@example.com']);
    expect(otherSite.received.map((m) => JSON.parse(m.body).data.fields.Email)).toEqual(['elsewhere@example.com']);
  });

  it('retries failures on the schedule with the same webhook-id, and logs every attempt', async () => {
    const s = site();
    const r = await receiver([{ status: 500 }, { status: 502 }]);
    const sub = await subscribe(s, r.url);
    lead(s, 'retry@example.com');
    await waitFor('3 attempts', () => r.received.length >= 3, 30_000);
    expect(new Set(r.received.map((m) => m.headers['webhook-id'])).size).toBe(1);
    const [d] = await waitFor('succeeded', async () => {
      const list = await deliveries(s, sub.id);
      return list[0]?.status === 'succeeded' && list;
    });
    const detail = (await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions/${sub.id}/deliveries/${d.id}`)).body;
    expect(detail.attempts).toBe(3);
    expect(detail.attempt_log.map((a: any) => a.status_code)).toEqual([500, 502, 204]);
    expect(detail.attempt_log[0]).toMatchObject({ response_body: 'answer 500', error: 'HTTP 500' });
    for (const a of detail.attempt_log) expect(a.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('carries a poll\'s leads in a few jobs; a failure hands the rest on and each lead keeps its own attempts', async () => {
    const s = site();
    // The third request fails once; everything else succeeds.
    const r = await receiver([{ status: 204 }, { status: 204 }, { status: 503 }]);
    const sub = await subscribe(s, r.url);
    const created = Array.from({ length: 20 }, (_, i) => lead(s, `batch${i}@example.com`).id);
    await waitFor('20 leads delivered', () => new Set(r.received.filter((m) => !m.body.includes('"test":true')).map((m) => JSON.parse(m.body).data.id)).size >= 20 && r.received.length >= 21, 30_000);
    await new Promise((res) => setTimeout(res, 1000));
    // 20 leads, one of them twice (the failure and its retry), under one webhook-id.
    expect(r.received).toHaveLength(21);
    const byLead = new Map<string, Set<string>>();
    for (const m of r.received) {
      const id = JSON.parse(m.body).data.id as string;
      byLead.set(id, (byLead.get(id) ?? new Set()).add(String(m.headers['webhook-id'])));
    }
    expect([...byLead.keys()].sort()).toEqual([...created].sort());
    for (const ids of byLead.values()) expect(ids.size).toBe(1);
    const list = await waitFor('all succeeded', async () => {
      const l = await deliveries(s, sub.id, '?limit=100');
      return l.length === 20 && l.every((d) => d.status === 'succeeded') && l;
    });
    expect(list.map((d: any) => d.attempts).sort()).toEqual([...Array(19).fill(1), 2]);
    // The queue saw a few jobs, not one per delivery: the page's 20 in at most
    // SUBSCRIPTION_CONCURRENCY (4) jobs, then one for the rest after the failure and one retry.
    const [jobs] = await bridge.bridge.services.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'lts-deliver' AND group_id = $1`, [sub.id]);
    expect(jobs!.n).toBeGreaterThanOrEqual(3);
    expect(jobs!.n).toBeLessThanOrEqual(6);
  });

  it('drains a backlog of several pages: each lead once, pages committed in order', async () => {
    const s = site();
    const r = await receiver();
    await subscribe(s, r.url);
    // More than an ordinary poll reads (maxPages pages of perPage): a backlog, drained a page
    // per commit behind the read-ahead's hold.
    const N = pollDefaults.maxPages * pollDefaults.perPage + 2 * pollDefaults.perPage;
    const created = Array.from({ length: N }, (_, i) => lead(s, `backlog${i}@example.com`).id);
    const received = () => r.received.map((m) => JSON.parse(m.body).data.id as string);
    await waitFor(`${N} leads delivered`, () => new Set(received()).size >= N, 90_000);
    await new Promise((res) => setTimeout(res, 1500));
    expect(received().sort()).toEqual([...created].sort());
    expect(new Set(r.received.map((m) => m.headers['webhook-id'])).size).toBe(N);
    // One event per lead, and a page's events committed after the page before it: in the
    // order the leads were created, each event's poll is no earlier than the previous one's.
    const events = await bridge.bridge.services.db.query<{ submission_id: string; polled_at: Date }>(
      `SELECT submission_id, polled_at FROM lts_bridge.events WHERE submission_id = ANY($1)`, [created]);
    expect(events).toHaveLength(N);
    const polledAt = new Map(events.map((e) => [e.submission_id, new Date(e.polled_at).getTime()]));
    const inOrder = created.map((id) => polledAt.get(id)!);
    expect(new Set(inOrder).size).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < inOrder.length; i++) expect(inOrder[i]).toBeGreaterThanOrEqual(inOrder[i - 1]!);
  });

  it('still runs a job queued by an earlier version (one delivery per job)', async () => {
    const s = site();
    const r = await receiver();
    const sub = await subscribe(s, r.url);
    lead(s, 'first@example.com');
    await waitFor('first lead', () => r.received.length >= 1);
    const d = await waitFor('first delivery recorded', async () => (await deliveries(s, sub.id)).find((x: any) => x.status === 'succeeded'));
    // Put the delivery back in line as an older bridge would have: a job holding { deliveryId }.
    const { db, boss } = bridge.bridge.services;
    const jobId = randomUUID();
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE lts_bridge.deliveries SET status = 'pending', job_id = $2 WHERE id = $1`, [d.id, jobId]);
      await boss.insert('lts-deliver', [{ id: jobId, data: { deliveryId: d.id }, group: { id: sub.id } }], { db: tx.bossDb });
    });
    bridge.bridge.services.wake();
    await waitFor('delivered again', () => r.received.length >= 2, 15_000);
    expect(r.received[1]!.headers['webhook-id']).toBe(d.id);
    const again = await waitFor('succeeded', async () => (await deliveries(s, sub.id)).find((x: any) => x.id === d.id && x.status === 'succeeded' && x.attempts === 2));
    expect(again).toBeTruthy();
  });

  it('waits exactly the receiver\'s Retry-After on 429', async () => {
    const s = site();
    const r = await receiver([{ status: 429, headers: { 'retry-after': '2' } }]);
    await subscribe(s, r.url);
    lead(s, 'slowdown@example.com');
    await waitFor('2 attempts', () => r.received.length >= 2, 30_000);
    expect(r.received[1]!.at - r.received[0]!.at).toBeGreaterThanOrEqual(2000);
  });

  it('parks a delivery after the last retry; it can be retried by hand and recovered', async () => {
    const s = site();
    const r = await receiver([], { status: 500 });
    const sub = await subscribe(s, r.url);
    lead(s, 'park1@example.com');
    const [parked] = await waitFor('parked', async () => {
      const list = await deliveries(s, sub.id, '?status=parked');
      return list.length === 1 && list;
    }, 30_000);
    expect(parked).toMatchObject({ status: 'parked', attempts: 4, last_status_code: 500, next_attempt_at: null });
    expect(parked.last_error).toMatch(/gave up after 4 attempts/);
    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    expect(metrics).toMatch(/lts_bridge_queue_depth\{status="parked"\} [1-9]/);

    r.answerWith({ status: 204 });
    const retried = await api(bridge.url, s.keys.full, 'POST', `/v1/subscriptions/${sub.id}/deliveries/${parked.id}/retry`);
    expect(retried.status).toBe(202);
    await waitFor('retried delivery succeeded', async () => (await deliveries(s, sub.id))[0]?.status === 'succeeded');
    expect((await api(bridge.url, s.keys.full, 'POST', `/v1/subscriptions/${sub.id}/deliveries/${parked.id}/retry`)).status).toBe(409);

    r.answerWith({ status: 500 });
    const since = new Date().toISOString();
    lead(s, 'park2@example.com');
    lead(s, 'park3@example.com');
    await waitFor('2 more parked', async () => (await deliveries(s, sub.id, '?status=parked')).length === 2, 30_000);
    r.answerWith({ status: 200 });
    const recovered = await api(bridge.url, s.keys.full, 'POST', `/v1/subscriptions/${sub.id}/recover`, { since });
    expect(recovered).toMatchObject({ status: 202, body: { recovered: 2 } });
    await waitFor('all succeeded', async () => (await deliveries(s, sub.id)).every((d) => d.status === 'succeeded'));
    const bad = await api(bridge.url, s.keys.full, 'POST', `/v1/subscriptions/${sub.id}/recover`, { since: 'yesterday' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('since');
  });

  it('disables the subscription when the receiver answers 410 Gone', async () => {
    const s = site();
    const r = await receiver([], { status: 410 });
    const sub = await subscribe(s, r.url);
    lead(s, 'gone@example.com');
    const got = await waitFor('disabled', async () => {
      const res = (await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions/${sub.id}`)).body;
      return res.status === 'disabled' && res;
    });
    expect(got.disabled_reason).toMatch(/410 Gone/);
    expect((await deliveries(s, sub.id))[0]).toMatchObject({ status: 'parked', last_status_code: 410 });
    lead(s, 'after-gone@example.com');
    await new Promise((res) => setTimeout(res, 2500));
    expect(r.received).toHaveLength(1);
  });

  it('does not follow redirects, times out slow receivers, caps what it reads', async () => {
    const s = site();
    const r = await receiver([
      { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } },
      { status: 204, delayMs: 3000 },
      { status: 500, body: 'x'.repeat(200_000) },
    ]);
    const sub = await subscribe(s, r.url);
    lead(s, 'edge@example.com');
    await waitFor('4 attempts', () => r.received.length >= 4, 30_000);
    const [d] = await waitFor('succeeded', async () => {
      const list = await deliveries(s, sub.id);
      return list[0]?.status === 'succeeded' && list;
    });
    const log = (await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions/${sub.id}/deliveries/${d.id}`)).body.attempt_log;
    expect(log[0]).toMatchObject({ status_code: 302, error: 'HTTP 302' });
    expect(log[1]).toMatchObject({ status_code: null, error: expect.stringMatching(/timed out after 2000 ms/) });
    expect(log[2].status_code).toBe(500);
    expect(log[2].response_body.length).toBeLessThanOrEqual(1024);
  });

  it('signs with both secrets while one rotates; each verifies on its own', async () => {
    const s = site();
    const r = await receiver();
    const sub = await subscribe(s, r.url);
    const rotated = (await api(bridge.url, s.keys.full, 'POST', `/v1/subscriptions/${sub.id}/rotate-secret`)).body;
    lead(s, 'rotate@example.com');
    await waitFor('delivery', () => r.received.length >= 1);
    const m = r.received[0]!;
    expect(String(m.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => new Webhook(sub.secret).verify(m.body, m.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(m.body, m.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(`whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`).verify(m.body, m.headers as Record<string, string>)).toThrow();
  });

  it('sends a test event on demand and logs it', async () => {
    const s = site();
    const r = await receiver();
    const sub = await subscribe(s, r.url);
    const res = await api(bridge.url, s.keys.full, 'POST', `/v1/subscriptions/${sub.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: true, status_code: 204 });
    const body = new Webhook(sub.secret).verify(r.received[0]!.body, r.received[0]!.headers as Record<string, string>) as any;
    expect(body).toMatchObject({ type: 'submission.created', test: true, data: { fields: { Email: 'test.lead@example.com' } } });
    expect((await deliveries(s, sub.id))[0]).toMatchObject({ id: res.body.delivery_id, status: 'succeeded' });
    const detail = (await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions/${sub.id}/deliveries/${res.body.delivery_id}`)).body;
    expect(detail).toMatchObject({ attempts: 1, last_status_code: 204 });
    expect(detail.attempt_log).toEqual([{ at: expect.any(String), status_code: 204, latency_ms: res.body.latency_ms, response_body: null, error: null }]);
  });

  it('a slow receiver does not hold up another subscription', async () => {
    const s = site();
    const slow = await receiver([], { status: 204, delayMs: 1500 });
    const fast = await receiver();
    await subscribe(s, slow.url);
    await subscribe(s, fast.url);
    for (let i = 0; i < 12; i++) lead(s, `burst${i}@example.com`);
    await waitFor('fast receiver got all 12', () => fast.received.length >= 12, 30_000);
    expect(slow.received.length).toBeLessThan(12);
    await waitFor('slow receiver got all 12', () => slow.received.length >= 12, 60_000);
    // SUBSCRIPTION_CONCURRENCY (default 4) bounds what one receiver has open at once.
    expect(slow.maxInFlight()).toBeLessThanOrEqual(4);
    expect(slow.maxInFlight()).toBeGreaterThan(1);
  });

  it('marks subscriptions auth_failed when the key is revoked, and loses nothing once re-subscribed', async () => {
    const s = site();
    const r = await receiver();
    const temp = s.sandbox.createKey(s.siteId, { name: 'soon revoked', scopes: ['submissions:read'] });
    const sub = await subscribe(s, r.url, {}, temp.key);
    s.sandbox.revokeKey(temp.api_key.id);
    const during = lead(s, 'during-outage@example.com');
    const failed = await waitFor('auth_failed', async () => {
      const res = (await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions/${sub.id}`)).body;
      return res.status === 'auth_failed' && res;
    });
    expect(failed.disabled_reason).toMatch(/refused the API key/);
    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    expect(metrics).toMatch(/lts_bridge_sites_auth_failed [1-9]/);
    expect(metrics).toMatch(/lts_bridge_poll_errors_total\{code="invalid_token"\} [1-9]/);
    // Not silence: the subscription got one signed site.auth_failed event, and no lead.
    await waitFor('the site.auth_failed notice', () => r.received.length >= 1);
    expect(r.received).toHaveLength(1);
    const notice = new Webhook(sub.secret).verify(r.received[0]!.body, r.received[0]!.headers as Record<string, string>) as any;
    expect(notice).toMatchObject({ type: 'site.auth_failed', data: { site_id: s.siteId, key_prefix: expect.stringMatching(/^lts_/), message: expect.stringMatching(/refused the API key/) } });
    expect(JSON.stringify(notice)).not.toContain(temp.key);

    await subscribe(s, `${r.url}?second`, {}, s.keys.full);
    expect((await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions/${sub.id}`)).body.status).toBe('active');
    await waitFor('the lead from the outage', () => r.received.some((m) => JSON.parse(m.body).data.id === during.id));
  });
});
