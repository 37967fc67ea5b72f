import { describe, expect, it } from '@jest/globals';
import {
  CreateSubmissionBodySchema,
  ErrorBodySchema,
  FormPageSchema,
  FormSchema,
  PaginationSchema,
  SiteSchema,
  SubmissionPageSchema,
  SubmissionSchema,
  UpdateFormBodySchema,
  paths,
  unwrapData,
} from '@leadtosheet/shared';

const submission = {
  id: 'sub_1',
  form_id: 'form_1',
  form_name: 'Contact',
  fields: { Email: 'alice@example.com', Age: 31, Consent: true, Interests: ['a', 'b'], Phone: null },
  created_at: '2026-03-01T12:00:00.000Z',
  metadata: { page_url: 'https://acme.test/contact', utm_source: 'google' },
  is_spam: false,
};
const form = {
  id: 'form_1',
  name: 'Contact',
  sheet_tab: 'Leads',
  ignored: false,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-02-01T00:00:00Z',
  submission_count: 12,
};
const pagination = { page: 1, per_page: 25, total: 1, total_pages: 1 };

const issuesOf = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('SubmissionSchema', () => {
  it('parses a complete submission', () => {
    expect(SubmissionSchema.parse(submission)).toEqual(submission);
  });

  it('keeps unknown fields untouched at every level', () => {
    const input = {
      ...submission,
      score: { value: 87, model: 'v2' },
      tags: ['hot'],
      metadata: { ...submission.metadata, msclkid: 'm-1', browser: { name: 'Firefox' } },
    };
    expect(SubmissionSchema.parse(input)).toEqual(input);
  });

  it('accepts every optional field missing', () => {
    const minimal = { id: 's1', fields: {}, created_at: '2026-03-01T12:00:00Z' };
    expect(SubmissionSchema.parse(minimal)).toEqual(minimal);
  });

  it('accepts optional fields as null', () => {
    const nulls = { id: 's1', fields: {}, created_at: '2026-03-01T12:00:00Z', form_id: null, form_name: null, metadata: null, is_spam: null };
    expect(SubmissionSchema.parse(nulls)).toEqual(nulls);
    const nullMeta = { id: 's1', fields: {}, created_at: '2026-03-01T12:00:00Z', metadata: { utm_source: null, gclid: null } };
    expect(SubmissionSchema.parse(nullMeta)).toEqual(nullMeta);
  });

  it('turns numeric ids into strings', () => {
    expect(SubmissionSchema.parse({ ...submission, id: 42, form_id: 7 })).toMatchObject({ id: '42', form_id: '7' });
  });

  it('reads an unexpected field value as text instead of refusing the lead', () => {
    const odd = SubmissionSchema.parse({ ...submission, fields: { Upload: { name: 'cv.pdf', size: 3 }, Scores: [1, 2], Missing: undefined, Email: 'a@b.test' } });
    expect(odd.fields).toEqual({ Upload: '{"name":"cv.pdf","size":3}', Scores: ['1', '2'], Missing: null, Email: 'a@b.test' });
  });

  it('accepts timestamps with an offset', () => {
    expect(SubmissionSchema.parse({ ...submission, created_at: '2026-03-01T13:00:00+01:00' }).created_at).toBe('2026-03-01T13:00:00+01:00');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['id missing', { id: undefined }, 'id'],
    ['id null', { id: null }, 'id'],
    ['id an object', { id: { v: 1 } }, 'id'],
    ['id a boolean', { id: true }, 'id'],
    ['fields missing', { fields: undefined }, 'fields'],
    ['fields an array', { fields: ['a'] }, 'fields'],
    ['created_at missing', { created_at: undefined }, 'created_at'],
    ['created_at not a timestamp', { created_at: 'yesterday' }, 'created_at'],
    ['created_at without an offset', { created_at: '2026-03-01T12:00:00' }, 'created_at'],
    ['is_spam not a boolean', { is_spam: 'no' }, 'is_spam'],
    ['a metadata value not a string', { metadata: { utm_source: 5 } }, 'metadata.utm_source'],
  ])('refuses a submission with %s', (_, change, path) => {
    const result = SubmissionSchema.safeParse({ ...submission, ...change });
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]).toMatch(new RegExp(`^${path.replace('.', '\\.')}: `));
  });
});

