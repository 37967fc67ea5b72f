/**
 * The dashboard: a static single-page app under /dashboard (built by `npm run build` into
 * bridge/dashboard-dist) and its session endpoints under /dashboard/api. The page calls
 * only the bridge's own /admin/v1 and /v1 APIs; `sessionAuth` lets those APIs take a
 * signed-in session in place of a Bearer key, so the page can do nothing the API would
 * refuse. Changes need the session's CSRF token; sign-ins that fail are slowed down, then
 * refused for a while; every page carries a Content-Security-Policy without inline script.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseCookies } from 'cookie';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { slowDown } from 'express-slow-down';
import helmet from 'helmet';
import { z } from 'zod';
import { KEY_PREFIX, LeadToSheetError } from '@leadtosheet/shared';
import { HttpError, asyncRoute, fromUpstream, fromZod } from '../api/http-error.js';
import { resolveTenant } from '../api/tenant-auth.js';
import { adminKeysOf } from '../admin/admin-router.js';
import { ADMIN_KEY_PREFIX } from '../admin/key-secret.js';
import { auditRepo } from '../db/audit-repo.js';
import type { BridgeServices } from '../services.js';
import { IDLE_MS, SESSION_COOKIE, sameToken, type DashboardSession, type SessionKind, type SessionStore } from './sessions.js';

/** Where `npm run build` puts the page (bridge/dashboard-dist, from src/dashboard or dist/dashboard alike). */
export const DASHBOARD_DIST = fileURLToPath(new URL('../../dashboard-dist/', import.meta.url));

/** Failed sign-ins per client address: slowed after `delayAfter`, refused (429) after `limit`, within `windowMs`. */
export interface SignInLimits {
  windowMs: number;
  delayAfter: number;
  delayMs: number;
  maxDelayMs: number;
  limit: number;
}
export const SIGN_IN_LIMITS: SignInLimits = { windowMs: 15 * 60_000, delayAfter: 3, delayMs: 500, maxDelayMs: 10_000, limit: 30 };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const sessionIdOf = (req: Request): string | undefined => {
  const header = req.headers.cookie;
  return header ? parseCookies(header)[SESSION_COOKIE] : undefined;
};

/** What the page learns of its session: never the key, only its prefix. */
const presentSession = (s: DashboardSession) => ({
  kind: s.kind,
  prefix: s.prefix,
  name: s.name,
  scopes: s.scopes,
  site: s.site ?? null,
  csrf_token: s.csrf,
  idle_timeout_seconds: IDLE_MS / 1000,
});

const SignInBody = z.strictObject({
  key: z
    .string({ error: 'key is required: paste a bridge admin key (ltb_…) or a LeadToSheet API key (lts_…)' })
    .trim()
    .min(1, 'key must not be empty: paste a bridge admin key (ltb_…) or a LeadToSheet API key (lts_…)')
    .max(500, 'key is longer than any bridge or LeadToSheet key (500 characters at most)'),
});

/** Whether a request carries its session's CSRF token (X-CSRF-Token), compared in constant time. */
const carriesCsrf = (req: Request, session: DashboardSession) => sameToken(req.get('x-csrf-token'), session.csrf);
const csrfRefused = (what: string) => new HttpError(403, 'csrf_failed', `${what} did not carry the page's CSRF token (X-CSRF-Token); reload the dashboard and try again`);

/**
 * For /v1 and /admin/v1: a request without an Authorization header but with a live
 * dashboard session is made with the session's key. A change (any method but GET/HEAD)
 * must carry the session's CSRF token in X-CSRF-Token. A site-key session cannot reach
 * /admin/v1, and an operator session cannot reach /v1.
 */
export function sessionAuth(sessions: SessionStore, area: SessionKind): RequestHandler {
  return (req, res, next) => {
    if (req.headers.authorization !== undefined) return next();
    const id = sessionIdOf(req);
    if (id === undefined) return next();
    const session = sessions.get(id);
    if (!session) return next(new HttpError(401, 'session_expired', 'Your dashboard session has ended (signed out, idle for 30 minutes, or the bridge restarted): sign in again'));
    if (!SAFE_METHODS.has(req.method) && !carriesCsrf(req, session)) return next(csrfRefused('This change'));
    if (session.kind !== area) {
      return next(
        area === 'operator'
          ? new HttpError(403, 'operator_only', `Signed in with a LeadToSheet site key (${session.prefix}): operator pages need a bridge admin key (ltb_…)`)
          : new HttpError(403, 'tenant_only', `Signed in with a bridge admin key (${session.prefix}…): the tenant API needs a LeadToSheet site key (lts_…)`),
      );
    }
    req.headers.authorization = `Bearer ${session.key}`;
    res.set('cache-control', 'no-store');
    next();
  };
}

