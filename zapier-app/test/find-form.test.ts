import { describe, expect, it } from '@jest/globals';
import { App, V1, api, appTester, bundle, form, page } from './helpers.js';

const perform = App.searches.find_form.operation.perform;
type Row = Record<string, unknown> & { id: string };

describe('Find Form', () => {
  it('finds forms by whole name, upper or lower case alike, across pages', async () => {
    const scope = api()
      .get(`${V1}/forms`)
      .query({ page: 1, per_page: 100 })
      .reply(200, page([form(1, { name: 'Contact us' }), form(2, { name: 'Contact us (old)' })], 1, 100, 101))
      .get(`${V1}/forms`)
      .query({ page: 2, per_page: 100 })
      .reply(200, page([form(3, { name: 'CONTACT US ' })], 2, 100, 101));
    const rows = (await appTester(perform, bundle({ name: 'contact us' }))) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['frm_1', 'frm_3']);
    expect(rows[0]).toEqual(form(1, { name: 'Contact us' }));
    scope.done();
  });

  it('returns nothing when no form has that name', async () => {
    const scope = api().get(`${V1}/forms`).query(true).reply(200, page([form(1)]));
    expect(await appTester(perform, bundle({ name: 'Newsletter' }))).toEqual([]);
    scope.done();
  });

  it('without forms:read, names the scope and the search', async () => {
    const scope = api().get(`${V1}/forms`).query(true).reply(403, { error: { code: 'insufficient_scope', message: 'Forbidden' } });
    await expect(appTester(perform, bundle({ name: 'x' }))).rejects.toThrow(/The \\"Find Form\\" search needs the \\"forms:read\\" scope/);
    scope.done();
  });
});
