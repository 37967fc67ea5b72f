import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { LeadToSheetClient, UpdateFormInput } from '../../../../lib/shared';
import { formIdParameter, formLocator } from '../../../shared/descriptions';
import type { ApiObject } from '../node.type';

const properties: INodeProperties[] = [
	formLocator({ description: 'The form to update' }),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'What to change. At least one is needed: an update that changes nothing is refused.',
		options: [
			{
				displayName: 'Ignored',
				name: 'ignored',
				type: 'boolean',
				default: false,
				description: 'Whether LeadToSheet should ignore new submissions of this form',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The new name of the form',
			},
			{
				displayName: 'Sheet Tab',
				name: 'sheetTab',
				type: 'string',
				default: '',
				description: 'The Google Sheets tab that receives this form\'s leads',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['form'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, client: LeadToSheetClient, itemIndex: number): Promise<ApiObject> {
	const update = this.getNodeParameter('updateFields', itemIndex, {}) as UpdateFormInput;
	return await client.updateForm(formIdParameter.call(this, itemIndex) ?? '', update);
}
