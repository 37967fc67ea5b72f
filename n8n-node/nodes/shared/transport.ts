/**
 * The one transport module: the shared LeadToSheet client over n8n's request helpers.
 * Every request goes through `httpRequestWithAuthentication` with the LeadToSheet API
 * credential (n8n adds the Bearer header, applies proxies, logs and redacts); the shared
 * client owns paths, validation, parsing and error mapping.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	buildUrl,
	checkKeyShape,
	DEFAULT_BASE_URL,
	LeadToSheetClient,
	parseBody,
	type Transport,
	type TransportResponse,
} from '../../lib/shared';

export const CREDENTIAL_TYPE = 'leadToSheetApi';

/**
 * How long one request may take before it fails as a timeout ("did not answer in time").
 * n8n's own default is 5 minutes: a hung request would hold a workflow that long, and keep
 * a poll running past the next one (n8n starts polls on time, whether or not the last ended).
 */
export const REQUEST_TIMEOUT_MS = 30_000;

export type LeadToSheetContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface LeadToSheetCredentials {
	apiKey: string;
	baseUrl?: string;
}

/** A shared-contract client bound to this node's credential. Checks the key's shape before any request. */
export async function leadToSheetClient(this: LeadToSheetContext): Promise<LeadToSheetClient> {
	const credentials = await this.getCredentials<LeadToSheetCredentials>(CREDENTIAL_TYPE);
	const key = checkKeyShape(credentials.apiKey);
	if (!key.ok) {
		throw new NodeOperationError(this.getNode(), key.problem, {
			description: 'Open the LeadToSheet API credential and paste the key again.',
		});
	}
	const baseUrl = credentials.baseUrl?.trim() || DEFAULT_BASE_URL;
	return new LeadToSheetClient(n8nTransport(this, baseUrl), { key: key.key, baseUrl });
}

/** The shared Transport port over `httpRequestWithAuthentication`: statuses are returned, never thrown. */
export function n8nTransport(context: LeadToSheetContext, baseUrl: string): Transport {
	return {
		async send(request) {
			const options: IHttpRequestOptions = {
				method: request.method,
				url: buildUrl(baseUrl, request),
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: REQUEST_TIMEOUT_MS,
			};
			if (request.body !== undefined) options.body = request.body as IDataObject;
			const response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
			return toTransportResponse(response);
		},
	};
}

function toTransportResponse(response: IN8nHttpFullResponse): TransportResponse {
	const headers: TransportResponse['headers'] = {};
	for (const [name, value] of Object.entries(response.headers ?? {})) {
		headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : value == null ? undefined : String(value);
	}
	const body = typeof response.body === 'string' ? parseBody(response.body) : response.body;
	return { status: response.statusCode, headers, body };
}
