import { describe, expect, it } from '@jest/globals';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { actionHost, api, API, byId, fromList, page, rejection, submission } from './helpers';

const created = submission('sub_new', '2026-03-01T10:00:00.000Z');

describe('Submission > Create', () => {
	it('sends name/value pairs, the chosen form and the metadata, and pairs the output with its input', async () => {
		const scope = api()
			.post(`${API}/submissions`, {
				fields: { Email: 'alice@example.com', 'Full name': 'Alice' },
				form_id: 'frm_1',
				metadata: { page_url: 'https://acme.test/contact', utm_source: 'newsletter' },
			})
			.reply(201, created);
		const host = actionHost({
			resource: 'submission',
			operation: 'create',
			form: fromList('frm_1'),
			fields: {
				field: [
					{ name: 'Email', value: 'alice@example.com' },
					{ name: 'Full name', value: 'Alice' },
					{ name: '', value: '' },
				],
			},
			metadata: { page_url: 'https://acme.test/contact', utm_source: 'newsletter', referrer: '  ' },
		});
		const [out] = await host.execute();
		scope.done();
		expect(out).toEqual([{ json: created, pairedItem: { item: 0 } }]);
	});

	it('takes the fields as JSON and files the lead under a form name when no form is chosen', async () => {
		const scope = api()
			.post(`${API}/submissions`, { fields: { Email: 'bob@example.com', Score: 7, Tags: ['a', 'b'], Consent: true }, form_name: 'Webinar' })
			.reply(201, created);
		const host = actionHost({
			resource: 'submission',
			operation: 'create',
			fieldsInput: 'json',
			fieldsJson: '{"Email": "bob@example.com", "Score": 7, "Tags": ["a", "b"], "Consent": true}',
			options: { formName: ' Webinar ' },
		});
		const [out] = await host.execute();
		scope.done();
		expect(out).toHaveLength(1);
	});

	it('creates one lead per input item, each output paired with its item', async () => {
		const scope = api()
			.post(`${API}/submissions`, { fields: { Email: 'one@example.com' } })
			.reply(201, submission('sub_a', '2026-03-01T10:00:00.000Z'))
			.post(`${API}/submissions`, { fields: { Email: 'two@example.com' } })
			.reply(201, submission('sub_b', '2026-03-01T10:00:01.000Z'));
		const host = actionHost({ resource: 'submission', operation: 'create' });
		const [out] = await host.execute([{}, {}], {
			itemParameters: [
				{ fields: { field: [{ name: 'Email', value: 'one@example.com' }] } },
				{ fields: { field: [{ name: 'Email', value: 'two@example.com' }] } },
			],
		});
		scope.done();
		expect(out!.map((i) => [i.json.id, i.pairedItem])).toEqual([
			['sub_a', { item: 0 }],
			['sub_b', { item: 1 }],
		]);
	});

	it.each([
		['not JSON at all', '{"Email": ', 'Fields (JSON) is not valid JSON'],
		['a list instead of an object', '["alice@example.com"]', 'must be one JSON object'],
		['no field at all', '{}', 'at least one field is required'],
		['a nested object as a value', '{"Address": {"city": "Paris"}}', 'Address'],
	])('refuses %s before sending anything', async (_case, json, message) => {
		const host = actionHost({ resource: 'submission', operation: 'create', fieldsInput: 'json', fieldsJson: json });
		const error = await rejection(host.execute());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
		expect(host.requests).toHaveLength(0);
	});

	it('reports which input the API rejected (422)', async () => {
		const scope = api()
			.post(`${API}/submissions`)
			.reply(422, {
				error: { code: 'validation_error', message: 'invalid', details: [{ field: 'fields.Email', message: 'must be an email address' }] },
			});
		const host = actionHost({ resource: 'submission', operation: 'create', fields: { field: [{ name: 'Email', value: 'nope' }] } });
		const error = await rejection(host.execute());
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('LeadToSheet could not create a submission because the input was rejected: fields.Email: must be an email address');
		expect(error.httpCode).toBe('422');
	});
});

