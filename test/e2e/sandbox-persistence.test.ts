/**
 * With a data file, everything survives a restart (keys keep working: the HMAC secret is
 * stored with the data, the keys are not); writes are atomic; and a write that fails is
 * answered 500 internal_error with nothing kept in memory either.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from 'lts-sandbox';
import { clientFor, failure, raw } from './support/sandbox-harness.js';

const dirs: string[] = [];
const open: Sandbox[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lts-sandbox-'));
  dirs.push(dir);
  return dir;
};
const start = async (dataFile: string) => {
  const sandbox = createSandbox({ dataFile });
  open.push(sandbox);
  return { sandbox, running: await sandbox.listen(0) };
};

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('--data persistence', () => {
  it('sites, keys (with revocation and last use), forms and leads survive a restart', async () => {
    const file = join(tempDir(), 'sandbox.json');
    const first = await start(file);
    const site = first.sandbox.createSite({ name: 'Persisted', domain: 'persisted.example' });
    const kept = first.sandbox.createKey(site.id, { name: 'kept', scopes: ['submissions:read', 'submissions:write', 'forms:write'] });
    const revoked = first.sandbox.createKey(site.id, { name: 'revoked', scopes: ['forms:read'] });
    const client = clientFor(first.running.baseUrl, kept.key);
    const lead = await client.createSubmission({ formName: 'Contact', fields: { Email: 'p@example.com' } });
    await client.updateForm(lead.form_id!, { sheetTab: 'Renamed tab' });
    first.sandbox.revokeKey(revoked.api_key.id);
    await first.sandbox.close();

    const second = await start(file);
    const again = clientFor(second.running.baseUrl, kept.key);
    await expect(again.getSubmission(lead.id)).resolves.toEqual(lead);
    expect(second.sandbox.store.form(lead.form_id!)?.sheet_tab).toBe('Renamed tab');
    expect((await failure(clientFor(second.running.baseUrl, revoked.key).getSite())).serverMessage).toMatch(/was revoked/);
    const keys = second.sandbox.listKeys(site.id);
    expect(keys.find((k) => k.id === kept.api_key.id)?.last_used_at).not.toBeNull();
    expect(keys.find((k) => k.id === revoked.api_key.id)).toMatchObject({ revoked: true, status: 'revoked' });
  });

  it('the file holds key hashes and prefixes, never a key; no temporary file is left behind', async () => {
    const dir = tempDir();
    const file = join(dir, 'sandbox.json');
    const { sandbox } = await start(file);
    const site = sandbox.createSite({ name: 'Secrets' });
    const issued = sandbox.createKey(site.id, { name: 'k', scopes: ['forms:read'] });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(issued.key);
    expect(text).not.toContain(issued.key.slice(8));
    expect(text).toContain(`"prefix": "${issued.key.slice(0, 8)}"`);
    expect(JSON.parse(text).keys[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(dir)).toEqual(['sandbox.json']);
  });

  it('a corrupt data file is refused at start with a message naming it', () => {
    const file = join(tempDir(), 'broken.json');
    writeFileSync(file, '{"version": 1, "sites": [');
    expect(() => createSandbox({ dataFile: file })).toThrow(`Cannot read the sandbox data file ${file}`);
  });

  it('a write that fails is 500 internal_error with a generic message, and memory is rolled back to the file', async () => {
    const dir = tempDir();
    const { sandbox, running } = await start(join(dir, 'sandbox.json'));
    const site = sandbox.createSite({ name: 'Disk trouble' });
    const key = sandbox.createKey(site.id, { name: 'k', scopes: ['submissions:write', 'submissions:read'] }).key;
    await clientFor(running.baseUrl, key).listSubmissions(); // last_used_at set while the disk still works
    const before = sandbox.store.snapshot();
    rmSync(dir, { recursive: true, force: true });

    const res = await raw(running.baseUrl, '/submissions', { method: 'POST', key, body: { fields: { Email: 'lost@example.com' } } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: expect.stringMatching(/unexpected internal error/) } });
    expect(res.text).not.toMatch(/ENOENT|\n\s+at |sandbox\.json/);
    // Even the key's new last_used_at, the first write of the request, was undone.
    expect(sandbox.store.snapshot()).toEqual(before);
  });
});
