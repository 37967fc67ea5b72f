import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonParse, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import {
	metadataKeys,
	metadataLabels,
	type FieldValue,
	type LeadToSheetClient,
	type SubmissionMetadata,
} from '../../../../lib/shared';
import { formIdParameter, formLocator } from '../../../shared/descriptions';
import type { ApiObject } from '../node.type';


const metadataOptions: INodeProperties[] = metadataKeys
	.map((key) => ({ displayName: metadataLabels[key], name: key, type: 'string' as const, default: '' }))
	.sort((a, b) => a.displayName.localeCompare(b.displayName));

const properties: INodeProperties[] = [
	formLocator({
		required: false,
		description: 'The form to file the lead under. Leave empty to use the Form Name option or the site default.',
	}),
	{
		displayName: 'Fields to Send',
		name: 'fieldsInput',
		type: 'options',
		options: [
			{ name: 'Define Below', value: 'defineBelow', description: 'Set each field by name and value' },
			{ name: 'Using JSON', value: 'json', description: 'Give all fields as one JSON object' },
		],
		default: 'defineBelow',
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description: 'The lead, as the form field labels and their values',
		displayOptions: { show: { fieldsInput: ['defineBelow'] } },
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. Email' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. alice@example.com' },
				],
			},
		],
	},
	{
		displayName: 'Fields (JSON)',
		name: 'fieldsJson',
		type: 'json',
		default: '{\n  "Email": "alice@example.com",\n  "Full name": "Alice"\n}',
		description: 'Field labels and values: text, numbers, true/false, lists of text or null',
		displayOptions: { show: { fieldsInput: ['json'] } },
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'collection',
		placeholder: 'Add Metadata',
		default: {},
		description: 'Where the lead came from: page, referrer and campaign parameters',
		options: metadataOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Form Name',
				name: 'formName',
				type: 'string',
				default: '',
				description: 'File the lead under the form with this name (a new name creates the form). Used only when no Form is selected.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['submission'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, client: LeadToSheetClient, itemIndex: number): Promise<ApiObject> {
	const formId = formIdParameter.call(this, itemIndex);
	const { formName } = this.getNodeParameter('options', itemIndex, {}) as { formName?: string };
	return await client.createSubmission({
		fields: readFields.call(this, itemIndex),
		formId,
		formName: formId ? undefined : formName?.trim() || undefined,
		metadata: readMetadata.call(this, itemIndex),
	});
}

function readFields(this: IExecuteFunctions, itemIndex: number): Record<string, FieldValue> {
	if (this.getNodeParameter('fieldsInput', itemIndex) === 'json') {
		const raw = this.getNodeParameter('fieldsJson', itemIndex, '{}') as unknown;
		const parsed = typeof raw === 'string' ? parseJson.call(this, raw, itemIndex) : raw;
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
			throw new NodeOperationError(this.getNode(), 'Fields (JSON) must be one JSON object of field labels and values', {
				itemIndex,
				description: 'For example {"Email": "alice@example.com", "Full name": "Alice"}',
			});
		}
		return parsed as Record<string, FieldValue>;
	}
	const rows = (this.getNodeParameter('fields.field', itemIndex, []) as Array<{ name?: string; value?: string }>) ?? [];
	const fields: Record<string, FieldValue> = {};
	for (const row of rows) {
		const name = row.name ?? '';
		const value = row.value ?? '';
		if (name.trim() === '' && value === '') continue;
		fields[name] = value;
	}
	return fields;
}

function parseJson(this: IExecuteFunctions, text: string, itemIndex: number): unknown {
	try {
		return jsonParse(text);
	} catch {
		throw new NodeOperationError(this.getNode(), 'Fields (JSON) is not valid JSON', {
			itemIndex,
			description: 'Check quotes and commas, for example {"Email": "alice@example.com"}',
		});
	}
}

function readMetadata(this: IExecuteFunctions, itemIndex: number): SubmissionMetadata | undefined {
	const given = this.getNodeParameter('metadata', itemIndex, {}) as Record<string, unknown>;
	const metadata: SubmissionMetadata = {};
	for (const [key, value] of Object.entries(given)) {
		if (typeof value === 'string' && value.trim() !== '') metadata[key] = value.trim();
	}
	return Object.keys(metadata).length > 0 ? metadata : undefined;
}
