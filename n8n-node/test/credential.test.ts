import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BASE_URL, toLeadToSheetError } from '../lib/shared';
import { testCredential } from '../../test/e2e/n8n-host';
import { api, API, credentials, credentialType, KEY } from './helpers';

describe('LeadToSheet API credential', () => {
	it('asks for the key as a password and defaults the base URL to production', () => {
		const [apiKey, baseUrl] = credentialType.properties;
		expect(apiKey).toMatchObject({ name: 'apiKey', type: 'string', typeOptions: { password: true }, required: true });
		expect(baseUrl).toMatchObject({ name: 'baseUrl', default: DEFAULT_BASE_URL });
		expect(credentialType.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
		});
	});

	it('connects by reading the site, which needs no scope, with the Bearer key', async () => {
		const scope = api().get(`${API}/site`).reply(200, { id: 'site_1', name: 'Acme' });
		await expect(testCredential(credentialType, credentials)).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		scope.done();
	});

	it('accepts a base URL with a trailing slash', async () => {
		const scope = api().get(`${API}/site`).reply(200, { id: 'site_1', name: 'Acme' });
		await expect(testCredential(credentialType, { ...credentials, baseUrl: `${credentials.baseUrl}/` })).resolves.toMatchObject({ status: 'OK' });
		scope.done();
	});

	it('a refused key (401) gets the shared reconnect message', async () => {
		const scope = api().get(`${API}/site`).reply(401, { error: { code: 'invalid_token', message: 'revoked' } });
		const result = await testCredential(credentialType, credentials);
		scope.done();
		expect(result.status).toBe('Error');
		expect(result.message).toBe(toLeadToSheetError({ status: 401, headers: {}, body: undefined }, { operation: 'getSite' }).message);
		expect(result.message).toMatch(/Create a new API key .* reconnect/);
		expect(result.message).not.toContain(KEY);
	});

	it('a base URL without the API (404) says so', async () => {
		const scope = api().get(`${API}/site`).reply(404, 'Not Found');
		const result = await testCredential(credentialType, credentials);
		scope.done();
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('Base URL does not point at the LeadToSheet API v1') });
	});
});
