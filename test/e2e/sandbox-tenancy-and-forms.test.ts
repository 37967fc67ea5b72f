/**
 * A key sees its own site only: another site's ids answer exactly like ids that do not
 * exist. And the forms operations: list (oldest first), read, update (name, sheet tab,
 * ignored; updated_at moves, created_at does not).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LeadToSheetClient } from '@leadtosheet/shared';
import { ALL_SCOPES, clientFor, failure, manualClock, raw, startSandbox, type Harness } from './support/sandbox-harness.js';

const clock = manualClock('2026-04-01T08:00:00.000Z');
let h: Harness;
let a: LeadToSheetClient;
let b: { siteId: string; submissionId: string; formId: string; key: string };

beforeAll(async () => {
  h = await startSandbox({ now: clock.now });
  a = clientFor(h.baseUrl, h.fullKey);
  h.sandbox.createSubmission(h.site.id, { formName: 'Contact', fields: { Email: 'a@site-a.example' } });
  const siteB = h.sandbox.createSite({ name: 'Other company', domain: 'other.example' });
  const sub = h.sandbox.createSubmission(siteB.id, { formName: 'Secret form', fields: { Email: 'b@site-b.example' } });
  b = { siteId: siteB.id, submissionId: sub.id, formId: sub.form_id!, key: h.sandbox.createKey(siteB.id, { name: 'b', scopes: ALL_SCOPES }).key };
});
afterAll(() => h.close());

describe('tenant isolation', () => {
  const unknownSub = 'sub_00000000000000000000000000';
  const unknownForm = 'form_00000000000000000000000000';
  const sameAnswer = async (path: (id: string) => string, realId: string, unknownId: string, init: { method?: string; body?: unknown } = {}) => {
    const theirs = await raw(h.baseUrl, path(realId), { ...init, key: h.fullKey });
    const none = await raw(h.baseUrl, path(unknownId), { ...init, key: h.fullKey });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('not_found');
    expect(theirs.text.replace(realId, 'ID')).toBe(none.text.replace(unknownId, 'ID'));
  };

  it("site B's submission id is not found for site A's key, exactly like an id that does not exist", () =>
    sameAnswer((id) => `/submissions/${id}`, b.submissionId, unknownSub));

  it("site B's form id is not found for reading or updating, and B's form is unchanged", async () => {
    await sameAnswer((id) => `/forms/${id}`, b.formId, unknownForm);
    await sameAnswer((id) => `/forms/${id}`, b.formId, unknownForm, { method: 'PATCH', body: { name: 'Hijacked' } });
    expect(h.sandbox.store.form(b.formId)?.name).toBe('Secret form');
  });

  it("site B's form id as a filter or as the target of a new lead: 404, nothing stored", async () => {
    expect(await failure(a.listSubmissions({ formId: b.formId }))).toMatchObject({ status: 404, code: 'not_found' });
    const before = h.sandbox.store.counts();
    expect(await failure(a.createSubmission({ formId: b.formId, fields: { Email: 'x@example.com' } }))).toMatchObject({ status: 404 });
    expect(h.sandbox.store.counts()).toEqual(before);
  });

  it("lists, search and usage never include the other site's data", async () => {
    const mine = await a.listSubmissions({ perPage: 100 });
    expect(mine.data.map((s) => s.fields.Email)).not.toContain('b@site-b.example');
    expect((await a.listSubmissions({ q: 'site-b' })).data).toEqual([]);
    expect((await a.listForms()).data.map((f) => f.name)).not.toContain('Secret form');
    const theirSite = await clientFor(h.baseUrl, b.key).getSite();
    expect(theirSite).toMatchObject({ id: b.siteId, name: 'Other company', usage: { submissions: 1, forms: 1 } });
  });
});

describe('forms', () => {
  it('lists forms oldest first with their submission counts, and reads one by id', async () => {
    clock.advance(1000);
    h.sandbox.createSubmission(h.site.id, { formName: 'Newsletter', fields: { Email: 'n@example.com' } });
    const page = await a.listForms();
    expect(page.data.map((f) => [f.name, f.submission_count])).toEqual([
      ['Contact', 1],
      ['Newsletter', 1],
    ]);
    expect(page.pagination).toEqual({ page: 1, per_page: 25, total: 2, total_pages: 1 });
    await expect(a.getForm(page.data[0]!.id)).resolves.toEqual(page.data[0]);
    expect((await a.listForms({ perPage: 1, page: 2 })).data.map((f) => f.name)).toEqual(['Newsletter']);
  });

  it('updates name, sheet tab and ignored; updated_at moves to now, created_at stays', async () => {
    const form = (await a.listForms()).data[0]!;
    clock.advance(60_000);
    const updated = await a.updateForm(form.id, { name: 'Contact us', sheetTab: 'Leads 2026', ignored: true });
    expect(updated).toMatchObject({ id: form.id, name: 'Contact us', sheet_tab: 'Leads 2026', ignored: true, created_at: form.created_at, updated_at: clock.iso() });
    expect(Date.parse(updated.updated_at!)).toBeGreaterThan(Date.parse(form.updated_at!));
    await expect(a.getForm(form.id)).resolves.toEqual(updated);
  });

  it('a partial update changes only what it names; submissions show the new form name', async () => {
    const form = (await a.listForms()).data[0]!;
    const updated = await a.updateForm(form.id, { ignored: false });
    expect(updated).toMatchObject({ name: form.name, sheet_tab: form.sheet_tab, ignored: false });
    const lead = (await a.listSubmissions({ formId: form.id })).data[0]!;
    expect(lead.form_name).toBe(form.name);
  });
});
