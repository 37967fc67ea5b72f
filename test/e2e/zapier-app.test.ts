/**
 * The Zapier app end to end: its operations run through createAppTester (so through
 * z.request and the app's middleware) against the sandbox over real HTTP.
 * A full-scope key does everything; a read-only key is refused every action with the
 * scope message; a revoked key fails the connection test with the reconnect message.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { scopes } from '@leadtosheet/shared';
import { createSandbox, type RunningSandbox, type Sandbox } from 'lts-sandbox';
import { App, appTester, failure } from '../../zapier-app/test/helpers.js';

type Row = Record<string, unknown> & { id: string };

let sandbox: Sandbox;
let running: RunningSandbox;
let siteId: string;
let contactId: string;
const keys = { full: '', readOnly: '', revoked: '', writeOnly: '' };

const as = (key: string, inputData: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({ authData: { api_key: key }, inputData, meta });
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();

beforeAll(async () => {
  sandbox = createSandbox({ rateLimit: 0 });
  running = await sandbox.listen(0);
  process.env.LTS_BASE_URL = running.baseUrl;

  const site = sandbox.createSite({ name: 'Acme Bakery', domain: 'acme-bakery.example' });
  siteId = site.id;
  keys.full = sandbox.createKey(siteId, { name: 'Zapier', scopes: [...scopes] }).key;
  keys.readOnly = sandbox.createKey(siteId, { name: 'Zapier read-only', scopes: ['submissions:read', 'forms:read'] }).key;
  keys.writeOnly = sandbox.createKey(siteId, { name: 'Zapier ingest only', scopes: ['submissions:write'] }).key;
  const revoked = sandbox.createKey(siteId, { name: 'Zapier old', scopes: [...scopes] });
  keys.revoked = revoked.key;
  sandbox.revokeKey(revoked.id);

  contactId = sandbox.createForm(siteId, { name: 'Contact', sheet_tab: 'Leads' }).id;
  sandbox.createForm(siteId, { name: 'Newsletter' });
  const lead = (minute: number, fields: Record<string, string>, formName = 'Contact') =>
    sandbox.createSubmission(siteId, { formName, fields, createdAt: at(minute), metadata: { page_url: 'https://acme-bakery.example/contact', utm_source: 'google' } });
  lead(1, { Email: 'alice@example.com', 'Full name': 'Alice Martin' });
  lead(2, { Email: 'bob@example.com', 'Full name': 'Bob Stone', Phone: '+1 415 555 0134' });
  lead(3, { Email: 'carol@example.com' }, 'Newsletter');
});

afterAll(async () => {
  delete process.env.LTS_BASE_URL;
  await sandbox?.close();
});

describe('with a full-scope key, everything works', () => {
  it('connects: the test reads the site, the label shows its name and the masked key', async () => {
    const site = await appTester<Row>(App.authentication.test, as(keys.full));
    expect(site).toMatchObject({ id: siteId, name: 'Acme Bakery', masked_key: `${keys.full.slice(0, 8)}…` });
    const label = await appTester(App.authentication.connectionLabel, { authData: { api_key: keys.full }, inputData: site });
    expect(label).toBe(`Acme Bakery (acme-bakery.example) · ${keys.full.slice(0, 8)}…`);
  });

  it('New Submission: newest first, fields flattened, metadata kept; filtered by form', async () => {
    const all = await appTester<Row[]>(App.triggers.new_submission.operation.perform, as(keys.full));
    expect(all.map((r) => r.Email)).toEqual(['carol@example.com', 'bob@example.com', 'alice@example.com']);
    expect(all[1]).toMatchObject({ form_name: 'Contact', 'Full name': 'Bob Stone', Phone: '+1 415 555 0134', metadata: { utm_source: 'google' } });

    const contact = await appTester<Row[]>(App.triggers.new_submission.operation.perform, as(keys.full, { form_id: contactId }, { limit: 1 }));
    expect(contact.map((r) => r.Email)).toEqual(['bob@example.com']);
  });

  it('New Submission: the chosen form\'s fields become output fields', async () => {
    const dynamic = App.triggers.new_submission.operation.outputFields?.find((f) => typeof f === 'function');
    const fields = await appTester<Array<{ key: string }>>(dynamic, as(keys.full, { form_id: contactId }));
    expect(fields.map((f) => f.key)).toEqual(['Email', 'Full name', 'Phone']);
  });

  it('New Form and the Form dropdown list the site\'s forms', async () => {
    const forms = await appTester<Row[]>(App.triggers.new_form.operation.perform, as(keys.full));
    expect(forms.map((f) => f.name).sort()).toEqual(['Contact', 'Newsletter']);
    const dropdown = await appTester<Row[]>(App.triggers.form_list.operation.perform, as(keys.full, {}, { page: 0 }));
    expect(dropdown.map((f) => f.id)).toContain(contactId);
    expect(await appTester(App.triggers.form_list.operation.perform, as(keys.full, {}, { page: 1 }))).toEqual([]);
  });

  it('Create Lead: offers the form\'s known fields, creates the lead, and New Submission sees it first', async () => {
    const known = App.creates.create_lead.operation.inputFields?.find((f) => typeof f === 'function');
    const inputs = await appTester<Array<{ key: string }>>(known, as(keys.full, { form_id: contactId }));
    expect(inputs.map((f) => f.key)).toEqual(['field:Email', 'field:Full name', 'field:Phone']);

    const created = await appTester<Row>(
      App.creates.create_lead.operation.perform,
      as(keys.full, { form_id: contactId, 'field:Email': 'dave@example.com', other_fields: { Budget: '5k' }, utm_campaign: 'spring' }),
    );
    expect(created).toMatchObject({ form_id: contactId, Email: 'dave@example.com', Budget: '5k', metadata: { utm_campaign: 'spring' } });

    const [newest] = await appTester<Row[]>(App.triggers.new_submission.operation.perform, as(keys.full, {}, { limit: 1 }));
    expect(newest?.id).toBe(created.id);
  });

  it('Create Lead by a new form name creates the form; Find Form finds it', async () => {
    await appTester(App.creates.create_lead.operation.perform, as(keys.full, { form_name: 'Webinar', other_fields: { Email: 'erin@example.com' } }));
    const [found] = await appTester<Row[]>(App.searches.find_form.operation.perform, as(keys.full, { name: 'webinar' }));
    expect(found).toMatchObject({ name: 'Webinar', submission_count: 1 });
  });

  it('Find Submission: the newest lead with the value, in a field, form and date range', async () => {
    const [bob] = await appTester<Row[]>(App.searches.find_submission.operation.perform, as(keys.full, { value: 'BOB@example.com', field: 'email', form_id: contactId }));
    expect(bob).toMatchObject({ 'Full name': 'Bob Stone' });
    const none = await appTester<Row[]>(App.searches.find_submission.operation.perform, as(keys.full, { value: 'bob@example.com', since: at(5) }));
    expect(none).toEqual([]);
    const before = await appTester<Row[]>(App.searches.find_submission.operation.perform, as(keys.full, { value: 'alice@example.com', until: at(1) }));
    expect(before.map((r) => r['Full name'])).toEqual(['Alice Martin']);
  });

  it('Update Form: renames, moves the sheet tab and ignores; refuses an empty update', async () => {
    const updated = await appTester<Row>(App.creates.update_form.operation.perform, as(keys.full, { form_id: contactId, name: 'Contact (EN)', sheet_tab: 'Leads EN', ignored: 'yes' }));
    expect(updated).toMatchObject({ id: contactId, name: 'Contact (EN)', sheet_tab: 'Leads EN', ignored: true });
    const f = await failure(appTester(App.creates.update_form.operation.perform, as(keys.full, { form_id: contactId })));
    expect(f.message).toMatch(/^Nothing to update/);
  });

  it('an unknown form points at the Form input', async () => {
    const f = await failure(appTester(App.creates.update_form.operation.perform, as(keys.full, { form_id: 'form_missing', name: 'X' })));
    expect(f).toMatchObject({ status: 404 });
    expect(f.message).toMatch(/^Check the "Form" field/);
  });

  it('a rate limit becomes a ThrottledError with the server\'s delay', async () => {
    sandbox.faults.burst429(1, 7);
    const f = await failure(appTester(App.triggers.new_form.operation.perform, as(keys.full)));
    expect(f).toMatchObject({ name: 'ThrottledError', delay: 7 });
  });
});

describe('with a read-only key, the actions fail with the scope message', () => {
  it.each([
    ['Create Lead', () => App.creates.create_lead.operation.perform, { other_fields: { Email: 'x@example.com' } }, 'submissions:write'],
    ['Update Form', () => App.creates.update_form.operation.perform, { name: 'Renamed' }, 'forms:write'],
  ])('%s', async (label, perform, input, scope) => {
    const before = sandbox.store.counts();
    const f = await failure(appTester(perform(), as(keys.readOnly, { form_id: contactId, ...input })));
    expect(f).toMatchObject({ code: 'insufficient_scope', status: 403 });
    expect(f.message).toContain(`The "${label}" action needs the "${scope}" scope`);
    expect(f.message).toContain(`Create a LeadToSheet API key that includes "${scope}"`);
    expect(sandbox.store.counts()).toEqual(before);
  });

  it('while its triggers and searches still work', async () => {
    expect(await appTester<Row[]>(App.triggers.new_submission.operation.perform, as(keys.readOnly, {}, { limit: 2 }))).toHaveLength(2);
    expect(await appTester<Row[]>(App.searches.find_form.operation.perform, as(keys.readOnly, { name: 'Newsletter' }))).toHaveLength(1);
  });

  it('a key that can only create leads is told why the form\'s fields are not listed', async () => {
    const known = App.creates.create_lead.operation.inputFields?.find((f) => typeof f === 'function');
    const [note] = await appTester<Array<{ type: string; helpText: string }>>(known, as(keys.writeOnly, { form_id: contactId }));
    expect(note).toMatchObject({ type: 'copy', helpText: expect.stringContaining('submissions:read') });
  });
});

describe('with a revoked key', () => {
  it('the connection test fails with the reconnect message', async () => {
    const f = await failure(appTester(App.authentication.test, as(keys.revoked)));
    expect(f.name).toBe('ExpiredAuthError');
    expect(f.message).toMatch(/invalid, expired or was revoked\. Create a new API key in your LeadToSheet dashboard \(API keys\) and reconnect with it\./);
    expect(f.message).not.toContain(keys.revoked);
  });

  it('and so does every step', async () => {
    const f = await failure(appTester(App.triggers.new_submission.operation.perform, as(keys.revoked)));
    expect(f.name).toBe('ExpiredAuthError');
  });
});
