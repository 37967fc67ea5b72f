/**
 * `lts-bridge keys …` and `lts-bridge audit`, the built CLI spawned as an operator runs it
 * on the bridge host, on both stores, beside a real bridge over HTTP: the first key is made
 * here; usage errors and refused input exit 2 and change nothing; keys made here work on
 * the bridge (a one-hour key expires on its clock); revoke, reactivate, rename, set-scopes,
 * rotate and delete; list with last use ("never"), search, sort, revoked and expired keys;
 * the audit log; the embedded store refused while a bridge holds it (PostgreSQL works
 * beside it); and no full key printed except by create and rotate, nor in the bridge logs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_SCOPES } from 'lts-bridge';
import { fullKeysIn, runCli, testClock, type CliRun } from './support/admin-harness.js';
import { api, freshPgDatabase, startTestBridge, STORES, type BridgeUnderTest } from './support/bridge-harness.js';

const HOUR = 3_600_000;
const NO_UPSTREAM = 'http://127.0.0.1:9/api/v1';

describe('lts-bridge keys and audit: the command line', () => {
  const dataDir = join(tmpdir(), `lts-bridge-cli-${randomBytes(4).toString('hex')}`);
  const usage: [string, string[], RegExp][] = [
    ['a missing keys command', ['keys'], /Missing keys command/],
    ['an unknown keys command', ['keys', 'destroy'], /Unknown keys command "destroy"/],
    ['create without --name', ['keys', 'create', '--scopes', 'all'], /--name is required/],
    ['an unknown option', ['keys', 'list', '--colour'], /Unknown option '--colour'/],
    ['both --expires and --temporary', ['keys', 'create', '--name', 'x', '--expires', '1d', '--temporary'], /either --expires or --temporary/],
    ['revoke without a key', ['keys', 'revoke'], /KEY is required/],
    ['rename with an extra word', ['keys', 'rename', 'key_1', 'key_2', '--name', 'x'], /Unexpected argument "key_2"/],
    ['delete without --yes', ['keys', 'delete', 'key_1'], /permanent: add --yes/],
    ['a bad sort', ['keys', 'list', '--sort', 'name'], /--sort must be created or last-used/],
    ['a bad audit limit', ['audit', '--limit', '0'], /--limit must be a whole number/],
    ['a bad audit time', ['audit', '--since', 'yesterday'], /--since must be an ISO 8601 date/],
  ];
  it.each(usage)('%s: exit 2 with the reason and the usage, before touching any store', async (_name, args, message) => {
    const run = await runCli(args, { BRIDGE_DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage: lts-bridge');
    expect(run.stdout).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('--help prints the usage with every command and scope', async () => {
    const run = await runCli(['keys', '--help'], {});
    expect(run.code).toBe(0);
    for (const word of ['keys create', 'keys list', 'keys rename', 'keys set-scopes', 'keys revoke', 'keys reactivate', 'keys delete', 'keys rotate', 'audit', ...ADMIN_SCOPES]) expect(run.stdout).toContain(word);
  });
});

describe.each(STORES)('lts-bridge keys and audit (%s store)', (store) => {
  const embedded = store === 'embedded';
  const clock = testClock();
  const runs: (CliRun & { args: string[] })[] = [];
  const logs: (() => string)[] = [];
  let dataDir = '';
  let pgDb: Awaited<ReturnType<typeof freshPgDatabase>> | undefined;
  let env: Record<string, string>;
  let bridge: BridgeUnderTest | undefined;
  const keys: Record<string, { key: string; id: string; prefix: string }> = {};

  const cli = async (...args: string[]) => {
    const run = await runCli(args, env);
    runs.push({ ...run, args });
    return run;
  };
  const json = async (...args: string[]) => {
    const run = await cli(...args, '--json');
    expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: '' });
    return JSON.parse(run.stdout);
  };
  const start = async () => {
    bridge = await startTestBridge(store, NO_UPSTREAM, { BRIDGE_ENCRYPTION_KEY: env.BRIDGE_ENCRYPTION_KEY ?? '' }, pgDb?.url, { clock: clock.now, dataDir: embedded ? dataDir : undefined });
    logs.push(bridge.logs);
  };
  const stop = async () => {
    await bridge?.stop();
    bridge = undefined;
    // A stopped bridge has let go of the embedded store.
    if (embedded) expect(existsSync(join(dataDir, 'bridge.lock'))).toBe(false);
  };
  /** CLI changes: beside the running bridge on PostgreSQL; with it stopped on the embedded store. */
  const offline = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (!embedded) return fn();
    await stop();
    try {
      return await fn();
    } finally {
      await start();
    }
  };
  const adminCall = (key: string, method: string, path: string, body?: unknown) => api(bridge!.url, key, method, `/admin/v1${path}`, body);

  beforeAll(async () => {
    if (embedded) {
      dataDir = mkdtempSync(join(tmpdir(), 'lts-bridge-cli-'));
      // No BRIDGE_ENCRYPTION_KEY: the CLI and the bridge share the key generated into the data directory.
      env = { BRIDGE_DATA_DIR: dataDir };
    } else {
      pgDb = await freshPgDatabase();
      env = { DATABASE_URL: pgDb.url, BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    }
  });

  afterAll(async () => {
    await stop();
    await pgDb?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes the first key, shown once; refused input exits 2 naming the field and creates nothing', async () => {
    const first = await cli('keys', 'create', '--name', 'root', '--scopes', 'all', '--json');
    expect(first.code).toBe(0);
    // The embedded store's first command generates its encryption key (which the bridge then finds there) and says so.
    if (embedded) expect(first.stderr).toMatch(/generated an encryption key into .*encryption\.key; back it up with the data directory/);
    else expect(first.stderr).toBe('');
    const root = JSON.parse(first.stdout);
    expect(root).toMatchObject({ name: 'root', scopes: [...ADMIN_SCOPES], status: 'active', created_by: 'cli', expires_at: null, last_used_at: null });
    expect(root.key).toMatch(/^ltb_[A-Za-z0-9_-]{43}$/);
    expect(root.prefix).toBe(root.key.slice(0, 14));
    keys.root = root;

    const refused: [string[], RegExp][] = [
      [['--name', ''], /name: .*must not be empty/],
      [['--name', 'n'.repeat(101)], /name: .*at most 100 characters/],
      [['--name', 'x', '--scopes', 'keys:admin,root'], /scopes: unknown scope "root"/],
      [['--name', 'x', '--expires', '2020-01-01'], /expires: is in the past/],
      [['--name', 'x', '--expires', 'whenever'], /expires: must be a date/],
    ];
    for (const [args, message] of refused) {
      const run = await cli('keys', 'create', ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect((await json('keys', 'list', '--include-revoked')).map((k: any) => k.name)).toEqual(['root']);

    const human = await cli('keys', 'create', '--name', 'ci bot', '--scopes', 'subscriptions:read', '--expires', '30d');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Created admin key "ci bot" ltb_[A-Za-z0-9_-]{10}… \(key_\w+\)/);
    expect(human.stdout).toContain('This is the only time the full key is shown');
    const [printed] = fullKeysIn(human.stdout);
    keys.ci = { key: printed!, prefix: printed!.slice(0, 14), id: /\((key_\w+)\)/.exec(human.stdout)![1]! };
    keys.temp = await json('keys', 'create', '--name', 'temp', '--temporary', '--scopes', 'audit:read');
    keys.idle = await json('keys', 'create', '--name', 'idle');
    const audit = await json('audit', '--actor', 'cli', '--action', 'key.created');
    expect(audit.map((e: any) => e.details.name)).toEqual(['idle', 'temp', 'ci bot', 'root']);
  });

  it('keys made by the CLI work on the bridge; the one-hour key expires on its clock', async () => {
    await start();
    const listed = await adminCall(keys.root!.key, 'GET', '/keys');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((k: any) => k.name).sort()).toEqual(['ci bot', 'idle', 'root', 'temp']);
    expect((await adminCall(keys.ci!.key, 'GET', '/subscriptions')).status).toBe(200);
    expect((await adminCall(keys.ci!.key, 'GET', '/audit')).body.error.message).toContain('audit:read');
    expect((await adminCall(keys.temp!.key, 'GET', '/audit')).status).toBe(200);
    try {
      clock.advance(HOUR + 60_000);
      const expired = await adminCall(keys.temp!.key, 'GET', '/audit');
      expect(expired.status).toBe(401);
      expect(expired.body.error.message).toContain(`${keys.temp!.prefix}… expired at`);
      // A key made through the API two hours back in the bridge's time, for the CLI to list as expired.
      clock.advance(-3 * HOUR - 60_000);
      const old = await adminCall(keys.root!.key, 'POST', '/keys', { name: 'long gone', temporary: true, scopes: ['audit:read'] });
      expect(old.status).toBe(201);
      keys.gone = old.body;
    } finally {
      clock.reset();
    }
  });

  if (embedded) {
    it('refuses to open the embedded store while a bridge holds it, pointing at the admin API', async () => {
      const run = await cli('keys', 'list');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/in use by a running bridge/);
      expect(run.stderr).toContain('/admin/v1/keys');
      expect(run.stdout).toBe('');
    });
  } else {
    it('works beside a running bridge: a revoke is refused on the very next request, a reactivate lets it in again', async () => {
      expect((await adminCall(keys.ci!.key, 'GET', '/subscriptions')).status).toBe(200);
      expect((await json('keys', 'revoke', keys.ci!.prefix)).status).toBe('revoked');
      const refused = await adminCall(keys.ci!.key, 'GET', '/subscriptions');
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toContain(`${keys.ci!.prefix}… was revoked`);
      expect((await json('keys', 'reactivate', keys.ci!.id)).status).toBe('active');
      expect((await adminCall(keys.ci!.key, 'GET', '/subscriptions')).status).toBe(200);
    });
  }

  it('revokes, reactivates, renames, changes scopes and rotates from the CLI', async () => {
    const rotated = await offline(async () => {
      const revoked = await cli('keys', 'revoke', keys.idle!.prefix);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toMatch(/Revoked admin key "idle"[\s\S]*refused from the next request on/);
      expect((await json('keys', 'rename', keys.ci!.prefix, '--name', 'ci robot')).name).toBe('ci robot');
      expect((await json('keys', 'set-scopes', keys.ci!.id, '--scopes', 'subscriptions:read,deliveries:read')).scopes).toEqual(['subscriptions:read', 'deliveries:read']);
      const bad = await cli('keys', 'set-scopes', keys.ci!.id, '--scopes', 'deliveries:read,superuser');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/unknown scope "superuser"/);
      const missing = await cli('keys', 'revoke', 'ltb_nosuchkey');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/No admin key "ltb_nosuchkey"/);
      const human = await cli('keys', 'rotate', keys.ci!.prefix);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/Rotated admin key "ci robot"[\s\S]*only time the full key is shown[\s\S]*previous secret is refused/);
      return fullKeysIn(human.stdout)[0]!;
    });
    expect((await adminCall(keys.idle!.key, 'GET', '/keys')).status).toBe(401);
    const old = await adminCall(keys.ci!.key, 'GET', '/deliveries');
    expect(old.status).toBe(401);
    expect(old.body.error.message).toContain(`${keys.ci!.prefix}…`);
    expect((await adminCall(rotated, 'GET', '/deliveries')).status).toBe(200);
    const record = (await adminCall(keys.root!.key, 'GET', `/keys/${keys.ci!.id}`)).body;
    expect(record).toMatchObject({ id: keys.ci!.id, name: 'ci robot', prefix: rotated.slice(0, 14), last_rotated_at: expect.any(String) });
    keys.ci = { ...keys.ci!, key: rotated, prefix: rotated.slice(0, 14) };
    await offline(async () => {
      expect((await json('keys', 'reactivate', keys.idle!.id)).status).toBe('active');
    });
    expect((await adminCall(keys.idle!.key, 'GET', '/keys')).body.error.message).toContain('keys:admin');
  });

  it('lists keys with last use or "never", search, sort by last use, revoked on request, expired ones', async () => {
    await adminCall(keys.root!.key, 'GET', '/keys');
    await offline(async () => {
      await cli('keys', 'revoke', keys.temp!.id);
      const human = await cli('keys', 'list');
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^ID\s+NAME\s+PREFIX\s+SCOPES\s+CREATED\s+LAST USED\s+EXPIRES\s+STATUS\s+LAST ROTATED/);
      const line = (name: string) => human.stdout.split('\n').find((l) => l.includes(`  ${name}  `)) ?? '';
      expect(line('long gone')).toMatch(/\bnever\b.*\bexpired\b/);
      expect(line('ci robot')).toMatch(new RegExp(`${keys.ci!.prefix}….*subscriptions:read,deliveries:read.*active`));
      expect(line('temp')).toBe('');

      const all = await json('keys', 'list', '--include-revoked');
      expect(all.find((k: any) => k.name === 'temp').status).toBe('revoked');
      expect(all.find((k: any) => k.name === 'long gone')).toMatchObject({ status: 'expired', last_used_at: null });
      const byUse = await json('keys', 'list', '--sort', 'last-used', '--include-revoked');
      const used = byUse.filter((k: any) => k.last_used_at);
      expect(byUse.slice(0, used.length)).toEqual(used);
      expect(used.map((k: any) => k.last_used_at)).toEqual([...used.map((k: any) => k.last_used_at)].sort().reverse());
      expect(used[0].name).toBe('root');
      expect((await json('keys', 'list', '--search', 'ROBOT')).map((k: any) => k.name)).toEqual(['ci robot']);
    });
  });

  it('deletes only with --yes; the key disappears for good, its audit entries remain', async () => {
    await offline(async () => {
      const run = await cli('keys', 'delete', keys.temp!.prefix, '--yes');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Deleted admin key "temp" .* for good\. Its audit entries remain\./);
      expect((await json('keys', 'list', '--include-revoked')).map((k: any) => k.id)).not.toContain(keys.temp!.id);
      expect((await cli('keys', 'reactivate', keys.temp!.id)).code).toBe(1);
      const trail = await json('audit', '--target', keys.temp!.id);
      expect(trail.map((e: any) => [e.actor, e.action])).toEqual([
        ['cli', 'key.deleted'],
        ['cli', 'key.revoked'],
        ['cli', 'key.created'],
      ]);
    });
    expect((await adminCall(keys.temp!.key, 'GET', '/audit')).status).toBe(401);
  });

  it('reads the audit log: who (cli or a key prefix), what, on what, when', async () => {
    await offline(async () => {
      const entries = await json('audit', '--limit', '100');
      expect(entries.find((e: any) => e.actor === keys.root!.prefix && e.action === 'key.created')).toMatchObject({ target_id: keys.gone!.id, details: { name: 'long gone' } });
      expect(entries.filter((e: any) => e.actor === 'cli').map((e: any) => e.action)).toEqual(expect.arrayContaining(['key.created', 'key.revoked', 'key.reactivated', 'key.renamed', 'key.scopes_changed', 'key.rotated', 'key.deleted']));
      for (const e of entries) expect(Date.parse(e.at)).not.toBeNaN();
      const human = await cli('audit', '--action', 'key.rotated');
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^AT\s+WHO\s+WHAT\s+TARGET\s+DETAILS/);
      expect(human.stdout).toContain(`cli  key.rotated  ${keys.ci!.id}`);
      expect((await cli('audit', '--actor', 'nobody')).stdout).toContain('No audit entries.');
    });
  });

  it('prints a full key only when creating or rotating it, once; never in errors, lists, audit or the bridge logs', async () => {
    expect(runs.length).toBeGreaterThan(20);
    for (const run of runs) {
      const issuing = run.code === 0 && (run.args[1] === 'create' || run.args[1] === 'rotate');
      expect({ args: run.args, stderr: fullKeysIn(run.stderr) }).toEqual({ args: run.args, stderr: [] });
      expect({ args: run.args, stdout: fullKeysIn(run.stdout).length }).toEqual({ args: run.args, stdout: issuing ? 1 : 0 });
    }
    const bridgeLogs = logs.map((l) => l()).join('\n');
    expect(bridgeLogs.length).toBeGreaterThan(0);
    expect(fullKeysIn(bridgeLogs)).toEqual([]);
  });
});
