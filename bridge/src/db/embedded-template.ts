/**
 * A new embedded store starts from a template, not from initdb.
 *
 * PGlite's initdb runs a second PostgreSQL in memory beside the first, plus initdb itself,
 * and copies the result over: 5 s and a 1.1 GB peak of the bridge's RSS at its very first
 * start, on the machine an ops team gives it (README "Benchmark", 2026-12-03 evening). The
 * build runs it once instead (`npm run build`, this file as a script) and keeps the fresh,
 * cleanly shut down data directory in dist/ twice over:
 *
 * - as a directory, which a new store on disk copies (file by file, then one rename into
 *   place) and PGlite then opens like any existing store. Loading the same data through
 *   PGlite's `loadDataDir` unpacked it inside the bridge: 60 MB more resident after start-up
 *   (PGlite alone 209 against 149 MB), which the bridge kept for good (README "Benchmark",
 *   2026-12-07);
 * - as a tarball, which an in-memory store (the tests) loads with `loadDataDir`.
 *
 * The template records the PGlite version that made it; one of another version, or none (a
 * build that skipped this step), and a new store runs initdb as before.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

/** bridge/dist/, whether this module runs from dist/db/ or (under the tests) src/db/. */
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
/** The template: `<TEMPLATE>/` (the data directory), `<TEMPLATE>.tar.gz` and `<TEMPLATE>.version`. */
export const TEMPLATE = path.join(DIST, 'pgdata-template');

/** The installed PGlite's version (its package.json, beside the dist/ its entry point is in). */
export function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Whether the template at `base` is whole and was made by this PGlite (the version file is written last). */
function isCurrent(base: string, version = pgliteVersion()): boolean {
  const versionFile = `${base}.version`;
  return existsSync(versionFile) && readFileSync(versionFile, 'utf8').trim() === version && existsSync(path.join(base, 'PG_VERSION')) && existsSync(`${base}.tar.gz`);
}

/** The template data directory a new store on disk is copied from, if the build made one with this PGlite. */
export function templateDirectory(base = TEMPLATE): string | undefined {
  return isCurrent(base) ? base : undefined;
}

/** The template as a tarball for PGlite's `loadDataDir` (in-memory stores), if the build made one with this PGlite. */
export function templateTarball(base = TEMPLATE): Blob | undefined {
  return isCurrent(base) ? new Blob([readFileSync(`${base}.tar.gz`)]) : undefined;
}

/**
 * Makes `dir` a data directory copied from the template directory `template`: copied beside
 * it first, then renamed into place, so a copy cut short (a crash, a full disk) never looks
 * like a store. Whatever was at `dir` without a PG_VERSION (no store) is replaced.
 */
export function copyTemplate(template: string, dir: string): void {
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(template, partial, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
}

/** Writes the template (a fresh initdb, as a directory and a tarball) unless one of this PGlite version is there. */
export async function buildTemplate(base = TEMPLATE): Promise<'built' | 'up to date'> {
  const version = pgliteVersion();
  if (isCurrent(base, version)) return 'up to date';
  rmSync(`${base}.version`, { force: true });
  const building = `${base}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(path.dirname(base), { recursive: true });
  const db = await PGlite.create(building);
  try {
    const tarball = await db.dumpDataDir('gzip');
    writeFileSync(`${base}.tar.gz`, Buffer.from(await tarball.arrayBuffer()));
  } finally {
    await db.close();
  }
  rmSync(base, { recursive: true, force: true });
  renameSync(building, base);
  // Last: the version says the directory and the tarball are both whole.
  writeFileSync(`${base}.version`, `${version}\n`);
  return 'built';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outcome = await buildTemplate();
  process.stdout.write(`embedded store template (${path.relative(process.cwd(), TEMPLATE)}/ and .tar.gz, PGlite ${pgliteVersion()}): ${outcome}\n`);
}
