import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../src/db/database.js';
import { buildTemplate, embeddedTemplate, pgliteVersion } from '../src/db/embedded-template.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lts-template-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A template whose one table shows that a store was made from it, not by initdb. */
async function markedTemplate(): Promise<Blob> {
  const pg = await PGlite.create();
  await pg.exec(`CREATE TABLE made_from_template (id int); INSERT INTO made_from_template VALUES (42)`);
  const blob = await pg.dumpDataDir('gzip');
  await pg.close();
  return blob;
}

describe('the embedded store template', () => {
  it('is built once per PGlite version, whole, with its version beside it', async () => {
    const file = path.join(tmp, 'build', 'pgdata-template.tar.gz');
    expect(await buildTemplate(file)).toBe('built');
    expect(readFileSync(`${file}.version`, 'utf8').trim()).toBe(pgliteVersion());
    expect(existsSync(`${file}.tmp`)).toBe(false);
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    expect(await buildTemplate(file)).toBe('up to date');
    expect(embeddedTemplate(file)?.size).toBe(readFileSync(file).length);
  });

  it('is not used when it was made by another PGlite version, or has no version', () => {
    const file = path.join(tmp, 'stale.tar.gz');
    writeFileSync(file, 'not read');
    expect(embeddedTemplate(file)).toBeUndefined();
    writeFileSync(`${file}.version`, '0.0.1\n');
    expect(embeddedTemplate(file)).toBeUndefined();
    expect(embeddedTemplate(path.join(tmp, 'missing.tar.gz'))).toBeUndefined();
  });

  it('makes a new data directory, and an existing one is opened as it is', async () => {
    const dataDir = path.join(tmp, 'data');
    const template = await markedTemplate();
    const db = await openDatabase({ dataDir, template });
    expect(await db.query('SELECT id FROM made_from_template')).toEqual([{ id: 42 }]);
    await db.query('INSERT INTO made_from_template VALUES (43)');
    await db.close();
    expect(existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);

    // Reopened (with a template at hand, or none): the store's own data, nothing loaded over it.
    const again = await openDatabase({ dataDir, template: await markedTemplate() });
    expect(await again.query('SELECT id FROM made_from_template ORDER BY id')).toEqual([{ id: 42 }, { id: 43 }]);
    await again.close();
  }, 60_000);

  it('runs initdb for a new store when there is no template', async () => {
    const db = await openDatabase({ dataDir: path.join(tmp, 'initdb'), template: null });
    expect(await db.query(`SELECT to_regclass('made_from_template') AS t`)).toEqual([{ t: null }]);
    await db.close();
  }, 60_000);
});
