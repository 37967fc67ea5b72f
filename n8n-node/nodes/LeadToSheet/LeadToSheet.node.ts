import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { searchForms } from '../shared/list-search';
import * as form from './actions/form';
import { router } from './actions/router';
import * as site from './actions/site';
import * as submission from './actions/submission';

export class LeadToSheet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LeadToSheet',
		name: 'leadToSheet',
		icon: { light: 'file:../../icons/leadtosheet.svg', dark: 'file:../../icons/leadtosheet.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create and read LeadToSheet leads, manage forms and read the site',
		defaults: { name: 'LeadToSheet' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'leadToSheetApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Form', value: 'form' },
					{ name: 'Site', value: 'site' },
					{ name: 'Submission', value: 'submission' },
				],
				default: 'submission',
			},
			...submission.description,
			...form.description,
			...site.description,
		],
	};

	methods = { listSearch: { searchForms } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
