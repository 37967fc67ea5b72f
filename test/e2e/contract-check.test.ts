/**
 * The contract check against a running sandbox over real HTTP: every row it can check is
 * ok, with a full key and --write, and with a read-only key (which lets it check scopes).
 * And it does report a mismatch when the server breaks the contract.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSandbox, type RunningSandbox, type Sandbox } from 'lts-sandbox';
import { formatReport, runContractCheck } from '@leadtosheet/shared/contract-check';

const run = promisify(execFile);

describe('contract check against the sandbox', () => {
  let sandbox: Sandbox;
  let api: RunningSandbox;
  let keys: { full: string; readOnly: string };

  beforeAll(async () => {
    sandbox = createSandbox({ rateLimit: 0 });
    keys = sandbox.seedDemo().keys;
    api = await sandbox.listen(0);
  });
  afterAll(() => sandbox.close());

  it('full key with --write: every row ok except the ones it cannot provoke', async () => {
    const report = await runContractCheck({ baseUrl: api.baseUrl, key: keys.full, write: true });
    const notOk = report.rows.filter((r) => r.outcome.status !== 'ok');
    expect(report.counts.mismatch).toBe(0);
    expect(notOk.map((r) => r.id).sort()).toEqual(['rate-limit.retry-after', 'scopes.enforced']);
    expect(report.counts.ok).toBe(report.rows.length - 2);
    expect(report.key).toMatch(/^lts_.{4}…$/);
    expect(formatReport(report)).not.toContain(keys.full);
  });

  it('read-only key: scopes are checked too; write rows are skipped without --write', async () => {
    const report = await runContractCheck({ baseUrl: api.baseUrl, key: keys.readOnly });
    expect(report.counts.mismatch).toBe(0);
    const byId = Object.fromEntries(report.rows.map((r) => [r.id, r.outcome]));
    expect(byId['submissions.create']).toEqual({ status: 'not_checked', reason: 'changes data: run with --write' });
    expect(byId['site.get']).toMatchObject({ status: 'ok' });
  });

  it('reports what differs when the server breaks the contract', async () => {
    sandbox.faults.set({ errorRate: 1 });
    try {
      const report = await runContractCheck({ baseUrl: api.baseUrl, key: keys.full });
      const site = report.rows.find((r) => r.id === 'site.get')!;
      expect(site.outcome).toEqual({ status: 'mismatch', detail: expect.stringMatching(/expected HTTP 200, got 500/) });
      expect(report.counts.mismatch).toBeGreaterThan(0);
    } finally {
      sandbox.faults.reset();
    }
  });

  it('the CLI prints the table and exits 0; bad usage exits 2 with a clear message', async () => {
    const cli = 'shared/dist/contract-check/cli.js';
    const ok = await run(process.execPath, [cli, '--base-url', api.baseUrl, '--key', keys.readOnly]);
    expect(ok.stdout).toMatch(/^ok\s+site\.get/m);
    expect(ok.stdout).toMatch(/\d+ ok, 0 mismatch, \d+ not checked/);
    expect(ok.stdout).not.toContain(keys.readOnly);
    const bad = await run(process.execPath, [cli, '--base-url', api.baseUrl, '--key', 'sk_wrong']).catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--key: This is not a LeadToSheet API key/);
  });
});
