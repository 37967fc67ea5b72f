/**
 * What every contract check row gets: the client under test, raw access for the
 * requests the client would refuse locally, and a few answers cached between rows.
 */
import got from 'got';
import { LeadToSheetClient } from '../client.js';
import type { Form, Page, Site, Submission } from '../contract.js';
import { createGotTransport } from '../got-transport.js';
import { buildUrl, parseBody, type Transport, type TransportRequest, type TransportResponse } from '../transport.js';

export type Outcome =
  | { status: 'ok'; note?: string }
  | { status: 'mismatch'; detail: string }
  | { status: 'not_checked'; reason: string };

export interface CheckRow {
  id: string;
  /** documented: a published fact; assumed: our working contract (contract.ts). */
  basis: 'documented' | 'assumed';
  title: string;
  /** Needs --write: creates or changes data. */
  writes?: boolean;
  run(ctx: CheckContext): Promise<Outcome>;
}

export const ok = (note?: string): Outcome => (note ? { status: 'ok', note } : { status: 'ok' });
export const mismatch = (detail: string): Outcome => ({ status: 'mismatch', detail });
export const notChecked = (reason: string): Outcome => ({ status: 'not_checked', reason });

export class CheckContext {
  readonly client: LeadToSheetClient;
  readonly transport: Transport;
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    readonly baseUrl: string,
    readonly key: string,
    readonly write: boolean,
  ) {
    this.transport = createGotTransport({ key, baseUrl, retry: { limit: 1, maxRetryAfterMs: 5_000 }, userAgent: 'lts-contract-check' });
    this.client = new LeadToSheetClient(this.transport, { key, baseUrl });
  }

  /** A request exactly as given (no local validation), with the key. */
  raw(request: Omit<TransportRequest, 'idempotent'> & { idempotent?: boolean }): Promise<TransportResponse> {
    return this.transport.send({ idempotent: true, ...request });
  }

  /** A request with no Authorization header, or with the given one. */
  async unauthenticated(path: string, authorization?: string): Promise<TransportResponse> {
    const res = await got(buildUrl(this.baseUrl, { path }), {
      headers: authorization ? { authorization } : {},
      throwHttpErrors: false,
      retry: { limit: 0 },
      responseType: 'text',
      followRedirect: false,
      timeout: { request: 15_000 },
    });
    return { status: res.statusCode, headers: res.headers, body: parseBody(res.body) };
  }

  private once<T>(name: string, load: () => Promise<T>): Promise<T> {
    if (!this.memo.has(name)) this.memo.set(name, load());
    return this.memo.get(name) as Promise<T>;
  }

  site = (): Promise<Site> => this.once('site', () => this.client.getSite());
  submissions = (): Promise<Page<Submission>> => this.once('submissions', () => this.client.listSubmissions({ perPage: 25 }));
  forms = (): Promise<Page<Form>> => this.once('forms', () => this.client.listForms({ perPage: 25 }));
}