describe('FormSchema', () => {
  it('parses a complete form and keeps unknown fields', () => {
    const input = { ...form, color: 'blue', settings: { notify: true, extra: [1] } };
    expect(FormSchema.parse(input)).toEqual(input);
  });

  it('accepts optional fields missing or null', () => {
    expect(FormSchema.parse({ id: 'f', name: 'N', ignored: true })).toEqual({ id: 'f', name: 'N', ignored: true });
    const nulls = { id: 'f', name: 'N', ignored: true, sheet_tab: null, created_at: null, updated_at: null, submission_count: null };
    expect(FormSchema.parse(nulls)).toEqual(nulls);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['name missing', { name: undefined }, 'name'],
    ['ignored missing', { ignored: undefined }, 'ignored'],
    ['ignored as text', { ignored: 'false' }, 'ignored'],
    ['a negative submission_count', { submission_count: -1 }, 'submission_count'],
    ['a fractional submission_count', { submission_count: 1.5 }, 'submission_count'],
    ['updated_at not a timestamp', { updated_at: 'later' }, 'updated_at'],
  ])('refuses a form with %s', (_, change, path) => {
    const result = FormSchema.safeParse({ ...form, ...change });
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]).toMatch(new RegExp(`^${path}: `));
  });
});

describe('SiteSchema', () => {
  it.each([
    ['complete, with unknown fields at every level', { id: 'site_1', name: 'Acme', domain: 'acme.test', usage: { submissions_this_month: 5, plan: { name: 'pro' } }, owner: 'x' }],
    ['minimal', { id: 'site_1', name: 'Acme' }],
    ['nullish optionals', { id: 'site_1', name: 'Acme', domain: null, usage: null }],
  ])('parses a site: %s', (_, input) => {
    expect(SiteSchema.parse(input)).toEqual(input);
  });

  it('refuses a site without a name', () => {
    expect(SiteSchema.safeParse({ id: 's' }).success).toBe(false);
  });
});

describe('page shapes', () => {
  it('parses a submissions page and keeps extra fields on the page and the pagination', () => {
    const input = { data: [submission], pagination: { ...pagination, next_page: null }, links: { self: '/x' } };
    expect(SubmissionPageSchema.parse(input)).toEqual(input);
  });

  it('parses an empty forms page', () => {
    const input = { data: [], pagination: { page: 1, per_page: 100, total: 0, total_pages: 0 } };
    expect(FormPageSchema.parse(input)).toEqual(input);
  });

  it.each<[string, unknown, string]>([
    ['data missing', { pagination }, 'data'],
    ['pagination missing', { data: [] }, 'pagination'],
    ['a bare array', [submission], ''],
    ['an item that is not a submission', { data: [{ id: 'x' }], pagination }, 'data.0.fields'],
  ])('refuses a page with %s', (_, input, path) => {
    const result = SubmissionPageSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]?.startsWith(`${path}: `)).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['page 0', { page: 0 }],
    ['per_page 0', { per_page: 0 }],
    ['a negative total', { total: -1 }],
    ['total_pages as text', { total_pages: '1' }],
  ])('refuses pagination with %s', (_, change) => {
    expect(PaginationSchema.safeParse({ ...pagination, ...change }).success).toBe(false);
  });
});

describe('unwrapData', () => {
  it.each<[string, unknown, unknown]>([
    ['a { data } wrapper around an object', { data: { id: 'x' } }, { id: 'x' }],
    ['a { data, meta } wrapper', { data: { id: 'x' }, meta: {} }, { id: 'x' }],
    ['a bare object', { id: 'x', name: 'n' }, { id: 'x', name: 'n' }],
    ['an object with its own "data" field and an id', { id: 'x', data: 'own' }, { id: 'x', data: 'own' }],
    ['an array', [1, 2], [1, 2]],
    ['a string', 'text', 'text'],
    ['undefined', undefined, undefined],
    ['null', null, null],
  ])('%s', (_, body, expected) => {
    expect(unwrapData(body)).toEqual(expected);
  });
});

