/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core), against a
 * real bridge on the embedded store and the sandbox over HTTP: an operator signs in,
 * creates a key and sees it once, finds it by search, revokes it and finds it under
 * revoked keys, deletes it; a parked delivery is retried from the page and arrives; a
 * tenant sees only its own site and cannot open operator pages, not even by URL. After
 * all of it, no full key is in any page, any answer after its creation, or the logs, and
 * the page met no CSP violation or script error. Screenshots of each page are saved to
 * artifacts/dashboard/.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { firstKey, fullKeysIn } from './support/admin-harness.js';
import { addSite, api, startReceiver, startSandboxSite, startTestBridge, waitFor, type BridgeUnderTest, type SandboxSite } from './support/bridge-harness.js';
import { launchChromium, openPage, type WatchedPage } from './support/browser.js';

// A browser on a shared 2-core machine, and a delivery that must park first: more than jest's 30 s default.
jest.setTimeout(90_000);

describe('bridge dashboard in Chromium', () => {
  let a: SandboxSite;
  let b: SandboxSite;
  let bridge: BridgeUnderTest;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let root: Awaited<ReturnType<typeof firstKey>>;
  const subs = { a: '', b: '' };
  const pages: WatchedPage[] = [];
  /** Every full ltb_ key issued through the page (each may appear in its issuing answer only). */
  const issued: string[] = [];

  beforeAll(async () => {
    a = await startSandboxSite('Alpha');
    b = addSite(a.sandbox, a.api, 'Beta');
    receiver = await startReceiver([], { status: 500 });
    bridge = await startTestBridge('embedded', a.api.baseUrl);
    root = await firstKey(bridge);
    const subscribe = async (s: SandboxSite, url: string, description: string) => {
      const res = await api(bridge.url, s.keys.full, 'POST', '/v1/subscriptions', { url, description });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    subs.a = await subscribe(a, receiver.url, 'Alpha CRM hook');
    subs.b = await subscribe(b, 'http://127.0.0.2:9/beta-hook', 'Beta hook');
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => undefined);
    await browser?.close();
    await bridge?.stop();
    await receiver?.close();
    await a?.sandbox.close();
  });

  const open = async () => {
    const p = await openPage(browser, bridge.url);
    pages.push(p);
    return p;
  };
  const signIn = async (p: WatchedPage, key: string) => {
    await p.page.goto('/dashboard/');
    await p.page.getByLabel('API key').fill(key);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    await p.page.getByTestId('who').waitFor();
  };

  let operator: WatchedPage;

  it('signs an operator in and lands on the first page its scopes open', async () => {
    operator = await open();
    await operator.page.goto('/dashboard/keys');
    await operator.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await operator.shot('01-sign-in');
    await operator.page.getByLabel('API key').fill('ltb_not-a-real-key-at-all');
    await operator.page.getByRole('button', { name: 'Sign in' }).click();
    await operator.page.getByRole('alert').waitFor();
    expect(await operator.page.getByRole('alert').textContent()).toMatch(/admin key/i);
    await operator.page.getByLabel('API key').fill(root.key);
    await operator.page.getByRole('button', { name: 'Sign in' }).click();
    await operator.page.getByRole('heading', { name: 'Admin keys' }).waitFor();
    expect(await operator.page.getByTestId('who').textContent()).toContain(`${root.prefix}…`);
    const nav = await operator.page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Admin keys', 'Sites', 'Subscriptions', 'Deliveries', 'Audit log']);
    // The key is not in the address bar, the page, or the browser's storage.
    expect(operator.page.url()).not.toContain(root.key);
    expect(await operator.page.content()).not.toContain(root.key);
    const storage = await operator.page.evaluate(() => {
      // Runs in the page (its source is sent there): its globals, typed loosely since the tests are checked without the DOM library.
      const w = globalThis as any;
      return JSON.stringify({ local: { ...w.localStorage }, session: { ...w.sessionStorage }, cookie: w.document.cookie });
    });
    expect(storage).not.toContain('ltb_');
    expect(storage).not.toContain('bridge_session'); // HttpOnly: the page's script cannot read it
  });

  let made = { key: '', prefix: '' };

  it('creates a key with a name and ticked scopes and shows it once, masked until revealed', async () => {
    const page = operator.page;
    await page.getByLabel('Name', { exact: true }).fill('Runbook reader');
    const boxes = page.getByRole('group', { name: 'Scopes' }).getByRole('checkbox');
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(false); // none ticked by default
    await page.getByLabel(/^subscriptions:read/).check();
    await page.getByLabel(/^deliveries:read/).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const once = page.getByRole('region', { name: /your new key/ });
    await once.waitFor();
    expect(await once.textContent()).toMatch(/will not be shown again/);
    const masked = await once.getByTestId('secret').textContent();
    expect(masked).toMatch(/^ltb_•+$/);
    await operator.shot('02-key-created');
    await once.getByRole('button', { name: 'Reveal' }).click();
    made.key = (await once.getByTestId('secret').textContent())!;
    expect(made.key).toMatch(/^ltb_[A-Za-z0-9_-]{20,}$/);
    issued.push(made.key);
    await once.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied').waitFor();
    expect(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText())).toBe(made.key);
    await once.getByRole('button', { name: 'I have stored it' }).click();
    await once.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(made.key);

    const row = page.getByTestId('key-row').filter({ hasText: 'Runbook reader' });
    made.prefix = (await row.getAttribute('data-prefix'))!;
    expect(made.key.startsWith(made.prefix)).toBe(true);
    expect(await row.textContent()).toContain('Never used');
    expect(await row.textContent()).toMatch(/subscriptions:read.*deliveries:read/);
    // The key works, with exactly the scopes ticked.
    expect((await api(bridge.url, made.key, 'GET', '/admin/v1/subscriptions')).status).toBe(200);
    expect((await api(bridge.url, made.key, 'GET', '/admin/v1/keys')).status).toBe(403);
  });

  it('refuses a key without a name, saying which field', async () => {
    const page = operator.page;
    await page.getByLabel('Name', { exact: true }).fill('   ');
    await waitFor('Create key to be disabled', () => page.getByRole('button', { name: 'Create key' }).isDisabled());
    await page.getByLabel('Name', { exact: true }).fill('');
  });

  it('finds a key by search, and sorts by created', async () => {
    const page = operator.page;
    await page.getByLabel('Search by name').fill('runbook');
    await waitFor('the search to apply', async () => (await page.getByTestId('key-row').count()) === 1);
    expect(await page.getByTestId('key-row').textContent()).toContain('Runbook reader');
    await page.getByLabel('Search by name').fill('no such key');
    await page.getByText('No key named like "no such key"').waitFor();
    await page.getByLabel('Search by name').fill('');
    await waitFor('both keys listed', async () => (await page.getByTestId('key-row').count()) === 2);
    expect(await page.getByTestId('key-row').first().textContent()).toContain('Runbook reader');
    await page.getByLabel('Sort').selectOption('oldest');
    await waitFor('the oldest key first', async () => (await page.getByTestId('key-row').first().textContent())?.includes('root'));
    await page.getByLabel('Sort').selectOption('newest');
    await operator.shot('03-keys');
  });

  it('rotates a key: the new one is shown once and the old one stops working', async () => {
    const page = operator.page;
    const row = page.getByTestId('key-row').filter({ hasText: 'Runbook reader' });
    await row.getByRole('button', { name: 'Rotate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate key' }).click();
    const once = page.getByRole('region', { name: /rotated.*your new key/ });
    await once.waitFor();
    await once.getByRole('button', { name: 'Reveal' }).click();
    const rotated = (await once.getByTestId('secret').textContent())!;
    expect(rotated).toMatch(/^ltb_[A-Za-z0-9_-]{20,}$/);
    expect(rotated).not.toBe(made.key);
    issued.push(rotated);
    await once.getByRole('button', { name: 'I have stored it' }).click();
    expect((await api(bridge.url, made.key, 'GET', '/admin/v1/subscriptions')).status).toBe(401);
    expect((await api(bridge.url, rotated, 'GET', '/admin/v1/subscriptions')).status).toBe(200);
    // The list shows the new key's prefix once it has reloaded.
    const prefix = await waitFor('the new prefix listed', async () => {
      const p = await row.getAttribute('data-prefix');
      return p !== null && rotated.startsWith(p) ? p : undefined;
    });
    made = { key: rotated, prefix };
  });

  it('revokes a key, which then shows under "Show revoked keys" and stops working', async () => {
    const page = operator.page;
    const row = page.getByTestId('key-row').filter({ hasText: 'Runbook reader' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('revoked: it stops working at once').waitFor();
    expect((await api(bridge.url, made.key, 'GET', '/admin/v1/subscriptions')).status).toBe(401);
    await page.getByLabel(/Show revoked keys/).check();
    const revoked = page.getByRole('region', { name: 'Revoked keys' });
    await revoked.getByTestId('key-row').filter({ hasText: 'Runbook reader' }).waitFor();
    expect(await revoked.textContent()).toContain('revoked');
    await operator.shot('04-keys-revoked');
  });

  it('deletes a key after a confirmation that says it is permanent', async () => {
    const page = operator.page;
    const revoked = page.getByRole('region', { name: 'Revoked keys' });
    await revoked.getByTestId('key-row').filter({ hasText: 'Runbook reader' }).getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toMatch(/permanent/);
    await dialog.getByRole('button', { name: 'Delete permanently' }).click();
    await page.getByText('Key "Runbook reader" deleted').waitFor();
    await waitFor('the deleted key gone from the list', async () => (await page.getByTestId('key-row').filter({ hasText: 'Runbook reader' }).count()) === 0);
    const list = await api(bridge.url, root.key, 'GET', '/admin/v1/keys?include_revoked=true');
    expect(list.body.data.map((k: any) => k.name)).toEqual(['root']);
  });

  it('shows sites, subscriptions and the audit log', async () => {
    const page = operator.page;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Sites' }).click();
    await page.getByRole('heading', { name: 'Sites' }).waitFor();
    await page.getByText('Alpha').first().waitFor();
    await page.getByText('Beta').first().waitFor();
    await operator.shot('05-sites');
    // A site's own subscriptions, then every site's again from the menu.
    await page.getByTestId('site-row').filter({ hasText: 'Alpha' }).getByRole('link', { name: 'Subscriptions', exact: true }).click();
    await page.getByText('Alpha CRM hook').waitFor();
    await waitFor('the list filtered by site', async () => (await page.getByTestId('subscription-row').count()) === 1);
    expect(page.url()).toContain(`site=${a.siteId}`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByText('Beta hook').waitFor();
    expect(await page.getByTestId('subscription-row').count()).toBe(2);
    await operator.shot('06-subscriptions');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByText('subscription.created').first().waitFor();
    expect(await page.content()).toContain('dashboard.signed_in');
    await operator.shot('08-audit');
  });

  it('retries a parked delivery from the page, and it arrives', async () => {
    const page = operator.page;
    const lead = a.sandbox.createSubmission(a.siteId, { formName: 'Contact', fields: { Email: 'parked@example.com' } });
    const parked = await waitFor('a parked delivery', async () => {
      const list = await api(bridge.url, root.key, 'GET', `/admin/v1/deliveries?status=parked&subscription=${subs.a}`);
      return list.body.data.length === 1 && (list.body.data[0] as { id: string; attempts: number });
    }, 25_000);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Deliveries' }).click();
    const row = page.getByTestId('delivery-row').filter({ hasText: parked.id });
    await row.waitFor();
    expect(await row.textContent()).toContain('parked');
    // The status filter (kept in the address) narrows the log.
    await page.getByLabel('Status').selectOption('succeeded');
    await row.waitFor({ state: 'detached' });
    expect(page.url()).toContain('status=succeeded');
    await page.getByLabel('Status').selectOption('parked');
    await row.waitFor();
    await operator.shot('07-deliveries');
    await row.getByRole('link').first().click();
    await page.waitForURL(`**/dashboard/deliveries/${parked.id}`);
    await page.getByText('500').first().waitFor(); // the attempts, with the receiver's status code
    await operator.shot('07b-delivery-parked');
    receiver.answerWith({ status: 204 });
    const before = receiver.received.length;
    await page.getByRole('button', { name: 'Retry now' }).click();
    await waitFor('the retried delivery to arrive', () => receiver.received.length > before);
    const arrived = receiver.received.at(-1)!;
    expect(JSON.parse(arrived.body).data.id).toBe(lead.id);
    expect(arrived.headers['webhook-id']).toBe(parked.id);
    await waitFor('the page to show it delivered', async () => {
      await page.reload();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      return (await page.content()).includes('succeeded');
    });
    await operator.shot('07c-delivery-retried');
  });

  it('a tenant sees only its own site and cannot open operator pages, not even by URL', async () => {
    const tenant = await open();
    await signIn(tenant, a.keys.full);
    expect(await tenant.page.getByTestId('who').textContent()).toContain('Alpha');
    const nav = await tenant.page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Subscriptions']);
    await tenant.page.getByText('Alpha CRM hook').waitFor();
    expect(await tenant.page.content()).not.toContain('Beta hook');
    expect(await tenant.page.content()).not.toContain(subs.b);
    await tenant.shot('20-tenant-subscriptions');
    for (const path of ['/dashboard/keys', '/dashboard/sites', '/dashboard/deliveries', '/dashboard/audit', '/dashboard/subscriptions']) {
      await tenant.page.goto(path);
      await tenant.page.getByTestId('refused').waitFor();
      expect(await tenant.page.getByTestId('refused').textContent()).toMatch(/operator page.*admin key/);
    }
    await tenant.shot('21-tenant-refused');
    // The API behind the page refuses it too.
    const status = await tenant.page.evaluate(async () => (await fetch('/admin/v1/keys')).status);
    expect(status).toBe(403);
    expect(await tenant.page.evaluate(async () => (await fetch(`/v1/subscriptions`)).status)).toBe(200);
    const other = await tenant.page.evaluate(async (id) => (await fetch(`/v1/subscriptions/${id}`)).status, subs.b);
    expect(other).toBe(404);
  });

  it('a tenant creates a subscription (secret shown once), tests it, rotates its secret and deletes it', async () => {
    const tenant = await open();
    await signIn(tenant, a.keys.full);
    const page = tenant.page;
    const hook = await startReceiver();
    try {
      const form = page.getByRole('form', { name: 'Create a subscription' });
      await form.getByLabel('Target URL').fill('not a url');
      await form.getByRole('button', { name: 'Create subscription' }).click();
      await form.locator('.field-error').first().waitFor();
      expect(await form.locator('.field-error').first().textContent()).toMatch(/url/i);
      await form.getByLabel('Target URL').fill(hook.url);
      await form.getByLabel('Description (optional)').fill('Sales inbox');
      await form.getByRole('button', { name: 'Create subscription' }).click();
      const once = page.getByRole('region', { name: 'Signing secret' });
      await once.waitFor();
      expect(await once.getByTestId('secret').textContent()).toMatch(/^whsec_•+$/);
      await once.getByRole('button', { name: 'Reveal' }).click();
      const secret = (await once.getByTestId('secret').textContent())!;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
      await tenant.shot('22-tenant-created');
      await once.getByRole('button', { name: 'I have stored it' }).click();
      expect(await page.content()).not.toContain(secret);

      await page.getByRole('link', { name: hook.url }).click();
      await page.getByRole('heading', { name: 'Subscription', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Send test event' }).click();
      await page.getByTestId('test-result').waitFor();
      expect(await page.getByTestId('test-status-code').textContent()).toBe('204');
      expect(hook.received).toHaveLength(1);
      await page.getByRole('button', { name: 'Rotate secret' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
      const rotated = page.getByRole('region', { name: 'New signing secret' });
      await rotated.waitFor();
      expect(await rotated.getByTestId('secret-overlap').textContent()).toMatch(/previous secret/);
      await tenant.shot('23-tenant-subscription');
      await rotated.getByRole('button', { name: 'I have stored it' }).click();
      await page.getByRole('button', { name: 'Delete subscription' }).click();
      const dialog = page.getByRole('dialog', { name: /Delete this subscription/ });
      expect(await dialog.textContent()).toMatch(/permanent/);
      await dialog.getByRole('button', { name: 'Delete permanently' }).click();
      await page.getByRole('heading', { name: 'Subscriptions of Alpha' }).waitFor();
      await page.getByText('Alpha CRM hook').waitFor();
      expect(await page.getByRole('link', { name: hook.url }).count()).toBe(0);
      const list = await api(bridge.url, a.keys.full, 'GET', '/v1/subscriptions');
      expect(list.body.data.map((x: any) => x.url)).toEqual([receiver.url]);
      // No whsec_ secret in any answer but the two that issued one.
      const withSecret = tenant.answers.filter((x) => /whsec_[A-Za-z0-9+/=]{20,}/.test(x.text)).map((x) => `${x.method} ${new URL(x.url).pathname}`);
      expect(withSecret.map((x) => x.replace(/hook_\w+/, ':id'))).toEqual(['POST /v1/subscriptions', 'POST /v1/subscriptions/:id/rotate-secret']);
    } finally {
      await hook.close();
    }
  });

  it('offers an operator only the pages its key\'s scopes open', async () => {
    const auditor = await firstKey(bridge, 'auditor', ['audit:read']);
    const p = await open();
    await signIn(p, auditor.key);
    await p.page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(await p.page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents()).toEqual(['Audit log']);
    await p.page.goto('/dashboard/keys');
    await p.page.getByTestId('refused').waitFor();
    expect(await p.page.getByTestId('refused').textContent()).toContain(`needs the scope keys:admin, which the admin key ${auditor.prefix}… does not hold`);
    expect(await p.page.evaluate(async () => (await fetch('/admin/v1/keys')).status)).toBe(403);
  });

  it('signs out, and the session is gone', async () => {
    await operator.page.getByRole('button', { name: 'Sign out' }).click();
    await operator.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await operator.page.evaluate(async () => (await fetch('/admin/v1/keys')).status)).toBe(401);
  });

  it('leaves no full key in any answer after its creation, or in the logs, and meets no CSP violation', async () => {
    for (const p of pages) await p.close();
    const answers = pages.flatMap((p) => p.answers);
    expect(answers.length).toBeGreaterThan(30);
    // Bodies cut off by a navigation can't be scanned: only a few reads, never an issuing answer.
    const unread = answers.filter((x) => x.unread);
    expect(unread.filter((x) => x.method !== 'GET')).toEqual([]);
    expect(unread.length).toBeLessThan(answers.length / 10);
    const issuing = (x: { method: string; url: string }) => x.method === 'POST' && /\/admin\/v1\/keys(\/[^/]+\/rotate)?$/.test(x.url);
    for (const x of answers) {
      if (!issuing(x)) expect({ url: x.url, keys: fullKeysIn(x.text) }).toEqual({ url: x.url, keys: [] });
      expect(x.text).not.toContain(a.keys.full);
      expect(x.text).not.toContain(b.keys.full);
    }
    // Each issued key appeared in exactly one answer: the one that issued it.
    for (const key of issued) expect(answers.filter((x) => x.text.includes(key)).map((x) => x.method)).toEqual(['POST']);
    const logs = bridge.logs();
    expect(fullKeysIn(logs)).toEqual([]);
    expect(logs).not.toContain(a.keys.full);
    expect(pages.flatMap((p) => p.problems).filter((m) => !/401|403|Failed to load resource/.test(m))).toEqual([]);
  });
});
