import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { NodeApiError } from 'n8n-workflow';
import { BURST_LIMITS } from '../nodes/LeadToSheetTrigger/poll-submissions';
import { api, API, byId, errorBody, fromList, rejection, submission, triggerHost } from './helpers';

/**
 * A submissions list answered like the API: newest first, `since` inclusive, `form_id`,
 * `page`/`per_page`, with `pagination`. Leads are added between polls with `add`.
 */
function fakeList() {
	const leads: Array<ReturnType<typeof submission>> = [];
	const queries: Array<Record<string, string>> = [];
	let sorted: Array<{ l: ReturnType<typeof submission>; ms: number }> | undefined;
	/** Requests from this one on (by count) are answered 503. */
	let failFrom = Infinity;
	const scope = api()
		.get(`${API}/submissions`)
		.query(true)
		.reply((request: Request) => {
			const q = Object.fromEntries(new URL(request.url).searchParams);
			queries.push(q);
			if (queries.length >= failFrom) return [503, errorBody('internal_error', 'Maintenance')];
			const perPage = Number(q.per_page ?? 25);
			const at = Number(q.page ?? 1);
			// Sorted once per change, not per request: the burst tests read 10,000 leads page by page.
			sorted ??= leads.map((l) => ({ l, ms: Date.parse(l.created_at) })).sort((a, b) => b.ms - a.ms);
			const since = q.since ? Date.parse(q.since) : -Infinity;
			const matching = sorted.filter(({ l, ms }) => ms >= since && (q.form_id ? l.form_id === q.form_id : true)).map(({ l }) => l);
			const data = matching.slice((at - 1) * perPage, at * perPage);
			return [200, { data, pagination: { page: at, per_page: perPage, total: matching.length, total_pages: Math.ceil(matching.length / perPage) } }];
		})
		.persist();
	return {
		scope,
		queries,
		add: (...added: Array<ReturnType<typeof submission>>) => {
			leads.push(...added);
			sorted = undefined;
		},
		/** The next `n` requests are answered, every later one is a 503 (null: all answered again). */
		failAfter: (n: number | null) => {
			failFrom = n === null ? Infinity : queries.length + n + 1;
		},
	};
}

const minutesAgo = (m: number, ms = 0) => new Date(Date.now() - m * 60_000 + ms).toISOString();
const ids = (out: Array<Array<{ json: Record<string, unknown> }>> | null) => out?.[0]?.map((i) => i.json.id) ?? null;

let list: ReturnType<typeof fakeList> | undefined;
afterEach(() => {
	list?.scope.persist(false);
	list = undefined;
});

describe('LeadToSheet Trigger', () => {
	it('the first activation sets a baseline and emits nothing; later polls emit only new leads, oldest first', async () => {
		list = fakeList();
		const newestOld = minutesAgo(20);
		list.add(submission('old_1', minutesAgo(30)), submission('old_2', newestOld));
		const host = triggerHost();

		expect(await host.poll()).toBeNull();
		expect(host.staticData).toMatchObject({ formId: '', pollState: { v: 1, cursor: newestOld } });

		expect(await host.poll()).toBeNull();

		list.add(submission('new_b', minutesAgo(1)), submission('new_a', minutesAgo(2)));
		expect(ids(await host.poll())).toEqual(['new_a', 'new_b']);
		expect(await host.poll()).toBeNull();
		list.scope.done();
	});

	it('leads sharing the cursor millisecond are emitted once each, never twice', async () => {
		list = fakeList();
		const tie = minutesAgo(5);
		list.add(submission('tie_1', tie));
		const host = triggerHost();
		await host.poll();

		list.add(submission('tie_2', tie), submission('tie_3', tie));
		const emitted = ids(await host.poll());
		expect(emitted).toHaveLength(2);
		expect(emitted).toEqual(expect.arrayContaining(['tie_2', 'tie_3']));
		expect(await host.poll()).toBeNull();

		list.add(submission('tie_4', tie));
		expect(ids(await host.poll())).toEqual(['tie_4']);
	});

	it('asks again from shortly before the cursor, so late writes inside the overlap are not lost', async () => {
		list = fakeList();
		list.add(submission('first', minutesAgo(10)));
		const host = triggerHost();
		await host.poll();
		list.add(submission('late', minutesAgo(10, -1)));
		expect(ids(await host.poll())).toEqual(['late']);
		const since = list.queries.at(-1)!.since!;
		expect(Date.parse(since)).toBeLessThan(Date.parse(minutesAgo(10, -1)));
	});

	it('the cursor never moves past now, even when a lead is dated in the future', async () => {
		list = fakeList();
		list.add(submission('future', new Date(Date.now() + 3_600_000).toISOString()));
		const host = triggerHost();
		await host.poll();
		const cursor = Date.parse((host.staticData.pollState as { cursor: string }).cursor);
		expect(cursor).toBeLessThanOrEqual(Date.now());
	});

	it('an empty site baselines too, then emits the first lead', async () => {
		list = fakeList();
		const host = triggerHost();
		expect(await host.poll()).toBeNull();
		expect(host.staticData.pollState).toEqual({ v: 1, cursor: null, seen: [] });
		list.add(submission('first', minutesAgo(1)));
		expect(ids(await host.poll())).toEqual(['first']);
	});

	it('the form filter is sent on every request, and changing it starts a new baseline', async () => {
		list = fakeList();
		list.add(submission('a1', minutesAgo(9), { form_id: 'frm_a' }), submission('b1', minutesAgo(8), { form_id: 'frm_b' }));
		const onA = triggerHost({ form: fromList('frm_a') });
		await onA.poll();
		list.add(submission('b2', minutesAgo(3), { form_id: 'frm_b' }), submission('a2', minutesAgo(2), { form_id: 'frm_a' }));
		expect(ids(await onA.poll())).toEqual(['a2']);
		expect(list.queries.every((q) => q.form_id === 'frm_a')).toBe(true);

		// Same workflow, filter switched to form B: the stored state belongs to form A.
		const onB = triggerHost({ form: byId('frm_b') });
		Object.assign(onB.staticData, onA.staticData);
		expect(await onB.poll()).toBeNull();
		expect(onB.staticData.formId).toBe('frm_b');
		list.add(submission('b3', minutesAgo(1), { form_id: 'frm_b' }));
		expect(ids(await onB.poll())).toEqual(['b3']);
	});

	it('state it did not write (another version, corrupted) is replaced by a fresh baseline', async () => {
		list = fakeList();
		list.add(submission('x', minutesAgo(3)));
		const host = triggerHost();
		Object.assign(host.staticData, { formId: '', pollState: { v: 99, cursor: 7 } });
		expect(await host.poll()).toBeNull();
		expect(host.staticData.pollState).toMatchObject({ v: 1 });
	});
});

