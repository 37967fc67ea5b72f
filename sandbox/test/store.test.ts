import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../src/index.js';
import { DataFileError } from '../src/store/persistence.js';
import { Store } from '../src/store/store.js';

const dirs: string[] = [];
const tempFile = (name = 'data.json') => {
  const dir = mkdtempSync(join(tmpdir(), 'lts-store-'));
  dirs.push(dir);
  return join(dir, name);
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Store', () => {
  it('in memory by default: nothing is written anywhere', () => {
    const store = new Store();
    expect(store.file).toBeUndefined();
    expect(store.counts()).toEqual({ sites: 0, keys: 0, forms: 0, submissions: 0 });
    expect(store.secret).toHaveLength(32);
  });

  it('with a file: created at once with a fresh secret, written after each change, read back by a new store', () => {
    const file = tempFile();
    const sandbox = createSandbox({ dataFile: file });
    const first = JSON.parse(readFileSync(file, 'utf8'));
    expect(first).toMatchObject({ version: 1, sites: [], keys: [], forms: [], submissions: [] });
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);

    const site = sandbox.createSite({ name: 'Written' });
    sandbox.createSubmission(site.id, { fields: { Email: 'a@b.c' } });
    const reread = new Store({ file });
    expect(reread.counts()).toEqual({ sites: 1, keys: 0, forms: 1, submissions: 1 });
    expect(reread.secret.toString('hex')).toBe(first.secret);
    expect(reread.snapshot()).toEqual(sandbox.store.snapshot());
  });

  it('a failed write undoes the change in memory and reports the error', () => {
    const file = tempFile();
    const sandbox = createSandbox({ dataFile: file });
    const site = sandbox.createSite({ name: 'Before' });
    const before = sandbox.store.snapshot();
    // A non-empty directory where the data file should be: the atomic rename fails (even for root).
    rmSync(file);
    mkdirSync(file);
    writeFileSync(join(file, 'occupied'), '');

    expect(() => sandbox.createSubmission(site.id, { fields: { Email: 'lost@b.c' } })).toThrow();
    expect(sandbox.store.snapshot()).toEqual(before);
    expect(sandbox.store.submissionsOf(site.id)).toEqual([]);
    expect(readdirSync(join(file, '..')).sort()).toEqual(['data.json']);
  });

  it('refuses files that are not sandbox data, saying why', () => {
    const notJson = tempFile();
    writeFileSync(notJson, 'hello');
    expect(() => new Store({ file: notJson })).toThrow(DataFileError);
    const wrongVersion = tempFile();
    writeFileSync(wrongVersion, JSON.stringify({ version: 9 }));
    expect(() => new Store({ file: wrongVersion })).toThrow(/is not a sandbox data file \(expected "version": 1\)/);
    const noSecret = tempFile();
    writeFileSync(noSecret, JSON.stringify({ version: 1, sites: [], keys: [], forms: [], submissions: [] }));
    expect(() => new Store({ file: noSecret })).toThrow(/no valid "secret"/);
  });

  it('leaves no temporary files next to the data file', () => {
    const file = tempFile();
    const sandbox = createSandbox({ dataFile: file });
    for (let i = 0; i < 5; i++) sandbox.createSite({ name: `s${i}` });
    expect(readdirSync(join(file, '..'))).toEqual(['data.json']);
  });
});
