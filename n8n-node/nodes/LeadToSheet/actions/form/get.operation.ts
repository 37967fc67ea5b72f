import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { LeadToSheetClient } from '../../../../lib/shared';
import { formIdParameter, formLocator } from '../../../shared/descriptions';
import type { ApiObject } from '../node.type';

const properties: INodeProperties[] = [formLocator({ description: 'The form to get' })];

export const description = updateDisplayOptions({ show: { resource: ['form'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: LeadToSheetClient, itemIndex: number): Promise<ApiObject> {
	return await client.getForm(formIdParameter.call(this, itemIndex) ?? '');
}
