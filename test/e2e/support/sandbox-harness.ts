/**
 * Starts the sandbox in-process on a free loopback port, and talks to it the way the
 * products do: the shared client over got (no retries, so errors surface as they are),
 * or raw HTTP for what the client would refuse locally.
 */
import { LeadToSheetClient, LeadToSheetError } from '@leadtosheet/shared';
import { createGotTransport } from '@leadtosheet/shared/got-transport';
import { createSandbox, type RunningSandbox, type Sandbox, type SandboxOptions } from 'lts-sandbox';
import type { Scope, Site } from '@leadtosheet/shared';

export interface Harness {
  sandbox: Sandbox;
  running: RunningSandbox;
  baseUrl: string;
  site: Site;
  /** A key with every scope on `site`. */
  fullKey: string;
  close(): Promise<void>;
}

export const ALL_SCOPES: Scope[] = ['submissions:read', 'submissions:write', 'forms:read', 'forms:write'];

export async function startSandbox(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = createSandbox(options);
  const running = await sandbox.listen(0, '127.0.0.1');
  const site = sandbox.createSite({ name: 'Acme', domain: 'acme.test' });
  const fullKey = sandbox.createKey(site.id, { name: 'full', scopes: ALL_SCOPES }).key;
  return { sandbox, running, baseUrl: running.baseUrl, site, fullKey, close: () => sandbox.close() };
}

export function clientFor(baseUrl: string, key: string): LeadToSheetClient {
  return new LeadToSheetClient(createGotTransport({ key, baseUrl, retry: { limit: 0 }, timeoutMs: 10_000 }), { key, baseUrl });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** A request exactly as given: no local validation. `key: null` sends no Authorization header. */
export async function raw(
  baseUrl: string,
  path: string,
  init: { method?: string; key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string>; redirect?: 'follow' | 'manual' | 'error' } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...init.headers };
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  } else if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method: init.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}), ...(init.redirect ? { redirect: init.redirect } : {}) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** The LeadToSheetError a call fails with (fails the test when it succeeds). */
export async function failure(promise: Promise<unknown>): Promise<LeadToSheetError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LeadToSheetError) return err;
    throw err;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** A clock tests move by hand. */
export function manualClock(start = '2026-03-01T09:00:00.000Z') {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (iso: string) => {
      now = new Date(iso);
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    iso: () => now.toISOString(),
  };
}
