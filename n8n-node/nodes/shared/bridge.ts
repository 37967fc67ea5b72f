/**
 * The LeadToSheet bridge's tenant API for the instant trigger: the shared BridgeClient over
 * the same n8n transport (and so the same credential and Bearer header) as LeadToSheet
 * itself, at the credential's Bridge URL.
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { BridgeClient, bridgeBaseUrl } from '../../lib/shared';
import { CREDENTIAL_TYPE, n8nTransport, type LeadToSheetContext, type LeadToSheetCredentials } from './transport';

export async function bridgeClient(this: IHookFunctions | IWebhookFunctions): Promise<BridgeClient> {
	const credentials = await this.getCredentials<LeadToSheetCredentials & { bridgeUrl?: string }>(CREDENTIAL_TYPE);
	const baseUrl = bridgeBaseUrl(
		credentials.bridgeUrl,
		'open the LeadToSheet API credential and fill in "Bridge URL" with the address of your LeadToSheet bridge',
	);
	// Hook and webhook contexts have the same request helpers as the others.
	return new BridgeClient(n8nTransport(this as unknown as LeadToSheetContext, baseUrl), { baseUrl, key: credentials.apiKey });
}
