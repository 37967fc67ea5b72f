/**
 * Unit-test wiring: the node, trigger and credential from source, run in the small n8n host
 * (test/e2e/n8n-host.ts) whose request helpers use fetch, answered here by nock.
 */
import nock from 'nock';
import {
	NodeApiError,
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { createHost, type NodePropertyLike, type NodeTypeLike } from '../../test/e2e/n8n-host';
import { LeadToSheetApi } from '../credentials/LeadToSheetApi.credentials';
import { LeadToSheet } from '../nodes/LeadToSheet/LeadToSheet.node';
import { LeadToSheetTrigger } from '../nodes/LeadToSheetTrigger/LeadToSheetTrigger.node';

export const ORIGIN = 'https://api.leadtosheet.test';
export const API = '/api/v1';
export const BASE_URL = `${ORIGIN}${API}`;
/** A well-formed key: `lts_` and 28 letters and digits. */
export const KEY = ['lts', 'unitTestKey0123456789abcdefgh'].join('_');
export const credentials = { apiKey: KEY, baseUrl: BASE_URL };

export const credentialType = new LeadToSheetApi();

/** n8n's own parameter resolution: what the workflow saved, plus every displayed default. */
const resolveParameters = (properties: NodePropertyLike[], values: Record<string, unknown>) =>
	NodeHelpers.getNodeParameters(
		properties as unknown as INodeProperties[],
		values as INodeParameters,
		true,
		false,
		{ typeVersion: 1 },
		null,
	) as Record<string, unknown> | null;

/**
 * n8n-core wraps a request that failed without a response in NodeApiError, around axios's
 * error: the system error code on it, and the request it sent, Authorization header and all.
 */
const wrapRequestError = (apiKey: unknown) => (node: Record<string, unknown>, error: unknown) =>
	new NodeApiError(
		node as unknown as INode,
		Object.assign(error as Error, {
			isAxiosError: true,
			config: { headers: { Accept: 'application/json', Authorization: `Bearer ${String(apiKey)}` } },
		}) as unknown as JsonObject,
	);

interface HostOptions {
	credentials?: Record<string, unknown>;
	timezone?: string;
}

function host(nodeType: NodeTypeLike, parameters: Record<string, unknown>, options: HostOptions) {
	return createHost({
		nodeType,
		credentialType,
		credentials: options.credentials ?? credentials,
		parameters,
		resolveParameters,
		wrapRequestError: wrapRequestError((options.credentials ?? credentials).apiKey),
		timezone: options.timezone,
	});
}

export const actionHost = (parameters: Record<string, unknown>, options: HostOptions = {}) =>
	host(new LeadToSheet() as unknown as NodeTypeLike, parameters, options);

export const triggerHost = (parameters: Record<string, unknown> = {}, options: HostOptions = {}) =>
	host(new LeadToSheetTrigger() as unknown as NodeTypeLike, parameters, options);

/** A resource locator value as the editor saves it. */
export const fromList = (value: string) => ({ __rl: true, mode: 'list', value });
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** nock on the API origin, expecting the Bearer key on every request. */
export const api = (key: string = KEY) => nock(ORIGIN).matchHeader('authorization', `Bearer ${key}`);

export function submission(id: string, createdAt: string, extra: Record<string, unknown> = {}) {
	return { id, form_id: 'frm_1', form_name: 'Contact', fields: { Email: `${id}@example.com` }, created_at: createdAt, ...extra };
}

export function form(id: string, name: string, extra: Record<string, unknown> = {}) {
	return { id, name, sheet_tab: name, ignored: false, created_at: '2026-01-01T00:00:00.000Z', ...extra };
}

export function page<T>(data: T[], at = 1, perPage = 25, total = data.length) {
	return { data, pagination: { page: at, per_page: perPage, total, total_pages: Math.max(1, Math.ceil(total / perPage)) } };
}

export const errorBody = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
	error: { code, message, ...extra },
});

/** What the tests read on a NodeApiError / NodeOperationError. */
export type CaughtError = Error & {
	httpCode?: string | null;
	description?: string | null;
	failure?: unknown;
	context: { itemIndex?: number };
};

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<CaughtError> {
	try {
		await promise;
	} catch (error) {
		return error as CaughtError;
	}
	throw new Error('expected a failure, the call succeeded');
}
