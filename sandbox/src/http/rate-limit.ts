/**
 * A per-key request limit (express-rate-limit), keyed by the HMAC of the presented key
 * (the client's IP when no well-formed key is sent). Over the limit: 429 rate_limited
 * with Retry-After in seconds. The limit can be changed at runtime; 0 turns it off.
 */
import { errorCodes } from '@leadtosheet/shared';
import type { RequestHandler } from 'express';
import { MemoryStore, ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { bearerToken, tokenHash } from '../domain/authenticate.js';
import type { DomainContext } from '../domain/context.js';
import { SandboxError } from '../domain/sandbox-error.js';
import { sendError } from './send-error.js';

export const DEFAULT_RATE_LIMIT = 600;
export const DEFAULT_RATE_WINDOW_MS = 60_000;

export interface RateLimitSettings {
  /** Requests per window and key; 0 = no limit. */
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  middleware: RequestHandler;
  settings: RateLimitSettings;
  close(): void;
}

/** The HMAC of a well-formed presented key, or undefined. */
function presentedKeyHash(ctx: DomainContext, authorization: string | undefined): string | undefined {
  try {
    return tokenHash(ctx, bearerToken(authorization));
  } catch {
    return undefined;
  }
}

const windowText = (ms: number) => (ms === 60_000 ? 'minute' : ms % 1000 === 0 ? `${ms / 1000} seconds` : `${ms} ms`);

export function createRateLimiter(ctx: DomainContext, initial: Partial<RateLimitSettings> = {}): RateLimiter {
  const settings: RateLimitSettings = { limit: initial.limit ?? DEFAULT_RATE_LIMIT, windowMs: initial.windowMs ?? DEFAULT_RATE_WINDOW_MS };
  const store = new MemoryStore();
  const middleware = rateLimit({
    windowMs: settings.windowMs,
    limit: () => settings.limit,
    skip: () => settings.limit <= 0,
    store,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const hash = presentedKeyHash(ctx, req.headers.authorization);
      return hash ? `key:${hash}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (req, res) => {
      const resetTime = (req as typeof req & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + settings.windowMs) - Date.now()) / 1000));
      sendError(
        res,
        new SandboxError({
          status: 429,
          code: errorCodes.rateLimited,
          message: `Too many requests for this API key: the limit is ${settings.limit} per ${windowText(settings.windowMs)}. Try again in ${seconds} seconds.`,
          headers: { 'Retry-After': String(seconds) },
        }),
      );
    },
  });
  return { middleware, settings, close: () => store.shutdown() };
}
