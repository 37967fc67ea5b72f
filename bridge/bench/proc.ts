/** What Linux says about a process: CPU time used and resident memory (peak and now), from /proc. */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** User + system CPU time of a process, in milliseconds. */
export function cpuMs(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: the fields after it start past the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/**
 * Time the process's threads were runnable but waiting for a CPU, in ms (Linux schedstat);
 * NaN where the kernel does not keep it. On a machine whose cores are all busy this is what
 * a process loses beside its CPU time.
 */
export function runQueueMs(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
    return ns / 1e6;
  } catch {
    return NaN;
  }
}

/** User + system CPU time of every process with this command name (the local PostgreSQL server's are all "postgres"), in ms. */
export function cpuMsOfAll(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === comm) total += cpuMs(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** Resident memory in bytes: `VmRSS` now, `VmHWM` the peak since the process started. */
export function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * Resets the process's peak resident memory (`VmHWM`) to what it holds now (Linux
 * clear_refs "5"), so a later `memory().peak` is the peak of what came after: the drain
 * alone, not start-up. False where that is not allowed; then callers sample `rss` instead.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Share of one core a process used over `ms` of wall time (0..1 per core). */
export async function cpuShare(pid: number, ms: number): Promise<number> {
  const before = cpuMs(pid);
  const started = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return (cpuMs(pid) - before) / (performance.now() - started);
}

/** The one free-port helper, shared with the end-to-end suites. */
export { freePort } from '@leadtosheet/shared/free-port';

/** SIGTERM, then SIGKILL after the grace period; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
