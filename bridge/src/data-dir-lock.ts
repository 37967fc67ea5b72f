/**
 * The embedded store belongs to one process: a second bridge on the same data directory
 * would corrupt it. A lock file holds the owner's pid; a stale one (dead pid) is taken over.
 * Released by the returned function (a bridge that stops) or at the latest when the process exits.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'bridge.lock');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number(readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`the embedded store in ${dataDir} is in use by process ${pid}; run one bridge per data directory, or use DATABASE_URL to run several`);
    }
    writeFileSync(file, String(process.pid));
  }
  const release = () => {
    process.off('exit', release);
    try {
      if (Number(readFileSync(file, 'utf8')) === process.pid) rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  };
  process.once('exit', release);
  return release;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
