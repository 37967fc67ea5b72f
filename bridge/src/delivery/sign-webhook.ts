/**
 * Standard Webhooks signing with the official library: webhook-id, webhook-timestamp and
 * webhook-signature "v1,<base64 HMAC-SHA256(id.timestamp.body)>", one signature per live
 * secret (space-separated) while a secret rotates.
 */
import { randomBytes } from 'node:crypto';
import { SIGNING_SECRET_PREFIX } from '@leadtosheet/shared';
import { Webhook } from 'standardwebhooks';

export const SECRET_PREFIX = SIGNING_SECRET_PREFIX;

export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** `whsec_abc1…`: what lists and logs may show of a secret. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, SECRET_PREFIX.length + 4)}…`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signWebhook(msgId: string, at: Date, body: string, secrets: string[]): SignedHeaders {
  if (secrets.length === 0) throw new Error('no signing secret');
  const signatures = secrets.map((s) => new Webhook(s).sign(msgId, at, body));
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
