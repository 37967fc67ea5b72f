import { describe, expect, it } from '@jest/globals';
import { App, V1, api, appTester, bundle, form, page } from './helpers.js';

type Row = Record<string, unknown> & { id: string };

describe('the Form dropdown (hidden form_list trigger)', () => {
  const trigger = App.triggers.form_list;

  it('is hidden, pages on "Load more", and is the source of every Form input', () => {
    expect(trigger.display.hidden).toBe(true);
    expect(trigger.operation.canPaginate).toBe(true);
    const formInputs = [
      App.triggers.new_submission.operation.inputFields,
      App.creates.create_lead.operation.inputFields,
      App.creates.update_form.operation.inputFields,
      App.searches.find_submission.operation.inputFields,
    ].map((fields) => fields?.find((f) => typeof f === 'object' && f.key === 'form_id'));
    for (const input of formInputs) expect(input).toMatchObject({ dynamic: 'form_list.id.name', search: 'find_form.id', label: 'Form' });
  });

  it.each([
    [undefined, 1],
    [0, 1],
    [1, 2],
    [4, 5],
  ])('Zapier page %p reads API page %p', async (zapierPage, apiPage) => {
    const scope = api().get(`${V1}/forms`).query({ page: apiPage, per_page: 100 }).reply(200, page([form(apiPage)], apiPage, 100, 500));
    const rows = (await appTester(trigger.operation.perform, bundle({}, zapierPage === undefined ? {} : { page: zapierPage }))) as Row[];
    expect(rows.map((r) => r.id)).toEqual([`frm_${apiPage}`]);
    scope.done();
  });

  it('answers an empty page past the last one, so the dropdown stops loading', async () => {
    const scope = api().get(`${V1}/forms`).query({ page: 3, per_page: 100 }).reply(200, page([form(1)], 3, 100, 150));
    expect(await appTester(trigger.operation.perform, bundle({}, { page: 2 }))).toEqual([]);
    scope.done();
  });
});
