/**
 * createSandbox: the LeadToSheet API v1 emulator as an Express app plus its store, faults,
 * helpers to create data, and `listen` for real HTTP.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { systemClock } from './clock.js';
import type { DomainContext } from './domain/context.js';
import { createForm, formView, type CreateFormInput } from './domain/forms.js';
import { createKey, listKeys, revokeKey, rotateKey, type CreateKeyInput, type IssuedKey, type KeyView } from './domain/keys.js';
import { createSite, siteView, type CreateSiteInput } from './domain/sites.js';
import { createSubmission as create, submissionView } from './domain/submissions.js';
import { adminRouter } from './http/admin-router.js';
import { apiRouter } from './http/api-router.js';
import { errorHandler, routeNotFound } from './http/error-handler.js';
import { Faults } from './http/faults.js';
import { isLoopback } from './http/loopback.js';
import { createRateLimiter } from './http/rate-limit.js';
import { requestLog } from './http/request-log.js';
import { silentLogger } from './logger.js';
import { openApiDocument } from './openapi/document.js';
import type { SandboxOptions } from './options.js';
import { seedDemo, type DemoSeed } from './seed/demo.js';
import { Store } from './store/store.js';
import type { FieldValue, Form, Site, Submission, SubmissionMetadata } from '@leadtosheet/shared';

export const API_BASE_PATH = '/api/v1';
export const ADMIN_BASE_PATH = '/_sandbox';
export const DEFAULT_HOST = '127.0.0.1';

export interface RunningSandbox {
  /** http://host:port */
  url: string;
  /** http://host:port/api/v1: give this to the client. */
  baseUrl: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export interface NewSubmission {
  fields: Record<string, FieldValue>;
  formName?: string;
  formId?: string;
  metadata?: SubmissionMetadata;
  /** Arrival time instead of now, e.g. two leads in the same millisecond. */
  createdAt?: string | Date;
}

export interface Sandbox {
  app: Express;
  store: Store;
  faults: Faults;
  /** Per-key requests per window; change `limit` at runtime (0 = off). */
  rateLimit: { limit: number; windowMs: number };
  listen(port?: number, host?: string): Promise<RunningSandbox>;
  createSite(input: CreateSiteInput): Site;
  createKey(siteId: string, input: CreateKeyInput): IssuedKey;
  listKeys(siteId: string): KeyView[];
  revokeKey(keyId: string): KeyView;
  rotateKey(keyId: string, input?: { expires_at?: string | null }): IssuedKey & { revoked: KeyView };
  createForm(siteId: string, input: CreateFormInput): Form;
  createSubmission(siteId: string, input: NewSubmission): Submission;
  seedDemo(): DemoSeed;
  /** Stops the rate limiter's timer and closes every server `listen` opened. */
  close(): Promise<void>;
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const logger = options.logger ?? silentLogger;
  const store = new Store({ file: options.dataFile });
  const ctx: DomainContext = { store, now: options.now ?? systemClock };
  const faults = new Faults(options.faults);
  const rateLimiter = createRateLimiter(ctx, { limit: options.rateLimit, windowMs: options.rateLimitWindowMs });
  const servers = new Set<RunningSandbox>();
  let nonLoopbackListener = false;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(logger));
  app.use(API_BASE_PATH, apiRouter({ ctx, faults, rateLimiter, logger, openapi: openApiDocument }));
  if (options.admin !== false) {
    app.use(ADMIN_BASE_PATH, adminRouter({ ctx, faults, rateLimiter, seedDemo: () => seedDemo(ctx), boundToLoopback: () => !nonLoopbackListener }));
  }
  app.get('/', (_req, res) => {
    res.json({ name: 'LeadToSheet API v1 sandbox', api: API_BASE_PATH, openapi: `${API_BASE_PATH}/openapi.json` });
  });
  app.use(routeNotFound);
  app.use(errorHandler(logger));

  const listen = (port = 0, host = DEFAULT_HOST) =>
    new Promise<RunningSandbox>((resolve, reject) => {
      if (!isLoopback(host)) nonLoopbackListener = true;
      const server = app.listen(port, host);
      server.once('error', reject);
      server.once('listening', () => {
        const address = server.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        const url = `http://${shownHost}:${address.port}`;
        const running: RunningSandbox = {
          url,
          baseUrl: `${url}${API_BASE_PATH}`,
          port: address.port,
          server,
          close: () =>
            new Promise<void>((done, fail) => {
              servers.delete(running);
              server.close((err) => (err ? fail(err) : done()));
              server.closeAllConnections();
            }),
        };
        servers.add(running);
        logger.info(`sandbox listening on ${running.baseUrl}`);
        resolve(running);
      });
    });

  return {
    app,
    store,
    faults,
    rateLimit: rateLimiter.settings,
    listen,
    createSite: (input) => siteView(ctx, createSite(ctx, input)),
    createKey: (siteId, input) => createKey(ctx, siteId, input),
    listKeys: (siteId) => listKeys(ctx, siteId),
    revokeKey: (keyId) => revokeKey(ctx, keyId),
    rotateKey: (keyId, input) => rotateKey(ctx, keyId, input),
    createForm: (siteId, input) => formView(ctx, createForm(ctx, siteId, input)),
    createSubmission: (siteId, input) => {
      const body = { fields: input.fields, form_name: input.formName, form_id: input.formId, metadata: input.metadata };
      const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      return submissionView(ctx, create(ctx, siteId, clean, input.createdAt === undefined ? {} : { createdAt: input.createdAt }).record);
    },
    seedDemo: () => seedDemo(ctx),
    close: async () => {
      await Promise.all([...servers].map((s) => s.close()));
      rateLimiter.close();
    },
  };
}
