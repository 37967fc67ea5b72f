/**
 * Submissions over real HTTP through the shared client: newest-first order with ties on
 * the same millisecond broken by id, pagination edges, the form_id / since / q filters,
 * form discovery by name, and the documented form rules (10,000-character cap, sensitive
 * field names dropped).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FIELD_VALUE_MAX_CHARS, type LeadToSheetClient } from '@leadtosheet/shared';
import { DEFAULT_FORM_NAME } from 'lts-sandbox';
import { clientFor, failure, startSandbox, type Harness } from './support/sandbox-harness.js';

let h: Harness;
let client: LeadToSheetClient;

beforeAll(async () => {
  h = await startSandbox();
  client = clientFor(h.baseUrl, h.fullKey);
});
afterAll(() => h.close());

/** A fresh site with `n` leads one minute apart (oldest first), and a client for it. */
function siteWith(n: number, form = 'Contact') {
  const site = h.sandbox.createSite({ name: `site with ${n}` });
  const key = h.sandbox.createKey(site.id, { name: 'k', scopes: ['submissions:read', 'submissions:write', 'forms:read'] }).key;
  const created = Array.from({ length: n }, (_, i) =>
    h.sandbox.createSubmission(site.id, { formName: form, fields: { Email: `lead${i}@example.com` }, createdAt: new Date(Date.UTC(2026, 0, 1, 9, i)) }),
  );
  return { site, client: clientFor(h.baseUrl, key), newestFirst: created.map((s) => s.id).reverse() };
}

describe('order and pagination', () => {
  it('an empty site answers an empty first page with total 0', async () => {
    const { client: c } = siteWith(0);
    await expect(c.listSubmissions()).resolves.toEqual({ data: [], pagination: { page: 1, per_page: 25, total: 0, total_pages: 0 } });
  });

  it('an exact multiple of per_page: full pages, then an empty page past the end', async () => {
    const { client: c, newestFirst } = siteWith(6);
    const p1 = await c.listSubmissions({ perPage: 3, page: 1 });
    const p2 = await c.listSubmissions({ perPage: 3, page: 2 });
    const p3 = await c.listSubmissions({ perPage: 3, page: 3 });
    expect(p1.data.map((s) => s.id)).toEqual(newestFirst.slice(0, 3));
    expect(p2.data.map((s) => s.id)).toEqual(newestFirst.slice(3, 6));
    expect(p2.pagination).toEqual({ page: 2, per_page: 3, total: 6, total_pages: 2 });
    expect(p3).toEqual({ data: [], pagination: { page: 3, per_page: 3, total: 6, total_pages: 2 } });
  });

  it('the last page holds the remainder; a page far beyond the end is empty', async () => {
    const { client: c, newestFirst } = siteWith(7);
    const last = await c.listSubmissions({ perPage: 3, page: 3 });
    expect(last.data.map((s) => s.id)).toEqual([newestFirst[6]]);
    expect(last.pagination.total_pages).toBe(3);
    expect((await c.listSubmissions({ perPage: 3, page: 99 })).data).toEqual([]);
  });

  it('walking every page yields each lead once, newest first', async () => {
    const { client: c, newestFirst } = siteWith(12);
    const seen: string[] = [];
    for await (const s of c.iterateSubmissions({ perPage: 5 })) seen.push(s.id);
    expect(seen).toEqual(newestFirst);
  });

  it('leads of the same millisecond are ordered by id, newest id first, stable across pages', async () => {
    const site = h.sandbox.createSite({ name: 'same ms' });
    const key = h.sandbox.createKey(site.id, { name: 'k', scopes: ['submissions:read'] }).key;
    const at = '2026-02-02T10:00:00.123Z';
    const ids = [1, 2, 3, 4].map((i) => h.sandbox.createSubmission(site.id, { fields: { n: i }, createdAt: at }).id);
    const c = clientFor(h.baseUrl, key);
    const pages = [await c.listSubmissions({ perPage: 2, page: 1 }), await c.listSubmissions({ perPage: 2, page: 2 })];
    expect(pages.flatMap((p) => p.data.map((s) => s.id))).toEqual([...ids].reverse());
    expect(pages[0]!.data.every((s) => s.created_at === at)).toBe(true);
  });
});

