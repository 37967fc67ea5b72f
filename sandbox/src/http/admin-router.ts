/**
 * /_sandbox: the sandbox's own admin API for tests and the CLI (not part of LeadToSheet).
 * It answers only on loopback: when the server listens on a loopback address and the
 * request comes from one. Bodies are JSON with snake_case names; errors use the same
 * error body as the API.
 */
import { errorCodes } from '@leadtosheet/shared';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { DomainContext } from '../domain/context.js';
import { createForm, formView } from '../domain/forms.js';
import { createKey, listKeys, revokeKey, rotateKey } from '../domain/keys.js';
import { SandboxError, unprocessable } from '../domain/sandbox-error.js';
import { createSite, requireSite, siteView } from '../domain/sites.js';
import { createSubmission, submissionView } from '../domain/submissions.js';
import { parseOrReject } from '../domain/validate.js';
import type { DemoSeed } from '../seed/demo.js';
import type { Faults } from './faults.js';
import { jsonBody } from './json-body.js';
import { isLoopback } from './loopback.js';
import type { RateLimiter } from './rate-limit.js';

export interface AdminRouterDeps {
  ctx: DomainContext;
  faults: Faults;
  rateLimiter: RateLimiter;
  seedDemo: () => DemoSeed;
  /** False once the server listens on a non-loopback address. */
  boundToLoopback: () => boolean;
}

const FaultsInputSchema = z.strictObject({
  latency_ms: z.number().int().min(0).max(60_000).optional(),
  error_rate: z.number().min(0).max(1).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  burst_429: z
    .strictObject({
      count: z.number().int().min(0).max(1_000_000),
      retry_after_seconds: z.number().int().min(0).max(86_400).default(1),
    })
    .optional(),
});

const RateLimitInputSchema = z.strictObject({ limit: z.number().int().min(0) });

const onlyOnLoopback =
  (boundToLoopback: () => boolean): RequestHandler =>
  (req, _res, next) => {
    if (boundToLoopback() && isLoopback(req.socket.localAddress) && isLoopback(req.socket.remoteAddress)) {
      next();
      return;
    }
    next(
      new SandboxError({
        status: 404,
        code: errorCodes.notFound,
        message: 'The sandbox admin API only answers when the sandbox listens on a loopback address (127.0.0.1 or ::1).',
      }),
    );
  };

const param = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join('/') : (value ?? ''));

export function adminRouter({ ctx, faults, rateLimiter, seedDemo, boundToLoopback }: AdminRouterDeps): Router {
  const router = Router();
  router.use(onlyOnLoopback(boundToLoopback));
  router.use(jsonBody);

  const faultsView = () => {
    const f = faults.get();
    return {
      latency_ms: f.latencyMs,
      error_rate: f.errorRate,
      burst_429: f.burst429 ? { remaining: f.burst429.remaining, retry_after_seconds: f.burst429.retryAfterSeconds } : null,
    };
  };

  router.get('/health', (_req, res) => {
    res.json({ ok: true, counts: ctx.store.counts() });
  });

  router.get('/sites', (_req, res) => {
    res.json({ data: ctx.store.allSites().map((s) => siteView(ctx, s)) });
  });
  router.post('/sites', (req, res) => {
    res.status(201).json(siteView(ctx, createSite(ctx, req.body ?? {})));
  });

  router.get('/sites/:siteId/keys', (req, res) => {
    res.json({ data: listKeys(ctx, param(req.params.siteId)) });
  });
  router.post('/sites/:siteId/keys', (req, res) => {
    res.status(201).json(createKey(ctx, param(req.params.siteId), req.body ?? {}));
  });
  router.post('/keys/:keyId/revoke', (req, res) => {
    res.json(revokeKey(ctx, param(req.params.keyId)));
  });
  router.post('/keys/:keyId/rotate', (req, res) => {
    res.status(201).json(rotateKey(ctx, param(req.params.keyId), req.body ?? {}));
  });

  router.post('/sites/:siteId/forms', (req, res) => {
    const siteId = param(req.params.siteId);
    res.status(201).json(formView(ctx, createForm(ctx, siteId, req.body ?? {})));
  });
  router.post('/sites/:siteId/submissions', (req, res) => {
    const siteId = param(req.params.siteId);
    requireSite(ctx, siteId);
    const { created_at: createdAt, ...body } = (req.body ?? {}) as { created_at?: unknown };
    if (createdAt !== undefined && typeof createdAt !== 'string') {
      throw unprocessable('created_at must be an ISO 8601 date and time such as 2026-01-31T09:00:00.000Z', [
        { field: 'created_at', message: 'expected a string' },
      ]);
    }
    const created = createSubmission(ctx, siteId, body, createdAt === undefined ? {} : { createdAt });
    res.status(201).json(submissionView(ctx, created.record));
  });

  router.get('/faults', (_req, res) => {
    res.json(faultsView());
  });
  router.patch('/faults', (req, res) => {
    const input = parseOrReject(FaultsInputSchema, req.body ?? {}, 'The faults');
    faults.set({ latencyMs: input.latency_ms, errorRate: input.error_rate, seed: input.seed });
    if (input.burst_429) faults.burst429(input.burst_429.count, input.burst_429.retry_after_seconds);
    res.json(faultsView());
  });
  router.delete('/faults', (_req, res) => {
    faults.reset();
    res.json(faultsView());
  });

  router.get('/rate-limit', (_req, res) => {
    res.json({ limit: rateLimiter.settings.limit, window_ms: rateLimiter.settings.windowMs });
  });
  router.patch('/rate-limit', (req, res) => {
    rateLimiter.settings.limit = parseOrReject(RateLimitInputSchema, req.body ?? {}, 'The rate limit').limit;
    res.json({ limit: rateLimiter.settings.limit, window_ms: rateLimiter.settings.windowMs });
  });

  router.post('/seed/demo', (_req, res) => {
    res.status(201).json(seedDemo());
  });

  return router;
}