export function dashboardRouter(s: BridgeServices, sessions: SessionStore): Router {
  const r = Router();
  const keys = adminKeysOf(s);
  const limits = s.config.dashboardSignIn ?? SIGN_IN_LIMITS;

  r.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // The bridge is often served over plain http on a private network, or behind a TLS proxy that sets HSTS itself.
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  const api = Router();
  api.use(express.json({ limit: '10kb' }));
  api.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  const failedSignIns = { windowMs: limits.windowMs, skipSuccessfulRequests: true, requestWasSuccessful: (_req: Request, res: Response) => res.statusCode < 400 };
  const signInGuards: RequestHandler[] = [
    rateLimit({
      ...failedSignIns,
      limit: limits.limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res, _next, options) => {
        res.set('retry-after', String(Math.ceil(options.windowMs / 1000)));
        res.status(429).json({ error: { code: 'too_many_attempts', message: `Too many failed sign-ins from this address; try again in ${Math.ceil(options.windowMs / 60_000)} minutes` } });
      },
    }),
    slowDown({ ...failedSignIns, delayAfter: limits.delayAfter, delayMs: (used) => (used - limits.delayAfter) * limits.delayMs, maxDelayMs: limits.maxDelayMs }),
  ];

  /** A sign-in form on another site must not be able to sign a visitor in (login CSRF). */
  const sameOrigin: RequestHandler = (req, _res, next) => {
    const origin = req.get('origin');
    if (origin !== undefined && (!URL.canParse(origin) || new URL(origin).host !== req.get('host'))) {
      return next(new HttpError(403, 'cross_origin', 'Sign in from the dashboard page itself'));
    }
    if (!req.is('application/json')) return next(new HttpError(415, 'validation_error', 'Send the key as JSON: {"key": "..."}'));
    next();
  };

  const setCookie = (req: Request, res: Response, value: string, maxAgeMs?: number) =>
    res.cookie(SESSION_COOKIE, value, { httpOnly: true, secure: req.secure, sameSite: 'strict', path: '/', ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) });

  api.post(
    '/session',
    sameOrigin,
    ...signInGuards,
    asyncRoute(async (req, res) => {
      const body = SignInBody.safeParse(req.body ?? {});
      if (!body.success) throw fromZod(body.error);
      const raw = body.data.key;
      let fields: Parameters<SessionStore['create']>[0];
      if (raw.startsWith(ADMIN_KEY_PREFIX)) {
        const admin = await keys.authenticate(raw);
        fields = { kind: 'operator', key: raw, prefix: admin.prefix, name: admin.name, scopes: admin.scopes };
      } else if (raw.startsWith(KEY_PREFIX)) {
        const tenant = await resolveTenant(s.config.ltsBaseUrl, raw);
        fields = { kind: 'tenant', key: tenant.key, prefix: tenant.keyPrefix, name: tenant.site.name, scopes: [], site: { id: tenant.site.id, name: tenant.site.name } };
      } else {
        throw new HttpError(401, 'invalid_token', 'key: this is neither a bridge admin key (ltb_…) nor a LeadToSheet API key (lts_…)', [{ field: 'key', message: 'expected a key starting with ltb_ or lts_' }]);
      }
      sessions.delete(sessionIdOf(req));
      const { id, session } = sessions.create(fields);
      setCookie(req, res, id);
      if (session.kind === 'operator') await auditRepo.record(s.db, { actor: session.prefix, action: 'dashboard.signed_in', targetType: 'key', targetId: session.prefix, details: {} });
      s.log.info({ kind: session.kind, key_prefix: session.prefix }, 'dashboard sign-in');
      res.status(201).json(presentSession(session));
    }),
  );

  /** The page's session, with its key checked again (a revoked key ends the session here). */
  api.get(
    '/session',
    asyncRoute(async (req, res) => {
      const id = sessionIdOf(req);
      const session = sessions.get(id);
      if (!session) throw new HttpError(401, 'not_signed_in', 'Not signed in');
      try {
        if (session.kind === 'operator') session.scopes = (await keys.authenticate(session.key)).scopes;
        else await resolveTenant(s.config.ltsBaseUrl, session.key);
      } catch (caught) {
        // LeadToSheet's own refusal of an lts_ key arrives as a LeadToSheetError, not yet an HttpError.
        const err = caught instanceof LeadToSheetError ? fromUpstream(caught) : caught;
        if (err instanceof HttpError && err.status === 401) {
          sessions.delete(id);
          setCookie(req, res, '', 0);
        }
        throw err;
      }
      res.json(presentSession(session));
    }),
  );

  api.delete('/session', (req, res, next) => {
    const id = sessionIdOf(req);
    const session = sessions.get(id);
    if (session && !carriesCsrf(req, session)) return next(csrfRefused('Sign-out'));
    sessions.delete(id);
    setCookie(req, res, '', 0);
    if (session) s.log.info({ kind: session.kind, key_prefix: session.prefix }, 'dashboard sign-out');
    res.status(204).end();
  });

  api.use((req, _res, next) => next(new HttpError(404, 'not_found', `No route ${req.method} /dashboard/api${req.path}`)));
  r.use('/api', api);

  r.use(express.static(DASHBOARD_DIST, { index: false, setHeaders: (res) => res.set('cache-control', 'no-cache') }));
  // Every other page path is the app's own route: the same page, which draws it.
  r.get(/.*/, (_req, res) => {
    res.set('cache-control', 'no-store');
    if (!existsSync(`${DASHBOARD_DIST}index.html`)) {
      res.status(503).type('text/plain').send('The dashboard is not built: run `npm run build` in the repository, then restart the bridge.\n');
      return;
    }
    res.sendFile(`${DASHBOARD_DIST}index.html`);
  });
  return r;
}

