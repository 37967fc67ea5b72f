/** Shared test kit: the app under createAppTester, a nock scope on the API, fixtures. */
import nock from 'nock';
import zapier, { type AuthField, type Bundle, type PlainInputField, type PlainOutputField, type SearchOrCreate, type ZObject } from 'zapier-platform-core';
import definition from '../src/index.js';

/** One trigger, action or search, as tests look at it. */
export interface Operation {
  key: string;
  display: { label?: string; description?: string; hidden?: boolean };
  operation: {
    perform: unknown;
    inputFields?: Array<PlainInputField | ((...args: never[]) => unknown)>;
    inputFieldGroups?: Array<{ key: string; label?: string }>;
    outputFields?: Array<PlainOutputField | ((...args: never[]) => unknown)>;
    sample?: Record<string, unknown>;
    canPaginate?: boolean;
  };
}

/** The app definition, typed loosely enough to poke at any part of it. */
export const App = definition as unknown as {
  version: string;
  platformVersion: string;
  authentication: { fields: AuthField[]; test: unknown; connectionLabel: unknown };
  triggers: Record<'new_submission' | 'new_submission_instant' | 'new_form' | 'form_list', Operation>;
  creates: Record<'create_lead' | 'update_form', Operation>;
  searches: Record<'find_submission' | 'find_form', Operation>;
  searchOrCreates: Record<'find_submission', SearchOrCreate>;
};

const tester = zapier.createAppTester(definition);

/** Runs any function of the app (perform, dynamic fields, auth test) through createAppTester. */
export function appTester<T = unknown>(fn: unknown, b: object = {}): Promise<T> {
  return tester(fn as (z: ZObject, bundle: Bundle) => Promise<T>, b as never);
}

export const KEY = 'lts_TestKey1234567890abcdEFGH';
export const ORIGIN = 'https://www.leadtosheet.com';
export const V1 = '/api/v1';

/** Every request must carry the key as a Bearer token. */
export const api = (origin = ORIGIN) => nock(origin, { reqheaders: { authorization: `Bearer ${KEY}` } });

export function bundle(inputData: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  return { authData: { api_key: KEY }, inputData, meta };
}

export function submission(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `sub_${n}`,
    form_id: 'frm_1',
    form_name: 'Contact us',
    created_at: new Date(Date.UTC(2026, 2, 1, 12, 0, n)).toISOString(),
    fields: { Email: `lead${n}@example.com`, 'Full name': `Lead ${n}` },
    metadata: { page_url: 'https://www.example.com/contact', utm_source: 'google' },
    is_spam: false,
    ...overrides,
  };
}

export function form(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `frm_${n}`,
    name: `Form ${n}`,
    sheet_tab: `Tab ${n}`,
    ignored: false,
    created_at: new Date(Date.UTC(2026, 0, n)).toISOString(),
    updated_at: new Date(Date.UTC(2026, 1, n)).toISOString(),
    submission_count: n * 10,
    ...overrides,
  };
}

export function page<T>(data: T[], pageNo = 1, perPage = 100, total = data.length) {
  return { data, pagination: { page: pageNo, per_page: perPage, total, total_pages: Math.ceil(total / perPage) } };
}

export const apiError = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ error: { code, message, ...extra } });

/** What a Zapier error carries, whatever its class packs into `message`. */
export interface Failure {
  name: string;
  message: string;
  code?: string;
  status?: number;
  delay?: number;
}

export async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error;
    try {
      const packed = JSON.parse(e.message) as Omit<Failure, 'name'>;
      return { name: e.name, ...packed };
    } catch {
      return { name: e.name, message: e.message };
    }
  }
  throw new Error('expected the operation to fail, it succeeded');
}
