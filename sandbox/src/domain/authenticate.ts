/**
 * Who is calling: the Bearer key is hashed, looked up, compared in constant time and
 * checked for revocation and expiry. Every refusal is 401 invalid_token with a
 * WWW-Authenticate challenge and a message saying which case it is, never the key.
 * A key that passes has its last_used_at set to now.
 */
import {
  checkKeyShape,
  errorCodes,
  operationLabels,
  operationScopes,
  type Operation,
} from '@leadtosheet/shared';
import type { KeyRecord, SiteRecord } from '../store/records.js';
import type { DomainContext } from './context.js';
import { hashKey, sameHash } from './key-secret.js';
import { keyStatus } from './keys.js';
import { SandboxError } from './sandbox-error.js';

export interface Caller {
  key: KeyRecord;
  site: SiteRecord;
}

const REMEDY = 'Create a new API key in your LeadToSheet dashboard and use it instead.';

/** `error_description` must be a quoted-string without quotes or backslashes. */
const quoted = (text: string) => text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '');

/** 401 invalid_token for a missing, malformed, unknown, revoked or expired key. */
function refuse(message: string): SandboxError {
  return new SandboxError({
    status: 401,
    code: errorCodes.invalidToken,
    message,
    headers: {
      'WWW-Authenticate': `Bearer realm="LeadToSheet", error="invalid_token", error_description="${quoted(message)}"`,
    },
  });
}

/** The token from an Authorization header, or the 401 for a missing or malformed one. */
export function bearerToken(header: string | undefined): string {
  if (!header || !header.trim()) {
    throw refuse('No API key was sent: add the header "Authorization: Bearer lts_…" with a LeadToSheet API key.');
  }
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match) {
    throw refuse('The Authorization header is malformed: it must be "Bearer " followed by the API key, nothing else.');
  }
  const check = checkKeyShape(match[1]);
  if (!check.ok) throw refuse(`The API key is malformed. ${check.problem}`);
  return check.key;
}

/** The hash under which a presented token would be stored (rate limiting keys on it too). */
export const tokenHash = (ctx: DomainContext, token: string) => hashKey(ctx.store.secret, token);

/** The caller behind an Authorization header; records the use. Throws 401 otherwise. */
export function authenticate(ctx: DomainContext, header: string | undefined): Caller {
  const hash = tokenHash(ctx, bearerToken(header));
  const key = ctx.store.keyByHash(hash);
  if (!key || !sameHash(key.hash, hash)) {
    throw refuse(`This API key is not known to LeadToSheet: check that it was copied in full. ${REMEDY}`);
  }
  const now = ctx.now();
  const status = keyStatus(key, now);
  if (status === 'revoked') {
    throw refuse(`This API key was revoked${key.revoked_at ? ` on ${key.revoked_at}` : ''} and no longer works. ${REMEDY}`);
  }
  if (status === 'expired') {
    throw refuse(`This API key expired on ${key.expires_at} and no longer works. ${REMEDY}`);
  }
  const site = ctx.store.site(key.site_id);
  if (!site) throw refuse(`This API key's site no longer exists. ${REMEDY}`);
  ctx.store.mutate(() => {
    key.last_used_at = now.toISOString();
  });
  return { key, site };
}

/** 403 insufficient_scope, naming the scope, when the caller's key lacks what `operation` needs. */
export function requireScope(caller: Caller, operation: Operation): void {
  const scope = operationScopes[operation];
  if (!scope || caller.key.scopes.includes(scope)) return;
  throw new SandboxError({
    status: 403,
    code: errorCodes.insufficientScope,
    requiredScope: scope,
    message: `This API key lacks the "${scope}" scope, which is needed to ${operationLabels[operation]}. Its scopes: ${caller.key.scopes.join(', ')}.`,
    headers: {
      'WWW-Authenticate': `Bearer realm="LeadToSheet", error="insufficient_scope", scope="${scope}"`,
    },
  });
}
