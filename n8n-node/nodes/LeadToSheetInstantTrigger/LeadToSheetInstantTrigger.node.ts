import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { bridgeEvents, errorCodes, LeadToSheetError, verifyBridgeWebhook } from '../../lib/shared';
import { formLocator } from '../shared/descriptions';
import { toNodeError } from '../shared/errors';
import { searchForms } from '../shared/list-search';
import { bridgeClient } from '../shared/bridge';

/** What this node keeps in `getWorkflowStaticData('node')` while its workflow is active. */
interface InstantStaticData extends IDataObject {
	subscriptionId?: string;
	/** The subscription's whsec_ signing secret, to check every push. */
	secret?: string;
	/** The webhook URL the subscription was made for (test and production URLs differ). */
	webhookUrl?: string;
}

/** Forgets the subscription (it is gone, or the workflow was deactivated). */
function forget(data: InstantStaticData): void {
	delete data.subscriptionId;
	delete data.secret;
	delete data.webhookUrl;
}

function formId(this: IHookFunctions | IWebhookFunctions): string | undefined {
	const value = this.getNodeParameter('form', '', { extractValue: true });
	const id = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	return id === '' ? undefined : id;
}

export class LeadToSheetInstantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LeadToSheet Instant Trigger',
		name: 'leadToSheetInstantTrigger',
		icon: { light: 'file:../../icons/leadtosheet.svg', dark: 'file:../../icons/leadtosheet.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'New submission (instant)',
		description:
			'Starts the workflow seconds after LeadToSheet captures a new submission (lead), pushed by the LeadToSheet bridge',
		defaults: { name: 'LeadToSheet Instant Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'leadToSheetApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Needs the LeadToSheet bridge: set its address in the credential\'s "Bridge URL" field. The bridge checks LeadToSheet for new leads and pushes each one here, signed.',
				name: 'bridgeNotice',
				type: 'notice',
				default: '',
			},
			formLocator({
				required: false,
				description: 'Only submissions of this form. Leave empty for every form.',
			}),
		],
	};

	methods = { listSearch: { searchForms } };

	webhookMethods = {
		default: {
			/** True when the bridge still has this node's subscription, for this URL, and its secret is known. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as InstantStaticData;
				const webhookUrl = this.getNodeWebhookUrl('default') as string;
				if (!data.subscriptionId || !data.secret || data.webhookUrl !== webhookUrl) return false;
				try {
					const found = await (await bridgeClient.call(this)).findByUrl(webhookUrl);
					if (found?.id === data.subscriptionId && found.enabled && (found.form_id ?? undefined) === formId.call(this)) return true;
				} catch (error) {
					throw toNodeError(this.getNode(), error);
				}
				forget(data);
				return false;
			},

			/** Subscribes this webhook URL at the bridge (idempotent per URL) and keeps the id and secret. */
			async create(this: IHookFunctions): Promise<boolean> {
				const webhookUrl = this.getNodeWebhookUrl('default') as string;
				const workflow = this.getWorkflow();
				const description = `n8n: workflow "${workflow.name ?? workflow.id}"${workflow.id ? ` (${workflow.id})` : ''}${this.getMode() === 'manual' ? ', test URL' : ''}`;
				try {
					const sub = await (await bridgeClient.call(this)).subscribe({ url: webhookUrl, formId: formId.call(this) ?? null, description });
					const data = this.getWorkflowStaticData('node') as InstantStaticData;
					data.subscriptionId = sub.id;
					data.secret = sub.secret;
					data.webhookUrl = webhookUrl;
					return true;
				} catch (error) {
					throw toNodeError(this.getNode(), error);
				}
			},

			/** Deletes the subscription: the bridge stops pushing at once. */
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as InstantStaticData;
				if (data.subscriptionId) {
					try {
						await (await bridgeClient.call(this)).unsubscribe(data.subscriptionId);
					} catch (error) {
						throw toNodeError(this.getNode(), error);
					}
				}
				forget(data);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const data = this.getWorkflowStaticData('node') as InstantStaticData;
		const request = this.getRequestObject() as unknown as { rawBody?: Buffer | string };
		const response = this.getResponseObject();
		// The signature covers the exact bytes; n8n keeps them as rawBody.
		const body = request.rawBody === undefined ? JSON.stringify(this.getBodyData()) : request.rawBody.toString();
		const refuse = (code: string, message: string): IWebhookResponseData => {
			// Refused before the workflow runs; the bridge logs the answer, retries, then parks it.
			response.status(401).json({ error: { code, message } });
			return { noWebhookResponse: true };
		};
		if (!data.secret) {
			return refuse(
				'invalid_signature',
				'This trigger has no signing secret for its bridge subscription. Deactivate and activate the workflow again.',
			);
		}
		let event;
		try {
			event = verifyBridgeWebhook({ secret: data.secret, headers: this.getHeaderData() as Record<string, string>, body });
		} catch (error) {
			const e = error as LeadToSheetError;
			return refuse(e.code ?? 'invalid_signature', e.message);
		}
		if (event.type === bridgeEvents.siteAuthFailed) {
			// LeadToSheet refused the credential's key: the bridge stopped polling. Say "reconnect", loudly.
			throw toNodeError(
				this.getNode(),
				new LeadToSheetError({ status: 401, code: errorCodes.invalidToken, retryable: false, message: event.data.message }),
			);
		}
		const wanted = formId.call(this);
		if (wanted && event.data.form_id !== wanted) return { webhookResponse: { ignored: 'another form' } };
		if (!event.data.id) throw new NodeOperationError(this.getNode(), 'The bridge pushed a submission without an id.');
		return { workflowData: [this.helpers.returnJsonArray([event.data as unknown as IDataObject])] };
	}
}
