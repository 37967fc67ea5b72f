import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { LeadToSheetClient } from '../../../../lib/shared';
import type { ApiObject } from '../node.type';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions({ show: { resource: ['site'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: LeadToSheetClient): Promise<ApiObject> {
	return await client.getSite();
}