describe('ErrorBodySchema', () => {
  it('parses the documented error shape and keeps extras', () => {
    const body = {
      error: { code: 'validation_error', message: 'Bad', details: [{ field: 'fields', message: 'required', rule: 'x' }], request_id: 'r1' },
    };
    expect(ErrorBodySchema.parse(body)).toEqual(body);
  });

  it('tolerates optional parts given as null', () => {
    const result = ErrorBodySchema.safeParse({ error: { code: 'insufficient_scope', message: 'No', details: null, required_scope: null } });
    expect(result.success).toBe(true);
  });

  it('keeps the code and message when details or required_scope have an unexpected shape', () => {
    const result = ErrorBodySchema.safeParse({ error: { code: 'validation_error', message: 'Bad', details: { fields: 'required' }, required_scope: ['forms:write'] } });
    expect(result.success).toBe(true);
    expect(result.data?.error).toMatchObject({ code: 'validation_error', message: 'Bad', details: undefined, required_scope: undefined });
  });

  it.each([
    ['no error object', { message: 'x' }],
    ['error as a string', { error: 'Unauthorized' }],
    ['no code', { error: { message: 'x' } }],
  ])('does not take %s for an API error', (_, body) => {
    expect(ErrorBodySchema.safeParse(body).success).toBe(false);
  });
});

describe('CreateSubmissionBodySchema', () => {
  it('accepts fields with every kind of value, a form and metadata (with extra keys)', () => {
    const body = {
      fields: { Email: 'a@b.test', Age: 3, Ok: true, Tags: ['x'], Empty: null },
      form_name: 'Contact',
      form_id: 'f1',
      metadata: { utm_source: 'google', custom: 'kept' },
    };
    expect(CreateSubmissionBodySchema.parse(body)).toEqual(body);
  });

  it('trims field names', () => {
    expect(CreateSubmissionBodySchema.parse({ fields: { ' Email ': 'a' } })).toEqual({ fields: { Email: 'a' } });
  });

  it.each<[string, unknown, RegExp]>([
    ['no fields', {}, /^fields: /],
    ['empty fields', { fields: {} }, /^fields: at least one field is required$/],
    ['an empty field name', { fields: { '': 'x' } }, /^fields/],
    ['a field value that is an object', { fields: { Email: { a: 1 } } }, /^fields\.Email: /],
    ['an unknown key', { fields: { Email: 'a' }, email: 'a' }, /^: Unrecognized key: "email"$/],
    ['an empty form_name', { fields: { Email: 'a' }, form_name: '  ' }, /^form_name: /],
    ['an empty form_id', { fields: { Email: 'a' }, form_id: '' }, /^form_id: /],
  ])('refuses %s', (_, body, message) => {
    const result = CreateSubmissionBodySchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]).toMatch(message);
  });
});

describe('UpdateFormBodySchema', () => {
  it.each([[{ name: 'New' }], [{ sheet_tab: 'Tab 2' }], [{ ignored: false }], [{ name: 'N', sheet_tab: 'T', ignored: true }]])('accepts %p', (body) => {
    expect(UpdateFormBodySchema.parse(body)).toEqual(body);
  });

  it.each<[string, unknown, string]>([
    ['an empty update', {}, ': nothing to update: give at least one of name, sheet_tab, ignored'],
    ['an update of undefined values only', { name: undefined, ignored: undefined }, ': nothing to update: give at least one of name, sheet_tab, ignored'],
    ['a blank name', { name: '   ' }, 'name: name must not be empty'],
    ['a blank sheet tab', { sheet_tab: '' }, 'sheet_tab: sheet_tab must not be empty'],
    ['ignored as text', { ignored: 'yes' }, 'ignored: Invalid input: expected boolean, received string'],
    ['an unknown key', { name: 'N', archived: true }, ': Unrecognized key: "archived"'],
    ['a camelCase key', { sheetTab: 'T' }, ': Unrecognized key: "sheetTab"'],
  ])('refuses %s', (_, body, message) => {
    const result = UpdateFormBodySchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]).toBe(message);
  });
});

describe('paths', () => {
  it('encodes ids into paths', () => {
    expect(paths.submission('a/b c')).toBe('/submissions/a%2Fb%20c');
    expect(paths.form('f?1')).toBe('/forms/f%3F1');
  });
});