describe('filters', () => {
  let site: { client: LeadToSheetClient; contact: string; newsletter: string; times: string[] };

  beforeAll(() => {
    const s = h.sandbox.createSite({ name: 'filters' });
    const key = h.sandbox.createKey(s.id, { name: 'k', scopes: ['submissions:read'] }).key;
    const add = (formName: string, minute: number, fields: Record<string, string | string[]>) =>
      h.sandbox.createSubmission(s.id, { formName, fields, createdAt: new Date(Date.UTC(2026, 4, 1, 12, minute)) });
    const a = add('Contact', 0, { Email: 'ALICE@example.com', Message: 'Pricing question' });
    const b = add('Newsletter', 10, { Email: 'bob@example.com', Topics: ['Pricing', 'News'] });
    const c = add('Contact', 20, { Email: 'carol@example.com' });
    site = { client: clientFor(h.baseUrl, key), contact: a.form_id!, newsletter: b.form_id!, times: [a.created_at, b.created_at, c.created_at] };
  });

  it('form_id keeps one form', async () => {
    const page = await site.client.listSubmissions({ formId: site.contact });
    expect(page.data.map((s) => s.fields.Email)).toEqual(['carol@example.com', 'ALICE@example.com']);
    expect(page.data.every((s) => s.form_name === 'Contact')).toBe(true);
  });

  it('since is inclusive: a lead created exactly at since is in', async () => {
    const page = await site.client.listSubmissions({ since: site.times[1] });
    expect(page.data.map((s) => s.fields.Email)).toEqual(['carol@example.com', 'bob@example.com']);
    const oneMsLater = new Date(Date.parse(site.times[1]!) + 1).toISOString();
    expect((await site.client.listSubmissions({ since: oneMsLater })).data.map((s) => s.fields.Email)).toEqual(['carol@example.com']);
  });

  it('q matches field values (case-insensitive, list values too) and the form name', async () => {
    expect((await site.client.listSubmissions({ q: 'alice' })).data.map((s) => s.fields.Email)).toEqual(['ALICE@example.com']);
    expect((await site.client.listSubmissions({ q: 'PRICING' })).pagination.total).toBe(2);
    expect((await site.client.listSubmissions({ q: 'newsletter' })).data.map((s) => s.fields.Email)).toEqual(['bob@example.com']);
    expect((await site.client.listSubmissions({ q: 'nobody-has-this' })).data).toEqual([]);
  });

  it('filters combine', async () => {
    const page = await site.client.listSubmissions({ formId: site.contact, since: site.times[1], q: 'example' });
    expect(page.data.map((s) => s.fields.Email)).toEqual(['carol@example.com']);
  });

  it('a form_id that is not on the site is 404 not_found', async () => {
    const err = await failure(site.client.listSubmissions({ formId: 'form_doesnotexist' }));
    expect(err).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('creating submissions', () => {
  it('returns 201 with the stored lead, readable by id, with its metadata', async () => {
    const created = await client.createSubmission({
      formName: 'Contact',
      fields: { Email: 'dana@example.com', Age: 41, Subscribed: true, Tags: ['a', 'b'], Note: null },
      metadata: { utm_source: 'newsletter', page_url: 'https://acme.test/contact', custom_tracking: 'kept' } as never,
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^sub_[0-9a-z]{26}$/),
      form_name: 'Contact',
      fields: { Email: 'dana@example.com', Age: 41, Subscribed: true, Tags: ['a', 'b'], Note: null },
      metadata: { utm_source: 'newsletter', page_url: 'https://acme.test/contact', custom_tracking: 'kept' },
      is_spam: false,
    });
    expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await expect(client.getSubmission(created.id)).resolves.toEqual(created);
  });

  it('an unknown form_name creates ("discovers") the form; the same name in other case reuses it', async () => {
    const before = (await client.listForms()).pagination.total;
    const first = await client.createSubmission({ formName: 'Pricing page', fields: { Email: 'e@example.com' } });
    const second = await client.createSubmission({ formName: 'pricing PAGE', fields: { Email: 'f@example.com' } });
    expect(second.form_id).toBe(first.form_id);
    const forms = await client.listForms({ perPage: 100 });
    expect(forms.pagination.total).toBe(before + 1);
    expect(forms.data.find((f) => f.id === first.form_id)).toMatchObject({ name: 'Pricing page', sheet_tab: 'Pricing page', ignored: false, submission_count: 2 });
  });

  it(`with no form given, the lead goes to the "${DEFAULT_FORM_NAME}" form`, async () => {
    const created = await client.createSubmission({ fields: { Email: 'g@example.com' } });
    expect(created.form_name).toBe(DEFAULT_FORM_NAME);
  });

  it('form_id files the lead under that form; an unknown form_id is 404 and stores nothing', async () => {
    const form = h.sandbox.createForm(h.site.id, { name: 'Quote' });
    await expect(client.createSubmission({ formId: form.id, fields: { Email: 'h@example.com' } })).resolves.toMatchObject({ form_id: form.id, form_name: 'Quote' });
    const before = h.sandbox.store.counts();
    const err = await failure(client.createSubmission({ formId: 'form_unknown', fields: { Email: 'i@example.com' } }));
    expect(err).toMatchObject({ status: 404, code: 'not_found' });
    expect(h.sandbox.store.counts()).toEqual(before);
  });

  it(`caps values at ${FIELD_VALUE_MAX_CHARS} characters (strings and list items), numbers untouched`, async () => {
    const long = 'x'.repeat(FIELD_VALUE_MAX_CHARS + 50);
    const created = await client.createSubmission({ fields: { Message: long, Picks: [long, 'short'], Count: 123456789 } });
    expect(created.fields.Message).toBe('x'.repeat(FIELD_VALUE_MAX_CHARS));
    expect(created.fields.Picks).toEqual(['x'.repeat(FIELD_VALUE_MAX_CHARS), 'short']);
    expect(created.fields.Count).toBe(123456789);
    expect((await client.getSubmission(created.id)).fields.Message).toHaveLength(FIELD_VALUE_MAX_CHARS);
  });

  it('drops sensitive field names, whatever their case, spaces, dashes or underscores', async () => {
    const created = await client.createSubmission({
      fields: { Email: 'j@example.com', Password: 'hunter2', 'Card Number': '4111 1111 1111 1111', card_number: '4111', CVC: '123', 'S-S-N': '078-05-1120', 'Business name': 'Acme' },
    });
    expect(Object.keys(created.fields).sort()).toEqual(['Business name', 'Email']);
  });

  it('a lead made only of sensitive fields is refused with 422, naming them, and nothing is stored', async () => {
    const before = h.sandbox.store.counts();
    const err = await failure(client.createSubmission({ fields: { password: 'x', cvv: '999' } }));
    expect(err).toMatchObject({ status: 422, code: 'validation_error' });
    expect(err.serverMessage).toMatch(/every field was dropped/);
    expect(err.details?.map((d) => d.field)).toEqual(['fields.password', 'fields.cvv']);
    expect(h.sandbox.store.counts()).toEqual(before);
  });

  it('GET /site usage counts the stored leads and forms', async () => {
    const site = await client.getSite();
    expect(site.usage).toEqual({ submissions: h.sandbox.store.submissionsOf(h.site.id).length, forms: h.sandbox.store.formsOf(h.site.id).length });
  });
});