describe('LeadToSheet Trigger: a burst larger than one engine step (hasMore) is followed within the poll', () => {
	/** `count` leads, oldest first, spread evenly over [fromMin, toMin] minutes ago; `tie` leads share each millisecond. */
	function burst(count: number, fromMin: number, toMin: number, tie = 1, prefix = 'b') {
		const start = Date.now() - fromMin * 60_000;
		const step = ((fromMin - toMin) * 60_000) / Math.ceil(count / tie);
		return Array.from({ length: count }, (_, i) => submission(`${prefix}_${String(i).padStart(5, '0')}`, new Date(start + Math.floor(i / tie) * step).toISOString()));
	}
	const emitted = (out: Awaited<ReturnType<ReturnType<typeof triggerHost>['poll']>>) => (out?.[0] ?? []).map((i) => i.json as { id: string; created_at: string });
	const inOrder = (items: Array<{ created_at: string }>) => items.every((item, i) => i === 0 || Date.parse(items[i - 1]!.created_at) <= Date.parse(item.created_at));

	async function baselined(leads = [submission('old', new Date(Date.now() - 60 * 60_000).toISOString())]) {
		list = fakeList();
		list.add(...leads);
		const host = triggerHost();
		expect(await host.poll()).toBeNull();
		return host;
	}

	it.each([
		['spread over 40 minutes', 40, 1, 1],
		['inside the overlap window, three to a millisecond', 1, 0.2, 3],
	])('2,500 new leads %s: one poll emits them all, oldest first, each once; the next emits nothing', async (_shape, fromMin, toMin, tie) => {
		const host = await baselined();
		const leads = burst(2_500, fromMin, toMin, tie);
		list!.add(...[...leads].reverse());
		const out = emitted(await host.poll());
		expect(out).toHaveLength(2_500);
		expect(new Set(out.map((i) => i.id)).size).toBe(2_500);
		expect(inOrder(out)).toBe(true);
		if (tie === 1) expect(out.map((i) => i.id)).toEqual(leads.map((l) => l.id));
		expect(await host.poll()).toBeNull();
		list!.scope.done();
	});

	it(`past ${BURST_LIMITS.maxLeads} leads the poll stops; the next poll goes on from there, nothing lost or repeated`, async () => {
		const host = await baselined();
		// Dense (a page of news costs about three requests), so the lead cap comes before the page cap.
		const leads = burst(BURST_LIMITS.maxLeads + 250, 1.5, 0.1);
		list!.add(...leads);
		const before = list!.queries.length;
		const first = emitted(await host.poll());
		expect(list!.queries.length - before).toBeLessThan(BURST_LIMITS.maxPages);
		// A step brings at most a page (100): the poll stops when the next one could go past the cap.
		expect(first.length).toBeLessThanOrEqual(BURST_LIMITS.maxLeads);
		expect(first.length).toBeGreaterThan(BURST_LIMITS.maxLeads - 100);
		expect(first.map((i) => i.id)).toEqual(leads.slice(0, first.length).map((l) => l.id));
		list!.add(submission('meanwhile', new Date().toISOString()));
		const second = emitted(await host.poll());
		expect(second.map((i) => i.id)).toEqual([...leads.slice(first.length).map((l) => l.id), 'meanwhile']);
		expect(await host.poll()).toBeNull();
	});

	it(`past about ${BURST_LIMITS.maxPages} pages read the poll stops; the next poll goes on from there`, async () => {
		const host = await baselined();
		// Spread out: the drain re-reads the overlap window every other step, six or seven requests a page of news.
		const leads = burst(8_000, 55, 1);
		list!.add(...leads);
		const before = list!.queries.length;
		const first = emitted(await host.poll());
		const read = list!.queries.length - before;
		expect(read).toBeGreaterThanOrEqual(BURST_LIMITS.maxPages);
		expect(read).toBeLessThanOrEqual(BURST_LIMITS.maxPages + 23);
		expect(first.length).toBeLessThan(8_000);
		const second = emitted(await host.poll());
		expect([...first, ...second].map((i) => i.id)).toEqual(leads.map((l) => l.id));
		expect(await host.poll()).toBeNull();
	});

	it(`no step starts after ${BURST_LIMITS.maxMs / 1000} s; the next poll goes on from there`, async () => {
		const host = await baselined();
		const leads = burst(1_500, 30, 1);
		list!.add(...leads);
		const realNow = Date.now.bind(Date);
		let offset = 0;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
		try {
			const before = list!.queries.length;
			const scope = list!.scope;
			scope.on('request', () => {
				// The poll's fourth request: well into its second step. Time jumps past the budget.
				if (list!.queries.length === before + 3) offset += BURST_LIMITS.maxMs;
			});
			const first = emitted(await host.poll());
			expect(first.length).toBeGreaterThan(0);
			expect(first.length).toBeLessThan(1_500);
			const second = emitted(await host.poll());
			expect([...first, ...second].map((i) => i.id)).toEqual(leads.map((l) => l.id));
			expect(await host.poll()).toBeNull();
		} finally {
			clock.mockRestore();
		}
	});

	it('a failure part-way emits what was read with its state; the next poll goes on from there', async () => {
		const host = await baselined();
		const leads = burst(1_500, 30, 1);
		list!.add(...leads);
		list!.failAfter(8);
		const first = emitted(await host.poll());
		expect(first.length).toBeGreaterThan(0);
		expect(first.map((i) => i.id)).toEqual(leads.slice(0, first.length).map((l) => l.id));
		list!.failAfter(null);
		const second = emitted(await host.poll());
		expect([...first, ...second].map((i) => i.id)).toEqual(leads.map((l) => l.id));
	});

	it('a failure before anything was read is reported, the state left as it was', async () => {
		const host = await baselined();
		list!.add(...burst(1_500, 30, 1));
		const state = structuredClone(host.staticData);
		list!.failAfter(0);
		const error = await rejection(host.poll());
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^LeadToSheet had a temporary problem \(HTTP 503\)/);
		expect(host.staticData).toEqual(state);
	});
});

