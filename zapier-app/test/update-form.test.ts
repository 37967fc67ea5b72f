import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { App, V1, api, appTester, bundle, failure, form } from './helpers.js';

const perform = App.creates.update_form.operation.perform;

describe('Update Form', () => {
  it('sends only what was filled in and returns the updated form', async () => {
    const scope = api().patch(`${V1}/forms/frm_1`, { name: 'Contact (EN)', sheet_tab: 'Leads EN' }).reply(200, form(1, { name: 'Contact (EN)', sheet_tab: 'Leads EN' }));
    const result = await appTester(perform, bundle({ form_id: 'frm_1', name: ' Contact (EN) ', sheet_tab: 'Leads EN', ignored: '' }));
    expect(result).toMatchObject({ id: 'frm_1', name: 'Contact (EN)', sheet_tab: 'Leads EN' });
    scope.done();
  });

  it.each([
    [true, true],
    [false, false],
    ['yes', true],
    ['No', false],
    ['true', true],
    ['0', false],
  ])('reads Ignored %p as %p', async (input, ignored) => {
    const scope = api().patch(`${V1}/forms/frm_1`, { ignored }).reply(200, form(1, { ignored }));
    expect(await appTester(perform, bundle({ form_id: 'frm_1', ignored: input }))).toMatchObject({ ignored });
    scope.done();
  });

  it('refuses an update that changes nothing, before any request', async () => {
    const f = await failure(appTester(perform, bundle({ form_id: 'frm_1', name: '  ', sheet_tab: '' })));
    expect(f).toMatchObject({ name: 'AppError', code: 'nothing_to_update', status: 400 });
    expect(f.message).toMatch(/^Nothing to update: fill in at least one of New Name, Sheet Tab or Ignored/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('names the Ignored input when its value is not yes or no', async () => {
    const f = await failure(appTester(perform, bundle({ form_id: 'frm_1', ignored: 'maybe' })));
    expect(f.message).toBe('Check the "Ignored" field: expected yes or no, got "maybe"');
  });

  it('names the Form input when it is empty', async () => {
    const f = await failure(appTester(perform, bundle({ form_id: '', name: 'New' })));
    expect(f.message).toBe('Check the "Form" field: the form id is empty');
  });

  it('has labelled input and output fields and a sample', () => {
    const op = App.creates.update_form.operation;
    expect(op.inputFields?.map((f) => (typeof f === 'object' ? [f.key, f.label, f.required] : f))).toEqual([
      ['form_id', 'Form', true],
      ['name', 'New Name', false],
      ['sheet_tab', 'Sheet Tab', false],
      ['ignored', 'Ignored', false],
    ]);
    expect(op.sample).toMatchObject({ id: expect.any(String) });
    expect(op.outputFields?.length).toBeGreaterThan(3);
  });
});
