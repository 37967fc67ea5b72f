import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { MAX_PER_PAGE, type LeadToSheetClient } from '../../../../lib/shared';
import { collect } from '../../../shared/collect';
import { returnAllOrLimit } from '../../../shared/descriptions';
import type { ApiObject } from '../node.type';

const properties: INodeProperties[] = [...returnAllOrLimit()];

export const description = updateDisplayOptions({ show: { resource: ['form'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: LeadToSheetClient, itemIndex: number): Promise<ApiObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	if (returnAll) return await collect(client.iterateForms());
	const limit = this.getNodeParameter('limit', itemIndex) as number;
	return await collect(client.iterateForms({ perPage: Math.min(limit, MAX_PER_PAGE) }), limit);
}
