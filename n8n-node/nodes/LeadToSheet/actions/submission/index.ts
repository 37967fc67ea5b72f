import type { INodeProperties } from 'n8n-workflow';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { create, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['submission'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a submission (lead)', action: 'Create a submission' },
			{ name: 'Get', value: 'get', description: 'Get a submission by ID', action: 'Get a submission' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many submissions, newest first', action: 'Get many submissions' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
];
