import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { LeadToSheetClient } from '../../../../lib/shared';
import type { ApiObject } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Submission ID',
		name: 'submissionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. sub_1a2b3c',
		description: 'The ID of the submission (lead) to get',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['submission'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: LeadToSheetClient, itemIndex: number): Promise<ApiObject> {
	const id = this.getNodeParameter('submissionId', itemIndex) as string;
	return await client.getSubmission(id);
}
