import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { App, V1, api, apiError, appTester, bundle, failure, page, submission } from './helpers.js';

const create = App.creates.create_lead;
const perform = create.operation.perform;
const knownFields = create.operation.inputFields?.find((f) => typeof f === 'function');

describe('Create Lead', () => {
  it('sends the form\'s known fields, other fields and attribution, and returns the created lead flattened', async () => {
    const created = submission(42, {
      form_id: 'frm_7',
      fields: { Email: 'alice@example.com', 'Full name': 'Alice', Budget: '5k' },
      metadata: { page_url: 'https://www.example.com/pricing', utm_campaign: 'spring' },
    });
    const scope = api()
      .post(`${V1}/submissions`, {
        fields: { Budget: '5k', Email: 'alice@example.com', 'Full name': 'Alice' },
        form_id: 'frm_7',
        metadata: { page_url: 'https://www.example.com/pricing', utm_campaign: 'spring' },
      })
      .matchHeader('content-type', /application\/json/)
      .reply(201, created);
    const lead = await appTester(
      perform,
      bundle({
        form_id: 'frm_7',
        form_name: 'ignored when a form is chosen',
        'field:Email': 'alice@example.com',
        'field:Full name': 'Alice',
        'field:Phone': '',
        other_fields: { Budget: '5k', ' ': 'dropped: no name' },
        page_url: ' https://www.example.com/pricing ',
        utm_campaign: 'spring',
        utm_source: '',
      }),
    );
    expect(lead).toMatchObject({ id: 'sub_42', form_id: 'frm_7', Email: 'alice@example.com', 'Full name': 'Alice', Budget: '5k' });
    expect(lead).toMatchObject({ metadata: { page_url: 'https://www.example.com/pricing' } });
    scope.done();
  });

  it('files the lead under a form by name when no form is chosen', async () => {
    const scope = api()
      .post(`${V1}/submissions`, { fields: { Email: 'bob@example.com' }, form_name: 'Webinar signups' })
      .reply(201, submission(43, { form_name: 'Webinar signups' }));
    await appTester(perform, bundle({ form_name: ' Webinar signups ', other_fields: { Email: 'bob@example.com' } }));
    scope.done();
  });

  it('a known field wins over the same name under Other Fields', async () => {
    const scope = api().post(`${V1}/submissions`, { fields: { Email: 'known@example.com' } }).reply(201, submission(44));
    await appTester(perform, bundle({ 'field:Email': 'known@example.com', other_fields: { Email: 'other@example.com' } }));
    scope.done();
  });

  it('refuses a lead without any field, before any request', async () => {
    const f = await failure(appTester(perform, bundle({ form_id: 'frm_7', other_fields: { Email: '' } })));
    expect(f).toMatchObject({ name: 'AppError', code: 'invalid_input', status: 400 });
    expect(f.message).toMatch(/A lead needs at least one field/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('without submissions:write, names the scope and the action', async () => {
    const scope = api().post(`${V1}/submissions`).reply(403, apiError('insufficient_scope', 'Requires submissions:write'));
    const f = await failure(appTester(perform, bundle({ other_fields: { Email: 'a@example.com' } })));
    expect(f.message).toMatch(/^The "Create Lead" action needs the "submissions:write" scope/);
    scope.done();
  });

  it('an unknown form id points at the Form input', async () => {
    const scope = api().post(`${V1}/submissions`).reply(404, apiError('not_found', 'No such form'));
    const f = await failure(appTester(perform, bundle({ form_id: 'frm_gone', other_fields: { Email: 'a@example.com' } })));
    expect(f.message).toMatch(/^Check the "Form" field\. Not found: form "frm_gone"/);
    scope.done();
  });

  it('a rejected attribution value is named by its label', async () => {
    const scope = api()
      .post(`${V1}/submissions`)
      .reply(422, apiError('validation_error', 'Invalid', { details: [{ field: 'metadata.utm_source', message: 'too long' }] }));
    const f = await failure(appTester(perform, bundle({ other_fields: { Email: 'a@example.com' }, utm_source: 'x' })));
    expect(f.message).toBe('Check the "UTM Source" field: too long');
    scope.done();
  });
});

describe('Create Lead: input fields', () => {
  it('offers the chosen form\'s known fields, read from its recent leads', async () => {
    const scope = api()
      .get(`${V1}/submissions`)
      .query({ form_id: 'frm_7', per_page: 50 })
      .reply(200, page([submission(2, { fields: { Email: 'a@x.com', 'Full name': 'A' } }), submission(1, { fields: { Email: 'b@x.com', Phone: '1' } })], 1, 50));
    const fields = await appTester(knownFields, bundle({ form_id: 'frm_7' }));
    expect(fields).toEqual([
      { key: 'field:Email', label: 'Email', required: false, type: 'string' },
      { key: 'field:Full name', label: 'Full name', required: false, type: 'string' },
      { key: 'field:Phone', label: 'Phone', required: false, type: 'string' },
    ]);
    scope.done();
  });

  it('offers nothing extra until a form is chosen', async () => {
    expect(await appTester(knownFields, bundle())).toEqual([]);
  });

  it('explains when the form has no leads yet', async () => {
    const scope = api().get(`${V1}/submissions`).query(true).reply(200, page([], 1, 50, 0));
    const [note] = (await appTester(knownFields, bundle({ form_id: 'frm_new' }))) as Array<{ type: string; helpText: string }>;
    expect(note).toMatchObject({ type: 'copy', helpText: expect.stringMatching(/no leads yet.*Other Fields/) });
    scope.done();
  });

  it('explains, instead of failing, when the key cannot read leads', async () => {
    const scope = api().get(`${V1}/submissions`).query(true).reply(403, apiError('insufficient_scope', 'Requires submissions:read'));
    const [note] = (await appTester(knownFields, bundle({ form_id: 'frm_7' }))) as Array<{ type: string; helpText: string }>;
    expect(note).toMatchObject({ type: 'copy', helpText: expect.stringMatching(/`submissions:read` scope.*Other Fields/) });
    scope.done();
  });

  it('has a Form dropdown that refreshes the fields, a key/value group and grouped attribution inputs', () => {
    const plain = create.operation.inputFields?.filter((f) => typeof f === 'object') ?? [];
    expect(plain.map((f) => f.key)).toEqual([
      'form_id', 'form_name', 'other_fields', 'page_url', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'gclid', 'fbclid',
    ]);
    expect(plain[0]).toMatchObject({ altersDynamicFields: true, required: false });
    expect(plain[2]).toMatchObject({ dict: true, label: 'Other Fields' });
    expect(plain.filter((f) => f.group === 'attribution')).toHaveLength(9);
    expect(create.operation.inputFieldGroups).toEqual([{ key: 'attribution', label: expect.any(String) }]);
  });
});
