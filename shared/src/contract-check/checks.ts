/**
 * One row per documented or assumed behaviour of LeadToSheet API v1 (API-CONTRACT.md).
 * Read-only rows first; rows marked `writes` run only with --write.
 */
import { randomUUID } from 'node:crypto';
import {
  ErrorBodySchema,
  FormSchema,
  MAX_PER_PAGE,
  PaginationSchema,
  SiteSchema,
  SubmissionSchema,
  errorCodes,
  paths,
} from '../contract.js';
import { LeadToSheetError } from '../errors.js';
import { FIELD_VALUE_MAX_CHARS, SENSITIVE_FIELD_EXAMPLES } from '../form-rules.js';
import { KEY_PREFIX, checkKeyShape } from '../keys.js';
import type { TransportResponse } from '../transport.js';
import { mismatch, notChecked, ok, type CheckContext, type CheckRow, type Outcome } from './check-context.js';

/** Runs a check; a missing scope makes the row "not checked", any other failure a mismatch. */
async function attempt(fn: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LeadToSheetError && err.status === 403) {
      return notChecked(`the key lacks ${err.requiredScope ? `"${err.requiredScope}"` : 'a needed scope'}`);
    }
    if (err instanceof LeadToSheetError) return mismatch(`${err.code}: ${err.message}`);
    return mismatch(String(err));
  }
}

/** Checks an error answer: status, error code, the one error shape. */
function expectError(res: TransportResponse, status: number | number[], code: string): Outcome {
  const statuses = Array.isArray(status) ? status : [status];
  const body = ErrorBodySchema.safeParse(res.body);
  if (!statuses.includes(res.status)) return mismatch(`expected HTTP ${statuses.join(' or ')}, got ${res.status}`);
  if (!body.success) return mismatch(`error body is not { error: { code, message } }: ${JSON.stringify(res.body)?.slice(0, 200)}`);
  if (body.data.error.code !== code) return mismatch(`expected code "${code}", got "${body.data.error.code}"`);
  return ok();
}

