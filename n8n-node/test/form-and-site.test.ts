import { describe, expect, it } from '@jest/globals';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { actionHost, api, API, byId, form, fromList, page, rejection } from './helpers';

describe('Form > Get', () => {
	it.each([
		['picked from the list', fromList('frm_1')],
		['given by id', byId('frm_1')],
	])('reads the form %s', async (_how, locator) => {
		const found = form('frm_1', 'Contact', { submission_count: 12 });
		const scope = api().get(`${API}/forms/frm_1`).reply(200, found);
		const [out] = await actionHost({ resource: 'form', operation: 'get', form: locator }).execute();
		scope.done();
		expect(out).toEqual([{ json: found, pairedItem: { item: 0 } }]);
	});

	it('no form chosen is an input error, nothing is sent', async () => {
		const host = actionHost({ resource: 'form', operation: 'get', form: fromList('') });
		const error = await rejection(host.execute());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('the form id is empty');
		expect(host.requests).toHaveLength(0);
	});
});

describe('Form > Get Many', () => {
	const forms = Array.from({ length: 130 }, (_, i) => form(`frm_${i}`, `Form ${i}`));

	it('Return All walks every page', async () => {
		const scope = api()
			.get(`${API}/forms`)
			.query({ page: '1', per_page: '100' })
			.reply(200, page(forms.slice(0, 100), 1, 100, 130))
			.get(`${API}/forms`)
			.query({ page: '2', per_page: '100' })
			.reply(200, page(forms.slice(100), 2, 100, 130));
		const [out] = await actionHost({ resource: 'form', operation: 'getAll', returnAll: true }).execute();
		scope.done();
		expect(out).toHaveLength(130);
		expect(out![129]).toEqual({ json: forms[129], pairedItem: { item: 0 } });
	});

	it('Limit stops after the first page it needs', async () => {
		const scope = api()
			.get(`${API}/forms`)
			.query({ page: '1', per_page: '2' })
			.reply(200, page(forms.slice(0, 2), 1, 2, 130));
		const [out] = await actionHost({ resource: 'form', operation: 'getAll', limit: 2 }).execute();
		scope.done();
		expect(out!.map((i) => i.json.id)).toEqual(['frm_0', 'frm_1']);
	});
});

describe('Form > Update', () => {
	it('sends only what was set: name, sheet tab, ignored', async () => {
		const updated = form('frm_1', 'Leads 2026', { sheet_tab: 'Leads', ignored: true });
		const scope = api().patch(`${API}/forms/frm_1`, { name: 'Leads 2026', sheet_tab: 'Leads', ignored: true }).reply(200, updated);
		const host = actionHost({
			resource: 'form',
			operation: 'update',
			form: fromList('frm_1'),
			updateFields: { name: 'Leads 2026', sheetTab: 'Leads', ignored: true },
		});
		const [out] = await host.execute();
		scope.done();
		expect(out).toEqual([{ json: updated, pairedItem: { item: 0 } }]);
	});

	it('un-ignoring sends ignored: false', async () => {
		const scope = api().patch(`${API}/forms/frm_1`, { ignored: false }).reply(200, form('frm_1', 'Contact'));
		await actionHost({ resource: 'form', operation: 'update', form: byId('frm_1'), updateFields: { ignored: false } }).execute();
		scope.done();
	});

	it.each([
		['no field at all', {}],
		['only empty text', { name: '', sheetTab: '' }],
	])('refuses an update that changes nothing (%s) before sending it', async (_case, updateFields) => {
		const host = actionHost({ resource: 'form', operation: 'update', form: fromList('frm_1'), updateFields });
		const error = await rejection(host.execute());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('nothing to update');
		expect(host.requests).toHaveLength(0);
	});

	it('a key without forms:write is told which scope it lacks (403)', async () => {
		const scope = api()
			.patch(`${API}/forms/frm_1`)
			.reply(403, { error: { code: 'insufficient_scope', message: 'This API key lacks the forms:write scope.' } });
		const host = actionHost({ resource: 'form', operation: 'update', form: fromList('frm_1'), updateFields: { name: 'X' } });
		const error = await rejection(host.execute());
		scope.done();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'This API key lacks the "forms:write" scope, which is needed to update a form. Create a LeadToSheet API key that includes "forms:write" and reconnect with it.',
		);
	});
});

describe('Site > Get', () => {
	it("reads the key's site", async () => {
		const site = { id: 'site_1', name: 'Acme', domain: 'acme.test', usage: { submissions: 3, forms: 1 } };
		const scope = api().get(`${API}/site`).reply(200, site);
		const [out] = await actionHost({ resource: 'site', operation: 'get' }).execute();
		scope.done();
		expect(out).toEqual([{ json: site, pairedItem: { item: 0 } }]);
	});
});
