import { describe, expect, it } from '@jest/globals';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { actionHost, api, API, credentials, errorBody, KEY, ORIGIN, rejection, submission } from './helpers';
import nock from 'nock';

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

	it('a server that cannot be reached gets a network message naming the host', async () => {
		const scope = nock(ORIGIN).get(`${API}/site`).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
		const error = await rejection(actionHost({ resource: 'site', operation: 'get' }).execute());
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Could not reach api\.leadtosheet\.test/);
		expect(error.message).toMatch(/Check the API base URL and the network/);
		expect(error.failure).toEqual({ cause: 'temporarily-unavailable' });
	});

	it('an answer that does not match the contract is reported, not passed on', async () => {
		const scope = api().get(`${API}/site`).reply(200, { hello: 'world' });
		const error = await rejection(actionHost({ resource: 'site', operation: 'get' }).execute());
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^LeadToSheet answered in an unexpected format while trying to read the site/);
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
