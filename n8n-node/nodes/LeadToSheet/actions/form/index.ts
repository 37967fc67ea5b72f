import type { INodeProperties } from 'n8n-workflow';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['form'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a form', action: 'Get a form' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many forms', action: 'Get many forms' },
			{
				name: 'Update',
				value: 'update',
				description: 'Rename a form, change its sheet tab or ignore it',
				action: 'Update a form',
			},
		],
		default: 'get',
	},
	...get.description,
	...getAll.description,
	...update.description,
];
