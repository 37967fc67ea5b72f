import type { INodeProperties } from 'n8n-workflow';
import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['site'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: "Get the API key's site: its identity and usage",
				action: 'Get the site',
			},
		],
		default: 'get',
	},
	...get.description,
];
