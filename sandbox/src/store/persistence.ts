/**
 * Reading and writing a `--data` file. Writes are atomic: the JSON goes to a temporary
 * file beside the target, is flushed to disk, then renamed over it, so a crash leaves
 * either the old file or the new one, never half of one.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { STORE_FORMAT_VERSION, type StoreData } from './records.js';

export class DataFileError extends Error {
  override readonly name = 'DataFileError';
}

const COLLECTIONS = ['sites', 'keys', 'forms', 'submissions'] as const;

/** The data in `file`, or undefined when the file does not exist yet. */
export function readDataFile(file: string): StoreData | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DataFileError(`Cannot read the sandbox data file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const data = parsed as Partial<StoreData> | null;
  if (!data || typeof data !== 'object' || data.version !== STORE_FORMAT_VERSION) {
    throw new DataFileError(`${file} is not a sandbox data file (expected "version": ${STORE_FORMAT_VERSION}).`);
  }
  if (typeof data.secret !== 'string' || !/^[0-9a-f]{64}$/.test(data.secret)) {
    throw new DataFileError(`${file} has no valid "secret": the keys stored in it cannot be checked.`);
  }
  for (const name of COLLECTIONS) {
    if (!Array.isArray(data[name])) throw new DataFileError(`${file} has no "${name}" list.`);
  }
  return data as StoreData;
}

/** Writes `text` to `file` atomically (the store's JSON, the CLI's --seed-out). */
export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text.endsWith('\n') ? text : `${text}\n`);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
