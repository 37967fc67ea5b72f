import { describe, expect, it } from '@jest/globals';
import { App, V1, api, appTester, bundle, page, submission } from './helpers.js';

const trigger = App.triggers.new_submission;
const perform = trigger.operation.perform;
type Row = Record<string, unknown> & { id: string };

describe('New Submission: what each lead looks like', () => {
  it('flattens submitted fields to top-level keys named by their labels, keeps id, form, date and metadata', async () => {
    const scope = api().get(`${V1}/submissions`).query({ per_page: 100, page: 1 }).reply(200, page([submission(1)]));
    const [lead] = (await appTester(perform, bundle())) as Row[];
    expect(lead).toEqual({
      id: 'sub_1',
      form_id: 'frm_1',
      form_name: 'Contact us',
      created_at: '2026-03-01T12:00:01.000Z',
      is_spam: false,
      Email: 'lead1@example.com',
      'Full name': 'Lead 1',
      metadata: { page_url: 'https://www.example.com/contact', utm_source: 'google' },
    });
    scope.done();
  });

  it('never lets a submitted field overwrite id, form or date: it gets a field_ prefix', async () => {
    const lead = submission(1, { fields: { id: 'user-typed', created_at: 'yesterday', Email: 'a@example.com' }, score: 7 });
    const scope = api().get(`${V1}/submissions`).query(true).reply(200, page([{ ...lead, fields: { ...lead.fields, score: 'high' } }]));
    const [row] = (await appTester(perform, bundle())) as Row[];
    expect(row).toMatchObject({ id: 'sub_1', field_id: 'user-typed', created_at: '2026-03-01T12:00:01.000Z', field_created_at: 'yesterday', score: 7, field_score: 'high' });
    scope.done();
  });

  it('keeps multi-value fields as lists', async () => {
    const scope = api().get(`${V1}/submissions`).query(true).reply(200, page([submission(1, { fields: { Interests: ['Pricing', 'Demo'] } })]));
    const [row] = (await appTester(perform, bundle())) as Row[];
    expect(row?.Interests).toEqual(['Pricing', 'Demo']);
    scope.done();
  });
});

describe('New Submission: dedupe order and paging', () => {
  it('returns the newest first, each with its id, even if a page arrives out of order', async () => {
    const scope = api().get(`${V1}/submissions`).query(true).reply(200, page([submission(2), submission(3), submission(1)]));
    const rows = (await appTester(perform, bundle())) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['sub_3', 'sub_2', 'sub_1']);
    scope.done();
  });

  it('reads as many pages as Zapier\'s page size needs, and no more', async () => {
    const all = Array.from({ length: 250 }, (_, i) => submission(250 - i));
    const scope = api()
      .get(`${V1}/submissions`)
      .query({ per_page: 100, page: 1 })
      .reply(200, page(all.slice(0, 100), 1, 100, 250))
      .get(`${V1}/submissions`)
      .query({ per_page: 100, page: 2 })
      .reply(200, page(all.slice(100, 200), 2, 100, 250));
    const rows = (await appTester(perform, bundle({}, { limit: 150 }))) as Row[];
    expect(rows).toHaveLength(150);
    expect(rows[0]?.id).toBe('sub_250');
    expect(rows[149]?.id).toBe('sub_101');
    scope.done();
  });

  it('asks for a small page when Zapier wants few items (loading samples)', async () => {
    const scope = api().get(`${V1}/submissions`).query({ per_page: 3, page: 1 }).reply(200, page([submission(9), submission(8), submission(7)], 1, 3, 40));
    const rows = (await appTester(perform, bundle({}, { limit: 3, isLoadingSample: true }))) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['sub_9', 'sub_8', 'sub_7']);
    scope.done();
  });

  it('stops at the last page when there are fewer leads than the page size', async () => {
    const scope = api().get(`${V1}/submissions`).query({ per_page: 100, page: 1 }).reply(200, page([submission(2), submission(1)]));
    expect(await appTester(perform, bundle({}, { limit: 100 }))).toHaveLength(2);
    scope.done();
  });

  it('reads a larger window when Zapier populates its dedupe list without a limit', async () => {
    const scope = api();
    for (let p = 1; p <= 5; p++) {
      const data = Array.from({ length: 100 }, (_, i) => submission(1000 - (p - 1) * 100 - i));
      scope.get(`${V1}/submissions`).query({ per_page: 100, page: p }).reply(200, page(data, p, 100, 900));
    }
    const rows = (await appTester(perform, bundle({}, { limit: -1, isPopulatingDedupe: true }))) as Row[];
    expect(rows).toHaveLength(500);
    scope.done();
  });
});

