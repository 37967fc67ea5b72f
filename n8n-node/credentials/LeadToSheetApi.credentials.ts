import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_BASE_URL, paths, toLeadToSheetError } from '../lib/shared';

/** What the shared contract tells a user whose key was refused (401), word for word. */
const refusedKeyMessage = toLeadToSheetError({ status: 401, headers: {}, body: undefined }, { operation: 'getSite' }).message;

export class LeadToSheetApi implements ICredentialType {
	name = 'leadToSheetApi';

	displayName = 'LeadToSheet API';

	icon: Icon = { light: 'file:../icons/leadtosheet.svg', dark: 'file:../icons/leadtosheet.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-leadtosheet#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'lts_...',
			description:
				'A LeadToSheet API key (starts with "lts_"), created in your LeadToSheet dashboard under API keys. Any scope connects; each operation needs its own scope.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			placeholder: DEFAULT_BASE_URL,
			description: 'The LeadToSheet API v1 address. Change it only for a staging host or a local sandbox.',
		},
		{
			displayName: 'Bridge URL',
			name: 'bridgeUrl',
			type: 'string',
			default: '',
			placeholder: 'https://bridge.example.com',
			description:
				'Only for the LeadToSheet Instant Trigger: the address of the LeadToSheet bridge that pushes new leads to n8n. It uses the same API key. Leave empty if you only use the other nodes.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	/** Reading the site needs no scope, so a key with any scopes connects. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: paths.site,
			method: 'GET',
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: refusedKeyMessage } },
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: `The Base URL does not point at the LeadToSheet API v1 (no ${paths.site} there). Use ${DEFAULT_BASE_URL} unless you run a sandbox or staging host.`,
				},
			},
		],
	};
}
