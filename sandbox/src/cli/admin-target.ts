/**
 * Where `sites` and `keys` commands act: a running sandbox through its admin API
 * (--url), or a data file directly (--data). Both give the same answers.
 */
import { existsSync } from 'node:fs';
import type { Scope, Site } from '@leadtosheet/shared';
import { ADMIN_BASE_PATH } from '../create-sandbox.js';
import type { DomainContext } from '../domain/context.js';
import { createKey, listKeys, revokeKey, rotateKey, type IssuedKey, type KeyView } from '../domain/keys.js';
import { createSite, siteView } from '../domain/sites.js';
import { Store } from '../store/store.js';
import { systemClock } from '../clock.js';
import { UsageError } from './usage.js';

export interface AdminTarget {
  createSite(input: { name: string; domain?: string }): Promise<Site>;
  listSites(): Promise<Site[]>;
  createKey(siteId: string, input: { name: string; scopes: Scope[]; expires_at?: string }): Promise<IssuedKey>;
  listKeys(siteId: string): Promise<KeyView[]>;
  revokeKey(keyId: string): Promise<KeyView>;
  rotateKey(keyId: string): Promise<IssuedKey & { revoked: KeyView }>;
}

/** A failure reported by the sandbox (remote) or the store (offline): exit code 1. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

export function offlineTarget(file: string, { mayCreate = false } = {}): AdminTarget {
  if (!mayCreate && !existsSync(file)) throw new TargetError(`The data file ${file} does not exist (create a site first with "sites create --data ${file}").`);
  const ctx: DomainContext = { store: new Store({ file }), now: systemClock };
  const run = async <T>(fn: () => T): Promise<T> => fn();
  return {
    createSite: (input) => run(() => siteView(ctx, createSite(ctx, input))),
    listSites: () => run(() => ctx.store.allSites().map((s) => siteView(ctx, s))),
    createKey: (siteId, input) => run(() => createKey(ctx, siteId, input)),
    listKeys: (siteId) => run(() => listKeys(ctx, siteId)),
    revokeKey: (keyId) => run(() => revokeKey(ctx, keyId)),
    rotateKey: (keyId) => run(() => rotateKey(ctx, keyId)),
  };
}

export function remoteTarget(url: string): AdminTarget {
  let root: URL;
  try {
    root = new URL(url.replace(/\/+$/, '').replace(/\/api\/v1$/, '').replace(/\/_sandbox$/, ''));
  } catch {
    throw new UsageError(`--url must be the sandbox's address, such as http://127.0.0.1:4010 (got "${url}").`);
  }
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const target = `${root.origin}${ADMIN_BASE_PATH}${path}`;
    let res: Response;
    try {
      res = await fetch(target, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new TargetError(`Could not reach the sandbox at ${root.origin}${cause ? ` (${cause})` : ''}: is "lts-sandbox serve" running there?`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new TargetError(`${root.origin} answered HTTP ${res.status} with something other than JSON: is it a sandbox?`);
    }
    if (!res.ok) {
      const message = (parsed as { error?: { message?: string } })?.error?.message;
      throw new TargetError(message ?? `The sandbox answered HTTP ${res.status}.`);
    }
    return parsed as T;
  };
  const id = encodeURIComponent;
  return {
    createSite: (input) => call('POST', '/sites', input),
    listSites: async () => (await call<{ data: Site[] }>('GET', '/sites')).data,
    createKey: (siteId, input) => call('POST', `/sites/${id(siteId)}/keys`, input),
    listKeys: async (siteId) => (await call<{ data: KeyView[] }>('GET', `/sites/${id(siteId)}/keys`)).data,
    revokeKey: (keyId) => call('POST', `/keys/${id(keyId)}/revoke`),
    rotateKey: (keyId) => call('POST', `/keys/${id(keyId)}/rotate`, {}),
  };
}
