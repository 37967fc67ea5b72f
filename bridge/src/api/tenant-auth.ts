/**
 * Tenants call the bridge with their own lts_ key as a Bearer token. The key's shape is
 * checked locally, then upstream on every request (GET /site: a revoked key stops working
 * at once), which binds the caller to that key's site. The key is never logged or echoed.
 */
import type { RequestHandler } from 'express';
import { LeadToSheetClient, checkKeyShape, maskKey, type Site } from '@leadtosheet/shared';
import { createGotTransport } from '@leadtosheet/shared/got-transport';
import { HttpError, asyncRoute } from './http-error.js';

export interface Tenant {
  key: string;
  keyPrefix: string;
  site: Site;
  client: LeadToSheetClient;
}

declare module 'express-serve-static-core' {
  interface Request {
    tenant?: Tenant;
  }
}

/** A tenant from a raw key: shape checked here, then upstream (GET /site); 401 when either refuses it. */
export async function resolveTenant(baseUrl: string, raw: string): Promise<Tenant> {
  const check = checkKeyShape(raw);
  if (!check.ok) throw new HttpError(401, 'invalid_token', check.problem, undefined, CHALLENGE);
  const key = check.key;
  const client = new LeadToSheetClient(createGotTransport({ key, baseUrl, retry: { limit: 1, maxRetryAfterMs: 1000 }, userAgent: 'lts-bridge' }), { key, baseUrl });
  const site = await client.getSite();
  return { key, keyPrefix: maskKey(key), site, client };
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="lts-bridge"' };

export function tenantAuth(baseUrl: string): RequestHandler {
  return asyncRoute(async (req, _res, next) => {
    const match = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (!match) throw new HttpError(401, 'invalid_token', 'Send your LeadToSheet API key as "Authorization: Bearer lts_..."', undefined, CHALLENGE);
    req.tenant = await resolveTenant(baseUrl, match[1]!);
    next();
  });
}