describe('Submission > Get', () => {
	it('reads one submission by id', async () => {
		const found = submission('sub_1', '2026-03-01T10:00:00.000Z');
		const scope = api().get(`${API}/submissions/sub_1`).reply(200, found);
		const [out] = await actionHost({ resource: 'submission', operation: 'get', submissionId: 'sub_1' }).execute();
		scope.done();
		expect(out).toEqual([{ json: found, pairedItem: { item: 0 } }]);
	});

	it('names the submission that does not exist (404)', async () => {
		const scope = api().get(`${API}/submissions/sub_gone`).reply(404, { error: { code: 'not_found', message: 'No submission' } });
		const error = await rejection(actionHost({ resource: 'submission', operation: 'get', submissionId: 'sub_gone' }).execute());
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Not found: submission "sub_gone" does not exist on this API key\'s site. Check the submission and try again.');
	});
});

describe('Submission > Get Many', () => {
	const leads = Array.from({ length: 5 }, (_, i) => submission(`sub_${5 - i}`, `2026-03-01T10:0${5 - i}:00.000Z`));

	it('returns up to Limit, asking for no bigger page than needed', async () => {
		const scope = api()
			.get(`${API}/submissions`)
			.query({ page: '1', per_page: '3' })
			.reply(200, page(leads.slice(0, 3), 1, 3, 5));
		const [out] = await actionHost({ resource: 'submission', operation: 'getAll', limit: 3 }).execute();
		scope.done();
		expect(out!.map((i) => i.json.id)).toEqual(['sub_5', 'sub_4', 'sub_3']);
		expect(out!.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('a Limit above one page walks pages of 100', async () => {
		const many = Array.from({ length: 150 }, (_, i) => submission(`sub_${i}`, new Date(Date.UTC(2026, 2, 1) - i * 1000).toISOString()));
		const scope = api()
			.get(`${API}/submissions`)
			.query({ page: '1', per_page: '100' })
			.reply(200, page(many.slice(0, 100), 1, 100, 150))
			.get(`${API}/submissions`)
			.query({ page: '2', per_page: '100' })
			.reply(200, page(many.slice(100), 2, 100, 150));
		const [out] = await actionHost({ resource: 'submission', operation: 'getAll', limit: 120 }).execute();
		scope.done();
		expect(out).toHaveLength(120);
		expect(out![119]!.json.id).toBe('sub_119');
	});

	it('Return All walks every page with the form, since and search filters', async () => {
		const query = { form_id: 'frm_9', since: '2026-02-01T00:00:00.000Z', q: 'alice', per_page: '100' };
		const scope = api()
			.get(`${API}/submissions`)
			.query({ ...query, page: '1' })
			.reply(200, { data: leads.slice(0, 3), pagination: { page: 1, per_page: 100, total: 5, total_pages: 2 } })
			.get(`${API}/submissions`)
			.query({ ...query, page: '2' })
			.reply(200, { data: leads.slice(3), pagination: { page: 2, per_page: 100, total: 5, total_pages: 2 } });
		const host = actionHost({
			resource: 'submission',
			operation: 'getAll',
			returnAll: true,
			form: byId('frm_9'),
			filters: { since: '2026-02-01T00:00:00', q: ' alice ' },
		});
		const [out] = await host.execute();
		scope.done();
		expect(out!.map((i) => i.json.id)).toEqual(['sub_5', 'sub_4', 'sub_3', 'sub_2', 'sub_1']);
	});

	it('reads Created Since in the workflow timezone', async () => {
		const scope = api()
			.get(`${API}/submissions`)
			.query({ since: '2026-01-31T23:00:00.000Z', page: '1', per_page: '50' })
			.reply(200, page([], 1, 50, 0));
		const host = actionHost(
			{ resource: 'submission', operation: 'getAll', filters: { since: '2026-02-01T00:00:00' } },
			{ timezone: 'Europe/Paris' },
		);
		await host.execute();
		scope.done();
	});

	it('an empty result is no items, not an error', async () => {
		const scope = api().get(`${API}/submissions`).query(true).reply(200, page([], 1, 50, 0));
		const [out] = await actionHost({ resource: 'submission', operation: 'getAll' }).execute();
		scope.done();
		expect(out).toEqual([]);
	});
});
