/**
 * A new embedded store starts from a template, not from initdb.
 *
 * PGlite's initdb runs a second PostgreSQL in memory beside the first, plus initdb itself,
 * and copies the result over: 5 s and a 1.1 GB peak of the bridge's RSS at its very first
 * start, on the machine an ops team gives it (README "Benchmark", 2026-12-03 evening). The
 * build runs it once instead (`npm run build`, this file as a script) and keeps the fresh
 * data directory as a tarball in dist/; a new store loads it (1.8 s, 300 to 320 MB peak). The
 * tarball records the PGlite version that made it; one of another version, or none (a build
 * that skipped this step), and a new store runs initdb as before.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

/** bridge/dist/, whether this module runs from dist/db/ or (under the tests) src/db/. */
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const TEMPLATE_FILE = path.join(DIST, 'pgdata-template.tar.gz');

/** The installed PGlite's version (its package.json, beside the dist/ its entry point is in). */
export function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Whether `file` is a template made by this PGlite (its version recorded beside it). */
function isCurrent(file: string, version: string): boolean {
  const versionFile = `${file}.version`;
  return existsSync(file) && existsSync(versionFile) && readFileSync(versionFile, 'utf8').trim() === version;
}

/** The template for a new data directory, if the build made one with this PGlite. */
export function embeddedTemplate(file = TEMPLATE_FILE): Blob | undefined {
  return isCurrent(file, pgliteVersion()) ? new Blob([readFileSync(file)]) : undefined;
}

/** Writes the template (a fresh initdb, gzipped) unless one of this PGlite version is there. */
export async function buildTemplate(file = TEMPLATE_FILE): Promise<'built' | 'up to date'> {
  const version = pgliteVersion();
  if (isCurrent(file, version)) return 'up to date';
  const db = await PGlite.create();
  try {
    const tarball = await db.dumpDataDir('gzip');
    mkdirSync(path.dirname(file), { recursive: true });
    // Written whole, then renamed: an interrupted build leaves no half tarball behind.
    writeFileSync(`${file}.tmp`, Buffer.from(await tarball.arrayBuffer()));
    renameSync(`${file}.tmp`, file);
    writeFileSync(`${file}.version`, `${version}\n`);
  } finally {
    await db.close();
  }
  return 'built';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outcome = await buildTemplate();
  process.stdout.write(`embedded store template (${path.relative(process.cwd(), TEMPLATE_FILE)}, PGlite ${pgliteVersion()}): ${outcome}\n`);
}
