import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { App, KEY, V1, api, apiError, appTester, bundle, failure } from './helpers.js';

const site = { id: 'site_1', name: 'Acme Bakery', domain: 'acme-bakery.com', usage: { submissions_this_month: 42 } };

describe('connection test', () => {
  afterEach(() => {
    delete process.env.LTS_BASE_URL;
  });

  it('reads the site with the key as a Bearer token and returns it for the label', async () => {
    const scope = api().get(`${V1}/site`).reply(200, site);
    const result = await appTester(App.authentication.test, bundle());
    expect(result).toMatchObject({ id: 'site_1', name: 'Acme Bakery', masked_key: 'lts_Test…' });
    expect(JSON.stringify(result)).not.toContain(KEY);
    scope.done();
  });

  it('labels the connection with the site name, its domain and the masked key only', async () => {
    const label = await appTester(App.authentication.connectionLabel, {
      authData: { api_key: KEY },
      inputData: { name: 'Acme Bakery', domain: 'acme-bakery.com', masked_key: 'lts_Test…' },
    });
    expect(label).toBe('Acme Bakery (acme-bakery.com) · lts_Test…');
    expect(label).not.toContain(KEY);
  });

  it('labels a site without a domain', async () => {
    const label = await appTester(App.authentication.connectionLabel, {
      authData: { api_key: KEY },
      inputData: { name: 'Acme Bakery', masked_key: 'lts_Test…' },
    });
    expect(label).toBe('Acme Bakery · lts_Test…');
  });

  it.each([
    ['a missing key', '', /missing/],
    ['a key pasted with spaces', ` ${KEY} `, /spaces or line breaks/],
    ['"Bearer" in front of the key', `Bearer ${KEY}`, /without the word "Bearer"/],
    ['a key of another service', 'sk_live_1234567890abcdefghij', /not a LeadToSheet API key/],
    ['a cut-off key', 'lts_abc', /too short/],
  ])('checks the key shape before any request: %s', async (_case, apiKey, message) => {
    // No nock scope: any request would fail the test (network is blocked).
    const f = await failure(appTester(App.authentication.test, { authData: { api_key: apiKey } }));
    expect(f.name).toBe('ExpiredAuthError');
    expect(f.message).toMatch(message);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('a revoked or unknown key fails with the reconnect message', async () => {
    const scope = api().get(`${V1}/site`).reply(401, apiError('invalid_token', 'Token revoked'));
    const f = await failure(appTester(App.authentication.test, bundle()));
    expect(f.name).toBe('ExpiredAuthError');
    expect(f.message).toMatch(/invalid, expired or was revoked/);
    expect(f.message).toMatch(/Create a new API key .* and reconnect/);
    expect(f.message).toContain('lts_Test…');
    expect(f.message).not.toContain(KEY);
    scope.done();
  });

  it('talks to the base URL of the app environment (LTS_BASE_URL)', async () => {
    process.env.LTS_BASE_URL = 'http://127.0.0.1:4010/api/v1/';
    const scope = api('http://127.0.0.1:4010').get(`${V1}/site`).reply(200, site);
    await appTester(App.authentication.test, bundle());
    scope.done();
  });

  it('names a broken LTS_BASE_URL setting', async () => {
    process.env.LTS_BASE_URL = 'www.leadtosheet.com/api/v1';
    const f = await failure(appTester(App.authentication.test, bundle()));
    expect(f.message).toMatch(/LTS_BASE_URL setting is not an http\(s\) URL/);
  });
});

describe('connection fields', () => {
  const [field] = App.authentication.fields;

  it('asks for one secret API key and says where keys are made and which scopes each step needs', () => {
    expect(App.authentication.fields).toHaveLength(1);
    expect(field).toMatchObject({ key: 'api_key', type: 'password', required: true });
    expect(field?.helpText).toMatch(/LeadToSheet dashboard under \*\*API keys\*\*/);
    for (const scope of ['submissions:read', 'submissions:write', 'forms:read', 'forms:write']) expect(field?.helpText).toContain(scope);
    expect(field?.helpText).toMatch(/`forms:write`: Update Form/);
  });
});
