/**
 * The edge where the shared LeadToSheetError becomes n8n's error types. The message is
 * always the shared friendly one (401 reconnect, 403 the missing scope, 429 the wait,
 * 404/422 which input); this file only chooses the n8n class and its metadata.
 */
import {
	NodeApiError,
	NodeOperationError,
	type Failure,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';
import { localErrorCodes, toLeadToSheetError, type LeadToSheetError } from '../../lib/shared';

/** Mistakes in the node's own input, found before any request was sent. */
const INPUT_CODES: readonly string[] = [localErrorCodes.invalidInput, localErrorCodes.invalidKey];

/** Any failure as the n8n error to throw: NodeApiError for API and network failures, NodeOperationError for input. */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const lts = toLeadToSheetError(error);
	if (lts.status === 0 && INPUT_CODES.includes(lts.code)) {
		return new NodeOperationError(node, lts.message, {
			itemIndex,
			description: lts.field && lts.field !== 'input' ? `Check "${lts.field}" in this node's parameters.` : undefined,
		});
	}
	const apiError = new NodeApiError(node, lts as unknown as JsonObject, {
		message: lts.message,
		description: describe(lts),
		httpCode: lts.status > 0 ? String(lts.status) : undefined,
		itemIndex,
		failure: failureOf(lts),
	});
	if (lts.status === 0) {
		// No answer (network, timeout): NodeApiError swaps a message that mentions a system
		// error code (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ...) for its own generic sentence,
		// which names neither the host nor the code, and takes our code for an HTTP code.
		apiError.message = lts.message;
		apiError.httpCode = null;
	}
	return apiError;
}

/** The JSON of an error item when "Continue On Fail" is on: the message plus what a workflow can branch on. */
export function errorItemJson(error: unknown, nodeError: NodeApiError | NodeOperationError): IDataObject {
	const json: IDataObject = { error: nodeError.message };
	if (nodeError.description) json.description = nodeError.description;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return json;
	const lts = toLeadToSheetError(error);
	json.code = lts.code;
	if (lts.status > 0) json.httpCode = lts.status;
	if (lts.requiredScope) json.requiredScope = lts.requiredScope;
	if (lts.retryAfterMs !== undefined) json.retryAfterMs = lts.retryAfterMs;
	if (lts.field) json.field = lts.field;
	return json;
}

function describe(e: LeadToSheetError): string | undefined {
	if (e.serverMessage && e.serverMessage !== e.message) return `LeadToSheet said: ${e.serverMessage}`;
	if (e.status === 0) return e.message;
	return undefined;
}

/** n8n's machine-readable reason, so the engine knows whether waiting or reconnecting helps. */
function failureOf(e: LeadToSheetError): Failure | undefined {
	if (e.status === 401) return { cause: 'credential-invalid' };
	if (e.status === 403 || e.status === 404) return { cause: 'configuration-invalid' };
	if (e.status === 429) return e.retryAfterMs === undefined ? { cause: 'rate-limited' } : { cause: 'rate-limited', retryAfterMs: e.retryAfterMs };
	if (e.retryable) return { cause: 'temporarily-unavailable' };
	return undefined;
}
