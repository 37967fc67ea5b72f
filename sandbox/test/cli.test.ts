/**
 * The built CLI (node sandbox/dist/cli.js, after `npx tsc -b`), spawned as a user would:
 * usage errors exit 2, serve with the demo seed, the sites/keys commands on a running
 * sandbox and offline on a data file, graceful shutdown, no full key in the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LeadToSheetClient, LeadToSheetError } from '@leadtosheet/shared';
import { createGotTransport } from '@leadtosheet/shared/got-transport';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'lts-cli-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Server {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  url: string;
  baseUrl: string;
  stop(): Promise<number | null>;
}

/** Starts `serve` and waits for its banner. */
function serve(args: string[]): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', done));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!stdout.includes('Press Ctrl+C')) return;
      const baseUrl = /Base URL\s+(\S+)/.exec(stdout)![1]!;
      resolve({
        child,
        stdout: () => stdout,
        stderr: () => stderr,
        url: baseUrl.replace(/\/api\/v1$/, ''),
        baseUrl,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`serve exited early (${code}): ${stderr}`)));
  });
}

const client = (baseUrl: string, key: string) => new LeadToSheetClient(createGotTransport({ key, baseUrl, retry: { limit: 0 } }), { key, baseUrl });

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with "npx tsc -b".`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('usage errors: exit code 2, a specific message and the usage', () => {
  it.each([
    [['serve', '--port', 'abc'], '--port must be a whole number from 0 to 65535 (got "abc").'],
    [['serve', '--bogus'], "Unknown option '--bogus'."],
    [['serve', '--seed', 'big'], '--seed accepts only "demo" (got "big").'],
    [['serve', '--error-rate', '2'], '--error-rate must be a number from 0 to 1 (got "2").'],
    [['serve', '--seed-out', 'x.json'], '--seed-out needs --seed demo.'],
    [['launch'], 'Unknown command "launch".'],
    [['keys', 'create', '--url', 'http://127.0.0.1:1', '--name', 'x', '--scopes', 'forms:read'], '--site is required.'],
    [['keys', 'create', '--data', 'd.json', '--site', 's', '--name', 'x', '--scopes', 'forms:read,admin'], 'Unknown scope "admin": use submissions:read, submissions:write, forms:read, forms:write.'],
    [['keys', 'list', '--site', 's'], 'Say where: --url http://127.0.0.1:PORT (a running sandbox) or --data FILE (a data file).'],
    [['keys', 'revoke'], 'KEY_ID is required.'],
    [['keys', 'forget', 'k'], 'Unknown keys command "forget": use create, list, revoke or rotate.'],
  ])('%j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`lts-sandbox: ${message}`);
    expect(result.stderr).toContain('Usage: lts-sandbox <command> [options]');
  });

  it('no command prints the usage and exits 2; help exits 0', async () => {
    expect((await run([])).code).toBe(2);
    const help = await run(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('keys rotate KEY_ID');
  });
});

describe('serve', () => {
  it('--seed demo --seed-out writes the base URL, site, forms and both keys; they work; SIGTERM closes cleanly', async () => {
    const out = join(dir, 'seed.json');
    const server = await serve(['--seed', 'demo', '--seed-out', out, '--rate-limit', '50']);
    const seed = JSON.parse(readFileSync(out, 'utf8'));
    expect(seed.baseUrl).toBe(server.baseUrl);
    expect(seed.site).toMatchObject({ name: 'Acme Demo', domain: 'acme.example' });
    expect(seed.forms.map((f: { name: string }) => f.name)).toEqual(['Contact', 'Newsletter', 'Demo request']);
    expect(server.stdout()).not.toContain(seed.keys.full);
    expect(server.stdout()).toContain(`Demo keys written to ${out}`);
    expect(server.stdout()).toContain('Rate limit 50 requests per key per minute');

    const full = client(seed.baseUrl, seed.keys.full);
    const readOnly = client(seed.baseUrl, seed.keys.readOnly);
    expect((await readOnly.listSubmissions()).pagination.total).toBe(8);
    await full.createSubmission({ formName: 'Contact', fields: { Email: 'cli@example.com' } });
    const denied = await readOnly.createSubmission({ fields: { Email: 'x@example.com' } }).catch((e: LeadToSheetError) => e);
    expect(denied).toMatchObject({ status: 403, requiredScope: 'submissions:write' });

    expect(await server.stop()).toBe(0);
    const logs = server.stderr();
    expect(logs).toMatch(/POST \/api\/v1\/submissions 201 \d+ms key=lts_.{4}… \(key_/);
    expect(logs).toContain('SIGTERM received: closing the sandbox');
    expect(logs).not.toContain(seed.keys.full);
    expect(logs).not.toContain(seed.keys.readOnly);
  });

  it('without --seed-out, prints the two keys once in the banner', async () => {
    const server = await serve(['--seed', 'demo']);
    const full = /Full-access key\s+(lts_\S+)/.exec(server.stdout())?.[1];
    const readOnly = /Read-only key\s+(lts_\S+)/.exec(server.stdout())?.[1];
    expect(full && readOnly).toBeTruthy();
    await expect(client(server.baseUrl, full!).getSite()).resolves.toMatchObject({ name: 'Acme Demo' });
    expect(server.stdout()).toContain('Data       in memory');
    expect(await server.stop()).toBe(0);
  });
});

describe('sites and keys commands', () => {
  it('on a running sandbox (--url): create a site and a key, list, revoke, rotate', async () => {
    const server = await serve([]);
    try {
      const site = JSON.parse((await run(['sites', 'create', '--url', server.url, '--name', 'Initech', '--domain', 'initech.example', '--json'])).stdout);
      expect(site).toMatchObject({ name: 'Initech', domain: 'initech.example' });

      const created = await run(['keys', 'create', '--url', server.url, '--site', site.id, '--name', 'CI', '--scopes', 'forms:read,submissions:read', '--expires', '2099-01-01T00:00:00Z']);
      expect(created.code).toBe(0);
      const key = /^\s+(lts_\S+)$/m.exec(created.stdout)![1]!;
      expect(created.stdout).toContain('This is the only time the full key is shown');
      expect(created.stdout).toContain('Expires: 2099-01-01T00:00:00.000Z');
      await client(server.baseUrl, key).listForms();

      const list = await run(['keys', 'list', '--url', server.url, '--site', site.id]);
      expect(list.stdout).toMatch(/NAME\s+PREFIX\s+SCOPES\s+CREATED\s+LAST USED\s+EXPIRES\s+STATUS/);
      expect(list.stdout).toContain(`${key.slice(0, 8)}…`);
      expect(list.stdout).not.toContain(key);
      expect(list.stdout).toMatch(/active/);

      const keyId = JSON.parse((await run(['keys', 'list', '--url', server.url, '--site', site.id, '--json'])).stdout)[0].id;
      const rotated = await run(['keys', 'rotate', keyId, '--url', server.url, '--json']);
      const rotation = JSON.parse(rotated.stdout);
      expect(rotation.revoked).toMatchObject({ id: keyId, status: 'revoked' });
      await expect(client(server.baseUrl, key).listForms()).rejects.toMatchObject({ status: 401 });
      await expect(client(server.baseUrl, rotation.key).listForms()).resolves.toBeDefined();

      const revoked = await run(['keys', 'revoke', rotation.id, '--url', server.url]);
      expect(revoked.stdout).toMatch(/Revoked API key "CI" lts_.{4}… \(key_\w+\) at .*cannot be undone/);
      await expect(client(server.baseUrl, rotation.key).listForms()).rejects.toMatchObject({ status: 401 });

      const missing = await run(['keys', 'revoke', 'key_nope', '--url', server.url]);
      expect([missing.code, missing.stderr.trim()]).toEqual([1, 'lts-sandbox: No API key with id "key_nope".']);
    } finally {
      await server.stop();
    }
  });

  it('offline on a data file (--data): what is created there works once served', async () => {
    const data = join(dir, 'offline.json');
    const site = JSON.parse((await run(['sites', 'create', '--data', data, '--name', 'Offline Co', '--json'])).stdout);
    const issued = JSON.parse((await run(['keys', 'create', '--data', data, '--site', site.id, '--name', 'script', '--scopes', 'submissions:write', '--json'])).stdout);
    expect(readFileSync(data, 'utf8')).not.toContain(issued.key);

    const server = await serve(['--data', data]);
    try {
      await expect(client(server.baseUrl, issued.key).createSubmission({ fields: { Email: 'o@example.com' } })).resolves.toMatchObject({ form_name: 'API' });
    } finally {
      await server.stop();
    }
    const listed = JSON.parse((await run(['keys', 'list', '--data', data, '--site', site.id, '--json'])).stdout);
    expect(listed[0]).toMatchObject({ id: issued.id, last_used_at: expect.any(String), status: 'active' });
  });

  it('a missing data file or an unreachable sandbox is exit 1 with a clear message', async () => {
    const missing = await run(['keys', 'list', '--data', join(dir, 'nope.json'), '--site', 'site_x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.json does not exist');
    const down = await run(['sites', 'list', '--url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/Could not reach the sandbox at http:\/\/127\.0\.0\.1:9/);
  });
});
