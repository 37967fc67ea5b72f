import { afterEach, describe, expect, it } from '@jest/globals';
import { NodeApiError } from 'n8n-workflow';
import { api, API, byId, errorBody, fromList, rejection, submission, triggerHost } from './helpers';

/**
 * A submissions list answered like the API: newest first, `since` inclusive, `form_id`,
 * `page`/`per_page`, with `pagination`. Leads are added between polls with `add`.
 */
function fakeList() {
	const leads: Array<ReturnType<typeof submission>> = [];
	const queries: Array<Record<string, string>> = [];
	const scope = api()
		.get(`${API}/submissions`)
		.query(true)
		.reply((request: Request) => {
			const q = Object.fromEntries(new URL(request.url).searchParams);
			queries.push(q);
			const perPage = Number(q.per_page ?? 25);
			const at = Number(q.page ?? 1);
			const matching = leads
				.filter((l) => (q.since ? Date.parse(l.created_at) >= Date.parse(q.since) : true))
				.filter((l) => (q.form_id ? l.form_id === q.form_id : true))
				.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
			const data = matching.slice((at - 1) * perPage, at * perPage);
			return [200, { data, pagination: { page: at, per_page: perPage, total: matching.length, total_pages: Math.ceil(matching.length / perPage) } }];
		})
		.persist();
	return {
		scope,
		queries,
		add: (...added: Array<ReturnType<typeof submission>>) => leads.push(...added),
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