describe('LeadToSheet Trigger in manual mode (Fetch Test Event)', () => {
	it('returns the most recent submission and leaves the baseline alone', async () => {
		const latest = submission('latest', '2026-03-01T10:00:00.000Z');
		const scope = api().get(`${API}/submissions`).query({ per_page: '1' }).reply(200, {
			data: [latest],
			pagination: { page: 1, per_page: 1, total: 40, total_pages: 40 },
		});
		const host = triggerHost();
		expect(await host.poll('manual')).toEqual([[{ json: latest }]]);
		scope.done();
		expect(host.staticData).toEqual({});
	});

	it('respects the form filter', async () => {
		const scope = api()
			.get(`${API}/submissions`)
			.query({ form_id: 'frm_7', per_page: '1' })
			.reply(200, { data: [], pagination: { page: 1, per_page: 1, total: 0, total_pages: 0 } });
		expect(await triggerHost({ form: fromList('frm_7') }).poll('manual')).toBeNull();
		scope.done();
	});

	it.each([
		[401, errorBody('invalid_token', 'revoked'), /^LeadToSheet refused the API key .* reconnect with it\.$/],
		[403, errorBody('insufficient_scope', 'needs submissions:read'), /lacks the "submissions:read" scope, which is needed to list submissions/],
	])('surfaces a %s with the friendly message', async (status, body, message) => {
		const scope = api().get(`${API}/submissions`).query(true).reply(status, body);
		const error = await rejection(triggerHost().poll('manual'));
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(message);
	});

	it('an activated trigger reports the same errors', async () => {
		const scope = api().get(`${API}/submissions`).query(true).reply(401, errorBody('invalid_token', 'revoked'));
		const error = await rejection(triggerHost().poll('trigger'));
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/reconnect/);
	});
});
