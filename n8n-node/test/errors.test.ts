import { describe, expect, it } from '@jest/globals';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { freePort } from '@leadtosheet/shared/free-port';
import nock from 'nock';
import { n8nTransport, REQUEST_TIMEOUT_MS, type LeadToSheetContext } from '../nodes/shared/transport';
import { actionHost, api, API, BASE_URL, credentials, errorBody, KEY, ORIGIN, rejection, submission, triggerHost, type CaughtError } from './helpers';

const getSubmission = { resource: 'submission', operation: 'get', submissionId: 'sub_1' };

describe('API failures become NodeApiError with the shared friendly message', () => {
	it.each([
		{
			status: 401,
			body: errorBody('invalid_token', 'The API key was revoked.'),
			headers: {},
			message: /^LeadToSheet refused the API key \(lts_unit…\): it is invalid, expired or was revoked\. Create a new API key .* reconnect with it\.$/,
			failure: { cause: 'credential-invalid' },
		},
		{
			status: 403,
			body: errorBody('insufficient_scope', 'Missing scope submissions:read'),
			headers: {},
			message: /^This API key lacks the "submissions:read" scope, which is needed to read a submission\./,
			failure: { cause: 'configuration-invalid' },
		},
		{
			status: 404,
			body: errorBody('not_found', 'No such submission'),
			headers: {},
			message: /^Not found: submission "sub_1" does not exist/,
			failure: { cause: 'configuration-invalid' },
		},
		{
			status: 429,
			body: errorBody('rate_limited', 'Slow down'),
			headers: { 'Retry-After': '30' },
			message: /Try again in 30 seconds\.$/,
			failure: { cause: 'rate-limited', retryAfterMs: 30000 },
		},
		{
			status: 503,
			body: errorBody('internal_error', 'Maintenance'),
			headers: {},
			message: /^LeadToSheet had a temporary problem \(HTTP 503\)/,
			failure: { cause: 'temporarily-unavailable' },
		},
	])('$status', async ({ status, body, headers, message, failure }) => {
		const scope = api().get(`${API}/submissions/sub_1`).reply(status, body, headers as Record<string, string>);
		const error = await rejection(actionHost(getSubmission).execute());
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(message);
		expect(error.httpCode).toBe(String(status));
		expect(error.failure).toEqual(failure);
		expect(error.description).toBe(`LeadToSheet said: ${body.error.message}`);
		expect(error.context.itemIndex).toBe(0);
		expect(JSON.stringify(error.message)).not.toContain(KEY);
	});

	it('an answer that does not match the contract is reported, not passed on', async () => {
		const scope = api().get(`${API}/site`).reply(200, { hello: 'world' });
		const error = await rejection(actionHost({ resource: 'site', operation: 'get' }).execute());
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^LeadToSheet answered in an unexpected format while trying to read the site/);
	});
});

describe('network failures (no answer) become NodeApiError naming the host and the cause, never the key', () => {
	const HOST = new URL(ORIGIN).host;
	const cases = [
		{
			what: 'connection refused',
			code: 'ECONNREFUSED',
			raw: 'connect ECONNREFUSED 203.0.113.5:443',
			message: `Could not reach ${HOST} (ECONNREFUSED): the connection was refused. Check the API base URL and the network, then try again.`,
		},
		{
			what: 'DNS failure',
			code: 'ENOTFOUND',
			raw: `getaddrinfo ENOTFOUND ${HOST}`,
			message: `Could not reach ${HOST} (ENOTFOUND): the host name was not found in DNS. Check the API base URL and the network, then try again.`,
		},
		{
			what: 'timeout',
			code: 'ETIMEDOUT',
			raw: 'connect ETIMEDOUT 203.0.113.5:443',
			message: `${HOST} did not answer in time (ETIMEDOUT). It is safe to try again; if it keeps happening, check the API base URL.`,
		},
		{
			what: "axios's own timeout",
			code: 'ECONNABORTED',
			raw: 'timeout of 30000ms exceeded',
			message: `${HOST} did not answer in time (ECONNABORTED). It is safe to try again; if it keeps happening, check the API base URL.`,
		},
	];

	/** What the n8n user sees: the message and description, and everything n8n keeps of the error. */
	function expectFriendly(error: CaughtError, message: string) {
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(message);
		expect(error.httpCode).toBeNull();
		expect(error.failure).toEqual({ cause: 'temporarily-unavailable' });
		const shown = [error.message, error.description ?? '', ...((error as { messages?: string[] }).messages ?? [])].join('\n');
		expect(shown).not.toMatch(/unknown|\n\s+at /i);
		expect(shown).not.toContain(KEY);
		expect(JSON.stringify(error)).not.toContain(KEY);
		// Not vacuous: the failure n8n handed over did carry the key, in axios's request config.
		const causes: Array<{ config?: unknown }> = [];
		for (let e = error.cause as { cause?: unknown; config?: unknown } | undefined; e && causes.length < 8; e = e.cause as typeof e) causes.push(e);
		expect(causes.some((e) => JSON.stringify(e.config ?? {}).includes(KEY))).toBe(true);
	}

	it.each(cases)('the node: $what ($code)', async ({ code, raw, message }) => {
		const scope = nock(ORIGIN).get(`${API}/site`).replyWithError(Object.assign(new Error(raw), { code }));
		const error = await rejection(actionHost({ resource: 'site', operation: 'get' }).execute());
		scope.done();
		expectFriendly(error, message);
		expect(error.context.itemIndex).toBe(0);
	});

	it.each(cases)('the trigger: $what ($code), its state left as it was', async ({ code, raw, message }) => {
		const scope = nock(ORIGIN).get(`${API}/submissions`).query(true).replyWithError(Object.assign(new Error(raw), { code }));
		const host = triggerHost();
		const state = { formId: '', pollState: { v: 1, cursor: '2026-03-01T10:00:00.000Z', seen: [['sub_1', Date.parse('2026-03-01T10:00:00.000Z')]] } };
		Object.assign(host.staticData, structuredClone(state));
		const error = await rejection(host.poll());
		scope.done();
		expectFriendly(error, message);
		expect(host.staticData).toEqual(state);
	});

	it('a real closed port, for the node and the trigger (also in Fetch Test Event)', async () => {
		const port = await freePort(); // nothing listens there
		const local = { ...credentials, baseUrl: `http://127.0.0.1:${port}/api/v1` };
		const message = `Could not reach 127.0.0.1:${port} (ECONNREFUSED): the connection was refused. Check the API base URL and the network, then try again.`;
		expectFriendly(await rejection(actionHost({ resource: 'site', operation: 'get' }, { credentials: local }).execute()), message);
		expectFriendly(await rejection(triggerHost({}, { credentials: local }).poll()), message);
		expectFriendly(await rejection(triggerHost({}, { credentials: local }).poll('manual')), message);
	});

	it('every request has its own timeout (30 s), not n8n\'s default of 5 minutes', async () => {
		const sent: Array<Record<string, unknown>> = [];
		const context = {
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: Record<string, unknown>) => {
					sent.push(options);
					return { statusCode: 200, headers: {}, body: {} };
				},
			},
		} as unknown as LeadToSheetContext;
		await n8nTransport(context, BASE_URL).send({ method: 'GET', path: '/site', idempotent: true });
		expect(REQUEST_TIMEOUT_MS).toBe(30_000);
		expect(sent).toEqual([expect.objectContaining({ url: `${BASE_URL}/site`, timeout: REQUEST_TIMEOUT_MS })]);
	});

	it('with Continue On Fail, the error item carries the same message and the network code', async () => {
		const scope = nock(ORIGIN).get(`${API}/site`).replyWithError(Object.assign(new Error(cases[1]!.raw), { code: 'ENOTFOUND' }));
		const [out] = await actionHost({ resource: 'site', operation: 'get' }).execute([{}], { continueOnFail: true });
		scope.done();
		expect(out).toEqual([{ json: { error: cases[1]!.message, code: 'network_error' }, pairedItem: { item: 0 } }]);
	});
});