const zodProblem = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => {
  const issue = r.error?.issues[0];
  return issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` : 'does not match';
};

const isNewestFirst = (items: { created_at: string }[]) =>
  items.every((item, i) => i === 0 || Date.parse(items[i - 1]!.created_at) >= Date.parse(item.created_at));

/** An unknown id of one resource: 404 not_found (a key without the resource's read scope: not checked). */
const notFoundRow = (r: { list: 'submissions' | 'forms'; noun: string; idPrefix: string; path: (id: string) => string }): CheckRow => ({
  id: `${r.list}.not-found`,
  basis: 'assumed',
  title: `An unknown ${r.noun} id: 404 not_found`,
  run: async (ctx) => {
    const res = await ctx.raw({ method: 'GET', path: r.path(`${r.idPrefix}_contract_check_${randomUUID()}`) });
    return res.status === 403 ? notChecked(`the key lacks "${r.list}:read"`) : expectError(res, 404, errorCodes.notFound);
  },
});

const readRows: CheckRow[] = [
  {
    id: 'key.shape',
    basis: 'documented',
    title: 'The key starts with lts_ and has a valid shape',
    run: async (ctx) => {
      const check = checkKeyShape(ctx.key);
      return check.ok ? ok() : mismatch(check.problem);
    },
  },
  {
    id: 'site.get',
    basis: 'assumed',
    title: `GET ${paths.site} returns the key's site (id, name, domain)`,
    run: (ctx) =>
      attempt(async () => {
        const res = await ctx.raw({ method: 'GET', path: paths.site });
        if (res.status !== 200) return mismatch(`expected HTTP 200, got ${res.status}`);
        const parsed = SiteSchema.safeParse(res.body);
        return parsed.success ? ok(`site "${parsed.data.name}"`) : mismatch(zodProblem(parsed));
      }),
  },
  {
    id: 'auth.missing',
    basis: 'documented',
    title: 'No Authorization header: 401 invalid_token with a WWW-Authenticate challenge',
    run: async (ctx) => {
      const res = await ctx.unauthenticated(paths.site);
      const shape = expectError(res, 401, errorCodes.invalidToken);
      if (shape.status !== 'ok') return shape;
      return res.headers['www-authenticate'] ? ok() : mismatch('no WWW-Authenticate header');
    },
  },
  {
    id: 'auth.unknown-key',
    basis: 'documented',
    title: 'An unknown lts_ key: 401 invalid_token',
    run: async (ctx) => {
      const fake = `${KEY_PREFIX}contractcheck${randomUUID().replace(/-/g, '')}`;
      return expectError(await ctx.unauthenticated(paths.site, `Bearer ${fake}`), 401, errorCodes.invalidToken);
    },
  },
  {
    id: 'submissions.list',
    basis: 'documented',
    title: `GET ${paths.submissions}: items under data, a pagination object { page, per_page, total, total_pages }`,
    run: (ctx) =>
      attempt(async () => {
        const res = await ctx.raw({ method: 'GET', path: paths.submissions, query: { per_page: 5 } });
        if (res.status === 403) return notChecked('the key lacks "submissions:read"');
        if (res.status !== 200) return mismatch(`expected HTTP 200, got ${res.status}`);
        const body = res.body as { data?: unknown; pagination?: unknown };
        if (!Array.isArray(body?.data)) return mismatch('no data array');
        const pagination = PaginationSchema.safeParse(body.pagination);
        if (!pagination.success) return mismatch(`pagination: ${zodProblem(pagination)}`);
        const bad = body.data.map((s) => SubmissionSchema.safeParse(s)).find((r) => !r.success);
        return bad ? mismatch(`submission: ${zodProblem(bad)}`) : ok(`${pagination.data.total} submissions`);
      }),
  },
  {
    id: 'submissions.order',
    basis: 'assumed',
    title: 'Submissions are listed newest first',
    run: (ctx) =>
      attempt(async () => {
        const { data } = await ctx.submissions();
        if (data.length < 2) return notChecked('fewer than 2 submissions on the site');
        return isNewestFirst(data) ? ok() : mismatch('created_at is not descending');
      }),
  },
  {
    id: 'submissions.per-page',
    basis: 'documented',
    title: 'page and per_page page through the list without overlap',
    run: (ctx) =>
      attempt(async () => {
        const [p1, p2] = [await ctx.client.listSubmissions({ page: 1, perPage: 1 }), await ctx.client.listSubmissions({ page: 2, perPage: 1 })];
        if (p1.pagination.per_page !== 1) return mismatch(`asked per_page=1, pagination says ${p1.pagination.per_page}`);
        if (p1.data.length > 1) return mismatch(`asked per_page=1, got ${p1.data.length} items`);
        if (p1.pagination.total < 2) return notChecked('fewer than 2 submissions on the site');
        if (p2.pagination.page !== 2) return mismatch(`asked page=2, pagination says ${p2.pagination.page}`);
        if (p2.data[0]?.id === p1.data[0]?.id) return mismatch('page 2 repeats page 1');
        if (p1.pagination.total_pages !== p1.pagination.total) return mismatch('total_pages != total with per_page=1');
        return ok();
      }),
  },
  {
    id: 'submissions.per-page-max',
    basis: 'assumed',
    title: `per_page above ${MAX_PER_PAGE} is refused with 422 validation_error`,
    run: (ctx) =>
      attempt(async () => {
        const res = await ctx.raw({ method: 'GET', path: paths.submissions, query: { per_page: MAX_PER_PAGE + 1 } });
        if (res.status === 403) return notChecked('the key lacks "submissions:read"');
        if (res.status === 200) {
          const per = (res.body as { pagination?: { per_page?: number } })?.pagination?.per_page;
          return mismatch(`accepted per_page=${MAX_PER_PAGE + 1} (pagination.per_page=${per}); the real maximum differs`);
        }
        return expectError(res, [400, 422], errorCodes.validation);
      }),
  },
  {
    id: 'submissions.since',
    basis: 'assumed',
    title: 'since is an inclusive lower bound on created_at',
    run: (ctx) =>
      attempt(async () => {
        const newest = (await ctx.submissions()).data[0];
        if (!newest) return notChecked('no submissions on the site');
        const page = await ctx.client.listSubmissions({ since: newest.created_at, perPage: MAX_PER_PAGE });
        if (!page.data.some((s) => s.id === newest.id)) return mismatch('since=<newest created_at> does not include the newest submission');
        const older = page.data.find((s) => Date.parse(s.created_at) < Date.parse(newest.created_at));
        return older ? mismatch(`returned ${older.id}, older than since`) : ok();
      }),
  },
  {
    id: 'submissions.form-filter',
    basis: 'assumed',
    title: 'form_id filters submissions to one form',
    run: (ctx) =>
      attempt(async () => {
        const withForm = (await ctx.submissions()).data.find((s) => s.form_id);
        if (!withForm?.form_id) return notChecked('no submission with a form_id');
        const page = await ctx.client.listSubmissions({ formId: withForm.form_id, perPage: MAX_PER_PAGE });
        const other = page.data.find((s) => s.form_id !== withForm.form_id);
        if (other) return mismatch(`form_id=${withForm.form_id} returned a submission of form ${other.form_id}`);
        return page.data.some((s) => s.id === withForm.id) ? ok() : mismatch('the filtered list misses a submission of that form');
      }),
  },
  {
    id: 'submissions.search',
    basis: 'assumed',
    title: 'q finds submissions by a field value',
    run: (ctx) =>
      attempt(async () => {
        const sample = (await ctx.submissions()).data.find((s) => Object.values(s.fields).some((v) => typeof v === 'string' && v.length >= 3));
        const value = sample && (Object.values(sample.fields).find((v) => typeof v === 'string' && v.length >= 3) as string);
        if (!sample || !value) return notChecked('no submission with a text field');
        const page = await ctx.client.listSubmissions({ q: value, perPage: MAX_PER_PAGE });
        return page.data.some((s) => s.id === sample.id) ? ok() : mismatch(`q="${value.slice(0, 40)}" does not find submission ${sample.id}`);
      }),
  },
  {
    id: 'submissions.get',
    basis: 'documented',
    title: `GET ${paths.submission('{id}')} returns one submission`,
    run: (ctx) =>
      attempt(async () => {
        const first = (await ctx.submissions()).data[0];
        if (!first) return notChecked('no submissions on the site');
        const one = await ctx.client.getSubmission(first.id);
        return one.id === first.id ? ok() : mismatch(`asked ${first.id}, got ${one.id}`);
      }),
  },
  notFoundRow({ list: 'submissions', noun: 'submission', idPrefix: 'sub', path: paths.submission }),
  {
    id: 'forms.list',
    basis: 'documented',
    title: `GET ${paths.forms}: forms under data with pagination (id, name, sheet_tab, ignored)`,
    run: (ctx) =>
      attempt(async () => {
        const page = await ctx.forms();
        const bad = page.data.map((f) => FormSchema.safeParse(f)).find((r) => !r.success);
        return bad ? mismatch(zodProblem(bad)) : ok(`${page.pagination.total} forms`);
      }),
  },
  {
    id: 'forms.get',
    basis: 'documented',
    title: `GET ${paths.form('{id}')} returns one form`,
    run: (ctx) =>
      attempt(async () => {
        const first = (await ctx.forms()).data[0];
        if (!first) return notChecked('no forms on the site');
        const one = await ctx.client.getForm(first.id);
        return one.id === first.id ? ok() : mismatch(`asked ${first.id}, got ${one.id}`);
      }),
  },
  notFoundRow({ list: 'forms', noun: 'form', idPrefix: 'form', path: paths.form }),
  {
    id: 'scopes.enforced',
    basis: 'documented',
    title: 'A call outside the key\'s scopes: 403 insufficient_scope naming the scope',
    run: async (ctx) => {
      const probes = [
        { path: paths.submissions, scope: 'submissions:read' },
        { path: paths.forms, scope: 'forms:read' },
      ];
      for (const probe of probes) {
        const res = await ctx.raw({ method: 'GET', path: probe.path });
        if (res.status !== 403) continue;
        const shape = expectError(res, 403, errorCodes.insufficientScope);
        if (shape.status !== 'ok') return shape;
        const message = ErrorBodySchema.parse(res.body).error.message;
        return message.includes(probe.scope) ? ok(`checked with ${probe.scope}`) : mismatch(`message does not name "${probe.scope}": ${message}`);
      }
      return notChecked('the key holds every read scope (check again with a narrower key)');
    },
  },
  {
    id: 'openapi.spec',
    basis: 'documented',
    title: 'An OpenAPI 3.1 document at /api/v1/openapi.json',
    run: async (ctx) => {
      const res = await ctx.raw({ method: 'GET', path: paths.openapi });
      const version = (res.body as { openapi?: unknown })?.openapi;
      if (res.status !== 200) return mismatch(`HTTP ${res.status}`);
      return typeof version === 'string' && version.startsWith('3.1') ? ok() : mismatch(`openapi version is ${JSON.stringify(version)}`);
    },
  },
  {
    id: 'rate-limit.retry-after',
    basis: 'assumed',
    title: '429 rate_limited carries Retry-After',
    run: async () => notChecked('not provoked on purpose: the client honours Retry-After when it happens'),
  },
];