describe('New Submission: filters', () => {
  it('filters by the chosen form', async () => {
    const scope = api().get(`${V1}/submissions`).query({ form_id: 'frm_7', per_page: 100, page: 1 }).reply(200, page([submission(1, { form_id: 'frm_7' })]));
    expect(await appTester(perform, bundle({ form_id: 'frm_7' }))).toHaveLength(1);
    scope.done();
  });

  it('skips leads marked as spam unless asked, and fetches on to fill the page', async () => {
    const first = [submission(4), submission(3, { is_spam: true }), submission(2)];
    const scope = api()
      .get(`${V1}/submissions`)
      .query({ per_page: 3, page: 1 })
      .reply(200, page(first, 1, 3, 6))
      .get(`${V1}/submissions`)
      .query({ per_page: 3, page: 2 })
      .reply(200, page([submission(1)], 2, 3, 6));
    const rows = (await appTester(perform, bundle({}, { limit: 3 }))) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['sub_4', 'sub_2', 'sub_1']);
    scope.done();
  });

  it.each([true, 'yes', 'true'])('includes spam when Include Spam? is %p', async (includeSpam) => {
    const scope = api().get(`${V1}/submissions`).query(true).reply(200, page([submission(2, { is_spam: true }), submission(1)]));
    const rows = (await appTester(perform, bundle({ include_spam: includeSpam }))) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['sub_2', 'sub_1']);
    scope.done();
  });
});

describe('New Submission: output fields', () => {
  const [staticFields, dynamicFields] = [
    trigger.operation.outputFields?.filter((f) => typeof f !== 'function'),
    trigger.operation.outputFields?.find((f) => typeof f === 'function'),
  ];

  it('labels id, date, form and every metadata key for a non-developer, with a realistic sample', () => {
    expect(staticFields).toEqual(
      expect.arrayContaining([
        { key: 'id', label: 'Submission ID', type: 'string' },
        { key: 'created_at', label: 'Submitted At', type: 'datetime' },
        { key: 'metadata__utm_source', label: 'UTM Source', type: 'string' },
        { key: 'metadata__page_url', label: 'Page URL', type: 'string' },
      ]),
    );
    expect(trigger.operation.sample).toMatchObject({ id: expect.any(String), Email: expect.stringContaining('@'), metadata: expect.any(Object) });
  });

  it('adds the chosen form\'s fields, read from its recent leads', async () => {
    const scope = api()
      .get(`${V1}/submissions`)
      .query({ form_id: 'frm_7', per_page: 50 })
      .reply(200, page([submission(2, { fields: { Email: 'a@x.com', Budget: '5k' } }), submission(1, { fields: { Email: 'b@x.com', id: 'x' } })], 1, 50));
    const fields = await appTester(dynamicFields, bundle({ form_id: 'frm_7' }));
    expect(fields).toEqual([
      { key: 'Email', label: 'Email', type: 'string' },
      { key: 'Budget', label: 'Budget', type: 'string' },
      { key: 'field_id', label: 'id', type: 'string' },
    ]);
    scope.done();
  });

  it('adds nothing without a form, and nothing (rather than an error) when the fields cannot be read', async () => {
    expect(await appTester(dynamicFields, bundle())).toEqual([]);
    const scope = api().get(`${V1}/submissions`).query(true).reply(403, { error: { code: 'insufficient_scope', message: 'nope' } });
    expect(await appTester(dynamicFields, bundle({ form_id: 'frm_7' }))).toEqual([]);
    scope.done();
  });
});
