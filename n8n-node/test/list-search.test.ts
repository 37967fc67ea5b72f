import { describe, expect, it } from '@jest/globals';
import { NodeApiError } from 'n8n-workflow';
import { actionHost, api, API, errorBody, form, page, rejection, triggerHost } from './helpers';

const firstPage = [form('frm_1', 'Contact'), form('frm_2', 'Newsletter signup', { ignored: true }), form('frm_3', 'Webinar')];

describe('searchForms (Form list in the node and the trigger)', () => {
	it('lists a page of forms and hands out the next page as the pagination token', async () => {
		const scope = api()
			.get(`${API}/forms`)
			.query({ page: '1', per_page: '100' })
			.reply(200, { data: firstPage, pagination: { page: 1, per_page: 100, total: 103, total_pages: 2 } });
		const result = await actionHost({ resource: 'form', operation: 'get' }).listSearch('searchForms');
		scope.done();
		expect(result).toEqual({
			results: [
				{ name: 'Contact', value: 'frm_1' },
				{ name: 'Newsletter signup (ignored)', value: 'frm_2' },
				{ name: 'Webinar', value: 'frm_3' },
			],
			paginationToken: '2',
		});
	});

	it('the last page has no pagination token', async () => {
		const scope = api()
			.get(`${API}/forms`)
			.query({ page: '2', per_page: '100' })
			.reply(200, { data: [form('frm_101', 'Quote')], pagination: { page: 2, per_page: 100, total: 101, total_pages: 2 } });
		const result = await triggerHost().listSearch('searchForms', undefined, '2');
		scope.done();
		expect(result).toEqual({ results: [{ name: 'Quote', value: 'frm_101' }], paginationToken: undefined });
	});

	it('filters each page by name (any case) or exact id', async () => {
		const scope = api()
			.get(`${API}/forms`)
			.query(true)
			.times(2)
			.reply(200, page(firstPage, 1, 100));
		const host = actionHost({ resource: 'form', operation: 'get' });
		expect((await host.listSearch('searchForms', 'NEWS')).results.map((r) => r.value)).toEqual(['frm_2']);
		expect((await host.listSearch('searchForms', 'frm_3')).results.map((r) => r.value)).toEqual(['frm_3']);
		scope.done();
	});

	it('a key without forms:read gets the scope message in the list', async () => {
		const scope = api().get(`${API}/forms`).query(true).reply(403, errorBody('insufficient_scope', 'forms:read required'));
		const error = await rejection(triggerHost().listSearch('searchForms'));
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/lacks the "forms:read" scope, which is needed to list forms/);
	});
});
