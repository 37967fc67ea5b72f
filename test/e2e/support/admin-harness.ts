/**
 * For the bridge admin suites: a clock the tests move, the first key made the way the CLI
 * makes it, the built CLI spawned as an operator would run it, and a recorder of every
 * admin API answer so a test can scan them all for a full ltb_ key.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_SCOPES, CLI_ACTOR, adminKeysOf } from 'lts-bridge';
import { api, type BridgeUnderTest } from './bridge-harness.js';

/** Anything longer than a prefix (`ltb_` + 10 characters) is a full key, or part of one. */
export const FULL_ADMIN_KEY = /ltb_[A-Za-z0-9_-]{11,}/g;

export const fullKeysIn = (text: string): string[] => text.match(FULL_ADMIN_KEY) ?? [];

/** Real time plus an offset the test moves forward (or back); never sleeps. */
export function testClock() {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms: number) {
      offset += ms;
    },
    reset() {
      offset = 0;
    },
  };
}

/** The first key, made as `lts-bridge keys create` makes it (actor "cli", any scopes). */
export async function firstKey(bridge: BridgeUnderTest, name = 'root', scopes: readonly string[] = ADMIN_SCOPES) {
  const issued = await adminKeysOf(bridge.bridge.services).create(CLI_ACTOR, { name, scopes: [...scopes] });
  return { key: issued.key, ...issued.admin_key };
}

export interface RecordedAnswer {
  method: string;
  path: string;
  status: number;
  text: string;
  /** The answer that carries a newly issued key (create, rotate): the one place it may appear. */
  issues: boolean;
}

/** Calls /admin/v1 and keeps every answer's text. */
export function adminClient(bridgeUrl: () => string) {
  const answers: RecordedAnswer[] = [];
  const call = async (key: string | undefined, method: string, path: string, body?: unknown) => {
    const res = await api(bridgeUrl(), key, method, `/admin/v1${path}`, body);
    const issues = res.status < 300 && method === 'POST' && (/^\/keys\/?$/.test(path) || /^\/keys\/[^/]+\/rotate$/.test(path));
    answers.push({ method, path, status: res.status, text: JSON.stringify(res.body ?? null), issues });
    return res;
  };
  return { call, answers };
}

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bridge', 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `lts-bridge` (after `npx tsc -b`) with only the given bridge variables set. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|BRIDGE_|LTS_|PORT|HOST|LOG_LEVEL)/.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...clean, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
