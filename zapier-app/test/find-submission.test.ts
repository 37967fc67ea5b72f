import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { App, V1, api, appTester, bundle, failure, page, submission } from './helpers.js';

const perform = App.searches.find_submission.operation.perform;
type Row = Record<string, unknown> & { id: string };

const lead = (n: number, fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => submission(n, { fields, ...extra });

describe('Find Submission', () => {
  it('asks the API for the value and returns the whole-value matches, newest first', async () => {
    const scope = api()
      .get(`${V1}/submissions`)
      .query({ q: 'alice@example.com', per_page: 100, page: 1 })
      .reply(
        200,
        page([
          lead(3, { Email: 'ALICE@example.com ' }),
          lead(5, { Email: 'alice@example.com.au' }),
          lead(4, { Notes: 'cc alice@example.com' }),
          lead(9, { Email: 'alice@example.com' }),
        ]),
      );
    const rows = (await appTester(perform, bundle({ value: ' alice@example.com ' }))) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['sub_9', 'sub_3']);
    expect(rows[0]).toMatchObject({ Email: 'alice@example.com', form_name: 'Contact us' });
    scope.done();
  });

  it('looks only in the named field when In Field is set (any case)', async () => {
    const scope = api()
      .get(`${V1}/submissions`)
      .query(true)
      .reply(200, page([lead(2, { 'Referred by': 'bob@example.com' }), lead(1, { Email: 'bob@example.com' })]));
    const rows = (await appTester(perform, bundle({ value: 'bob@example.com', field: 'email' }))) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['sub_1']);
    scope.done();
  });

  it('matches one value of a multi-value field', async () => {
    const scope = api().get(`${V1}/submissions`).query(true).reply(200, page([lead(1, { Interests: ['Pricing', 'Demo'] })]));
    expect(await appTester(perform, bundle({ value: 'demo' }))).toHaveLength(1);
    scope.done();
  });

  it('narrows by form and date range: since goes to the API, before is applied to each lead', async () => {
    const scope = api()
      .get(`${V1}/submissions`)
      .query({ q: 'x@example.com', form_id: 'frm_7', since: '2026-03-01T00:00:00.000Z', per_page: 100, page: 1 })
      .reply(200, page([lead(50, { Email: 'x@example.com' }), lead(20, { Email: 'x@example.com' })]));
    const rows = (await appTester(
      perform,
      bundle({ value: 'x@example.com', form_id: 'frm_7', since: '2026-03-01T00:00:00Z', until: '2026-03-01T12:00:30Z' }),
    )) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['sub_20']);
    scope.done();
  });

  it('reads further pages to find a match', async () => {
    const scope = api()
      .get(`${V1}/submissions`)
      .query({ q: 'late@example.com', per_page: 100, page: 1 })
      .reply(200, page([lead(9, { Email: 'other@example.com' })], 1, 100, 150))
      .get(`${V1}/submissions`)
      .query({ q: 'late@example.com', per_page: 100, page: 2 })
      .reply(200, page([lead(1, { Email: 'late@example.com' })], 2, 100, 150));
    const rows = (await appTester(perform, bundle({ value: 'late@example.com' }))) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['sub_1']);
    scope.done();
  });

  it('returns nothing (so Find or Create creates) when no lead matches', async () => {
    const scope = api().get(`${V1}/submissions`).query(true).reply(200, page([]));
    expect(await appTester(perform, bundle({ value: 'nobody@example.com' }))).toEqual([]);
    scope.done();
  });

  it.each([
    [{ value: '   ' }, /"Value to Find" is empty/],
    [{ value: 'a', until: 'soon' }, /^Check the "Submitted Before" field: expected a date and time/],
    [{ value: 'a', since: '2026-03-02T00:00:00Z', until: '2026-03-01T00:00:00Z' }, /"Submitted Before" is earlier than "Submitted After"/],
  ])('names the input at fault before any request: %p', async (input, message) => {
    const f = await failure(appTester(perform, bundle(input)));
    expect(f).toMatchObject({ name: 'AppError', status: 400 });
    expect(f.message).toMatch(message);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('without submissions:read, names the scope and the search', async () => {
    const scope = api().get(`${V1}/submissions`).query(true).reply(403, { error: { code: 'insufficient_scope', message: 'Forbidden' } });
    const f = await failure(appTester(perform, bundle({ value: 'a@example.com' })));
    expect(f.message).toMatch(/^The "Find Submission" search needs the "submissions:read" scope/);
    scope.done();
  });
});

describe('Find or Create Lead', () => {
  it('pairs Find Submission with Create Lead', () => {
    expect(App.searchOrCreates.find_submission).toMatchObject({
      key: 'find_submission',
      search: 'find_submission',
      create: 'create_lead',
      display: { label: 'Find or Create Lead' },
    });
  });
});
