import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../src/db/database.js';
import { buildTemplate, pgliteVersion, templateDirectory, templateTarball } from '../src/db/embedded-template.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lts-template-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A template (data directory and tarball) whose one table shows that a store was made from it, not by initdb. */
async function markedTemplate(): Promise<{ dir: string; tarball: Blob }> {
  const dir = path.join(tmp, `marked-${Math.random().toString(36).slice(2)}`);
  const pg = await PGlite.create(dir);
  await pg.exec(`CREATE TABLE made_from_template (id int); INSERT INTO made_from_template VALUES (42)`);
  const tarball = await pg.dumpDataDir('gzip');
  await pg.close();
  return { dir, tarball };
}

describe('the embedded store template', () => {
  it('is built once per PGlite version, as a directory and a tarball, with its version written last', async () => {
    const base = path.join(tmp, 'build', 'pgdata-template');
    expect(await buildTemplate(base)).toBe('built');
    expect(readFileSync(`${base}.version`, 'utf8').trim()).toBe(pgliteVersion());
    expect(existsSync(path.join(base, 'PG_VERSION'))).toBe(true);
    expect(existsSync(`${base}.building`)).toBe(false);
    expect(readFileSync(`${base}.tar.gz`).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    expect(await buildTemplate(base)).toBe('up to date');
    expect(templateDirectory(base)).toBe(base);
    expect(templateTarball(base)?.size).toBe(readFileSync(`${base}.tar.gz`).length);
  }, 60_000);

  it('is not used when it was made by another PGlite version, has no version, or is not whole', () => {
    const base = path.join(tmp, 'stale');
    mkdirSync(base);
    writeFileSync(path.join(base, 'PG_VERSION'), '17\n');
    writeFileSync(`${base}.tar.gz`, 'not read');
    expect(templateDirectory(base)).toBeUndefined();
    writeFileSync(`${base}.version`, '0.0.1\n');
    expect(templateDirectory(base)).toBeUndefined();
    expect(templateTarball(base)).toBeUndefined();
    writeFileSync(`${base}.version`, `${pgliteVersion()}\n`);
    expect(templateDirectory(base)).toBe(base);
    rmSync(`${base}.tar.gz`);
    expect(templateDirectory(base)).toBeUndefined();
    expect(templateDirectory(path.join(tmp, 'missing'))).toBeUndefined();
  });

  it('makes a new data directory by copying it, and an existing one is opened as it is', async () => {
    const dataDir = path.join(tmp, 'data');
    const template = await markedTemplate();
    // What a copy cut short or an old failed start left: no PG_VERSION, so no store, replaced.
    mkdirSync(path.join(dataDir, 'pgdata'), { recursive: true });
    writeFileSync(path.join(dataDir, 'pgdata', 'leftover'), 'x');
    const db = await openDatabase({ dataDir, template: template.dir });
    expect(await db.query('SELECT id FROM made_from_template')).toEqual([{ id: 42 }]);
    await db.query('INSERT INTO made_from_template VALUES (43)');
    await db.close();
    expect(existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'pgdata', 'leftover'))).toBe(false);
    expect(readdirSync(dataDir).filter((f) => f.includes('partial'))).toEqual([]);

    // The template itself is untouched by the store's writes.
    const fromTemplateAgain = await openDatabase({ dataDir: path.join(tmp, 'data2'), template: template.dir });
    expect(await fromTemplateAgain.query('SELECT id FROM made_from_template ORDER BY id')).toEqual([{ id: 42 }]);
    await fromTemplateAgain.close();

    // Reopened (with a template at hand, or none): the store's own data, nothing loaded over it.
    const again = await openDatabase({ dataDir, template: (await markedTemplate()).dir });
    expect(await again.query('SELECT id FROM made_from_template ORDER BY id')).toEqual([{ id: 42 }, { id: 43 }]);
    await again.close();
  }, 60_000);

  it('makes an in-memory store from the tarball', async () => {
    const db = await openDatabase({ dataDir: '', memory: true, template: (await markedTemplate()).tarball });
    expect(await db.query('SELECT id FROM made_from_template')).toEqual([{ id: 42 }]);
    await db.close();
  }, 60_000);

  it('runs initdb for a new store when there is no template', async () => {
    const db = await openDatabase({ dataDir: path.join(tmp, 'initdb'), template: null });
    expect(await db.query(`SELECT to_regclass('made_from_template') AS t`)).toEqual([{ t: null }]);
    await db.close();
  }, 60_000);
});
