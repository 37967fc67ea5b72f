/**
 * Fault injection for /api/v1 (never the admin API or the OpenAPI document): added
 * latency, a ratio of 500 internal_error answers (optionally from a seeded random) and
 * 429 bursts (the next N requests answer 429 with Retry-After S). Set by options at start,
 * changeable at runtime through the programmatic API or the admin API.
 */
import { errorCodes } from '@leadtosheet/shared';
import type { RequestHandler } from 'express';
import { SandboxError } from '../domain/sandbox-error.js';

export interface FaultSettings {
  /** Added to every request before it is handled. */
  latencyMs: number;
  /** 0..1: share of requests answered 500 internal_error. */
  errorRate: number;
  /** Requests still to be answered 429, and the Retry-After they carry. */
  burst429: { remaining: number; retryAfterSeconds: number } | null;
}

export interface FaultOptions {
  latencyMs?: number;
  errorRate?: number;
  /** Makes the error-rate draws repeatable. */
  seed?: number;
}

/** A small, fast, seedable random (mulberry32): [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function check(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a number from ${min} to ${max} (got ${value})`);
  }
  return value;
}

export class Faults {
  private settings: FaultSettings = { latencyMs: 0, errorRate: 0, burst429: null };
  private random: () => number = Math.random;

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  get(): FaultSettings {
    return structuredClone(this.settings);
  }

  /** Changes latency, error rate and/or the random seed; what is not given stays. */
  set(options: FaultOptions): FaultSettings {
    if (options.latencyMs !== undefined) this.settings.latencyMs = check('latencyMs', options.latencyMs, 0, 60_000);
    if (options.errorRate !== undefined) this.settings.errorRate = check('errorRate', options.errorRate, 0, 1);
    if (options.seed !== undefined) this.random = seededRandom(check('seed', options.seed, 0, 2 ** 32 - 1));
    return this.get();
  }

  /** The next `count` requests answer 429 rate_limited with `Retry-After: retryAfterSeconds`. */
  burst429(count: number, retryAfterSeconds = 1): FaultSettings {
    const remaining = check('count', count, 0, 1_000_000);
    this.settings.burst429 = remaining > 0 ? { remaining, retryAfterSeconds: check('retryAfterSeconds', retryAfterSeconds, 0, 86_400) } : null;
    return this.get();
  }

  /** No faults. */
  reset(): FaultSettings {
    this.settings = { latencyMs: 0, errorRate: 0, burst429: null };
    this.random = Math.random;
    return this.get();
  }

  readonly middleware: RequestHandler = (_req, _res, next) => {
    const apply = () => {
      const burst = this.settings.burst429;
      if (burst && burst.remaining > 0) {
        burst.remaining -= 1;
        if (burst.remaining === 0) this.settings.burst429 = null;
        next(
          new SandboxError({
            status: 429,
            code: errorCodes.rateLimited,
            message: `Too many requests (a 429 burst injected by the sandbox). Try again in ${burst.retryAfterSeconds} seconds.`,
            headers: { 'Retry-After': String(burst.retryAfterSeconds) },
          }),
        );
        return;
      }
      if (this.settings.errorRate > 0 && this.random() < this.settings.errorRate) {
        next(
          new SandboxError({
            status: 500,
            code: errorCodes.internal,
            message: 'LeadToSheet had a temporary internal error (injected by the sandbox). Nothing was changed; it is safe to try again.',
          }),
        );
        return;
      }
      next();
    };
    if (this.settings.latencyMs > 0) setTimeout(apply, this.settings.latencyMs);
    else apply();
  };
}