const writeRows: CheckRow[] = [
  {
    id: 'submissions.create',
    basis: 'documented',
    writes: true,
    title: `POST ${paths.submissions} { fields, metadata }: 201 with the created submission`,
    run: (ctx) =>
      attempt(async () => {
        const email = `contract-check+${Date.now()}@example.com`;
        const res = await ctx.raw({
          method: 'POST',
          path: paths.submissions,
          idempotent: false,
          body: { fields: { Email: email, 'Full name': 'Contract Check' }, metadata: { utm_source: 'contract-check' } },
        });
        if (res.status !== 201) return mismatch(`expected HTTP 201, got ${res.status}${res.status === 200 ? ' (200: update the contract)' : ''}`);
        const parsed = SubmissionSchema.safeParse(res.body);
        if (!parsed.success) return mismatch(zodProblem(parsed));
        return parsed.data.fields.Email === email ? ok(`created ${parsed.data.id}`) : mismatch('the Email field did not come back');
      }),
  },
  {
    id: 'submissions.create-discovers-form',
    basis: 'assumed',
    writes: true,
    title: 'Creating a submission for an unknown form name creates the form',
    run: (ctx) =>
      attempt(async () => {
        const name = `Contract check ${new Date().toISOString().slice(0, 10)}`;
        const created = await ctx.client.createSubmission({ formName: name, fields: { Email: 'contract-check@example.com' } });
        if (created.form_name !== name) return mismatch(`form_name is "${created.form_name}", expected "${name}"`);
        const all = [];
        for await (const f of ctx.client.iterateForms({ maxPages: 20, stopAtCap: true })) all.push(f);
        return all.some((f) => f.name === name) ? ok() : mismatch(`no form named "${name}" in the forms list`);
      }),
  },
  {
    id: 'submissions.field-cap',
    basis: 'documented',
    writes: true,
    title: `Field values are capped at ${FIELD_VALUE_MAX_CHARS.toLocaleString('en')} characters`,
    run: (ctx) =>
      attempt(async () => {
        const created = await ctx.client.createSubmission({ fields: { Email: 'cap@example.com', Message: 'x'.repeat(FIELD_VALUE_MAX_CHARS + 50) } });
        const length = String(created.fields.Message ?? '').length;
        return length <= FIELD_VALUE_MAX_CHARS ? ok() : mismatch(`Message came back with ${length} characters`);
      }),
  },
  {
    id: 'submissions.sensitive-dropped',
    basis: 'documented',
    writes: true,
    title: `Sensitive field names (${SENSITIVE_FIELD_EXAMPLES.join(', ')}) are dropped`,
    run: (ctx) =>
      attempt(async () => {
        const created = await ctx.client.createSubmission({ fields: { Email: 'sensitive@example.com', Password: 'hunter2', CVC: '123' } });
        const kept = Object.keys(created.fields).filter((k) => /password|cvc/i.test(k));
        return kept.length === 0 ? ok() : mismatch(`kept ${kept.join(', ')}`);
      }),
  },
  {
    id: 'submissions.empty-fields',
    basis: 'assumed',
    writes: true,
    title: 'An empty fields object: 422 validation_error',
    run: async (ctx) => {
      const res = await ctx.raw({ method: 'POST', path: paths.submissions, idempotent: false, body: { fields: {} } });
      return res.status === 403 ? notChecked('the key lacks "submissions:write"') : expectError(res, [400, 422], errorCodes.validation);
    },
  },
  {
    id: 'forms.update',
    basis: 'documented',
    writes: true,
    title: `PATCH ${paths.form('{id}')} updates a form and returns it (checked with its current name: no change)`,
    run: (ctx) =>
      attempt(async () => {
        const first = (await ctx.forms()).data[0];
        if (!first) return notChecked('no forms on the site');
        const updated = await ctx.client.updateForm(first.id, { name: first.name });
        return updated.id === first.id && updated.name === first.name ? ok() : mismatch('the answer is not the same form');
      }),
  },
  {
    id: 'forms.update-empty',
    basis: 'assumed',
    writes: true,
    title: 'An update with nothing in it: 422 validation_error',
    run: (ctx) =>
      attempt(async () => {
        const first = (await ctx.forms()).data[0];
        if (!first) return notChecked('no forms on the site');
        const res = await ctx.raw({ method: 'PATCH', path: paths.form(first.id), body: {} });
        return res.status === 403 ? notChecked('the key lacks "forms:write"') : expectError(res, [400, 422], errorCodes.validation);
      }),
  },
];

export const checkRows: CheckRow[] = [...readRows, ...writeRows];