describe('a badly pasted key is caught before any request', () => {
	it.each([
		['with the word Bearer', `Bearer ${KEY}`, 'without the word "Bearer"'],
		['with a trailing line break', `${KEY}\n`, 'spaces or line breaks around it'],
		['of another service', 'sk_live_0123456789abcdef0123', 'not a LeadToSheet API key'],
	])('key %s', async (_case, apiKey, message) => {
		const host = actionHost({ resource: 'site', operation: 'get' }, { credentials: { ...credentials, apiKey } });
		const error = await rejection(host.execute());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
		expect(error.message).not.toContain(KEY.slice(8));
		expect(host.requests).toHaveLength(0);
	});
});

describe('Continue On Fail', () => {
	it('turns a failed item into an error item paired with it and carries on', async () => {
		const scope = api()
			.get(`${API}/submissions/sub_x`)
			.reply(403, errorBody('insufficient_scope', 'This key lacks submissions:read'))
			.get(`${API}/submissions/sub_2`)
			.reply(200, submission('sub_2', '2026-03-01T10:00:00.000Z'));
		const host = actionHost({ resource: 'submission', operation: 'get' });
		const [out] = await host.execute([{}, {}], {
			continueOnFail: true,
			itemParameters: [{ submissionId: 'sub_x' }, { submissionId: 'sub_2' }],
		});
		scope.done();
		expect(out).toEqual([
			{
				json: {
					error: expect.stringContaining('lacks the "submissions:read" scope'),
					description: 'LeadToSheet said: This key lacks submissions:read',
					code: 'insufficient_scope',
					httpCode: 403,
					requiredScope: 'submissions:read',
				},
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ id: 'sub_2' }), pairedItem: { item: 1 } },
		]);
	});

	it('input errors become error items too', async () => {
		const host = actionHost({ resource: 'submission', operation: 'create', fieldsInput: 'json', fieldsJson: 'nope' });
		const [out] = await host.execute([{}], { continueOnFail: true });
		expect(out).toEqual([
			{ json: expect.objectContaining({ error: 'Fields (JSON) is not valid JSON' }), pairedItem: { item: 0 } },
		]);
	});

	it('without it, the first failure stops the node with that item index', async () => {
		const scope = api()
			.get(`${API}/submissions/sub_1`)
			.reply(200, submission('sub_1', '2026-03-01T10:00:00.000Z'))
			.get(`${API}/submissions/sub_2`)
			.reply(404, errorBody('not_found', 'gone'));
		const host = actionHost({ resource: 'submission', operation: 'get' });
		const error = await rejection(host.execute([{}, {}, {}], { itemParameters: [{ submissionId: 'sub_1' }, { submissionId: 'sub_2' }, { submissionId: 'sub_3' }] }));
		scope.done();
		expect(error.context.itemIndex).toBe(1);
		expect(host.requests).toHaveLength(2);
	});
});
