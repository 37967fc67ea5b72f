import { describe, expect, it } from '@jest/globals';
import { App, V1, api, appTester, bundle, form, page } from './helpers.js';

const perform = App.triggers.new_form.operation.perform;
type Row = Record<string, unknown> & { id: string };

describe('New Form', () => {
  it('reads every page of forms and returns the newest first, each with its id', async () => {
    const scope = api()
      .get(`${V1}/forms`)
      .query({ page: 1, per_page: 100 })
      .reply(200, page([form(1), form(3)], 1, 100, 102))
      .get(`${V1}/forms`)
      .query({ page: 2, per_page: 100 })
      .reply(200, page([form(2)], 2, 100, 102));
    const rows = (await appTester(perform, bundle())) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['frm_3', 'frm_2', 'frm_1']);
    expect(rows[0]).toEqual(form(3));
    scope.done();
  });

  it('puts forms without a creation date last and keeps Zapier\'s page size', async () => {
    const scope = api().get(`${V1}/forms`).query(true).reply(200, page([form(1, { created_at: null }), form(2), form(3)]));
    const rows = (await appTester(perform, bundle({}, { limit: 2 }))) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['frm_3', 'frm_2']);
    scope.done();
  });

  it('has labelled output fields and a sample', () => {
    const op = App.triggers.new_form.operation;
    expect(op.outputFields).toEqual(expect.arrayContaining([{ key: 'sheet_tab', label: 'Sheet Tab', type: 'string' }]));
    expect(op.sample).toMatchObject({ id: expect.any(String), name: expect.any(String), ignored: false });
  });
});
