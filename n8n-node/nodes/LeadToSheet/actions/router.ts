/**
 * Runs the chosen operation once per input item. Every output item is paired with the
 * input item it came from; with "Continue On Fail" a failed item becomes an error item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { LeadToSheetClient } from '../../../lib/shared';
import { errorItemJson, toNodeError } from '../../shared/errors';
import { leadToSheetClient } from '../../shared/transport';
import type { LeadToSheetResource, OperationExecute } from './node.type';
import * as form from './form';
import * as site from './site';
import * as submission from './submission';

const operations: Record<LeadToSheetResource, Record<string, OperationExecute>> = {
	submission: { create: submission.create.execute, get: submission.get.execute, getAll: submission.getAll.execute },
	form: { get: form.get.execute, getAll: form.getAll.execute, update: form.update.execute },
	site: { get: site.get.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as LeadToSheetResource;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}

	const returnData: INodeExecutionData[] = [];
	let client: LeadToSheetClient | undefined;
	for (let i = 0; i < items.length; i++) {
		try {
			client ??= await leadToSheetClient.call(this);
			const result = await execute.call(this, client, i);
			for (const json of Array.isArray(result) ? result : [result]) {
				returnData.push({ json: json as IDataObject, pairedItem: { item: i } });
			}
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, i);
			if (this.continueOnFail()) {
				returnData.push({ json: errorItemJson(error, nodeError), pairedItem: { item: i } });
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
