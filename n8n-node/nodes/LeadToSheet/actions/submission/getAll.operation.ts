import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { MAX_PER_PAGE, type LeadToSheetClient, type SubmissionFilter } from '../../../../lib/shared';
import { collect } from '../../../shared/collect';
import { inTimezone } from '../../../shared/date-time';
import { formIdParameter, formLocator, returnAllOrLimit } from '../../../shared/descriptions';
import type { ApiObject } from '../node.type';

const properties: INodeProperties[] = [
	...returnAllOrLimit('The newest submissions first'),
	formLocator({ required: false, description: 'Only submissions of this form. Leave empty for every form.' }),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Created Since',
				name: 'since',
				type: 'dateTime',
				default: '',
				description: "Only submissions created at or after this date and time (in the workflow's timezone unless it names an offset)",
			},
			{
				displayName: 'Search',
				name: 'q',
				type: 'string',
				default: '',
				placeholder: 'e.g. alice@example.com',
				description: 'Only submissions whose fields contain this text',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['submission'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: LeadToSheetClient, itemIndex: number): Promise<ApiObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { since?: string; q?: string };
	const filter: SubmissionFilter = {
		formId: formIdParameter.call(this, itemIndex),
		since: inTimezone(filters.since, this.getTimezone()),
		q: filters.q?.trim() || undefined,
	};
	if (returnAll) return await collect(client.iterateSubmissions(filter));
	const limit = this.getNodeParameter('limit', itemIndex) as number;
	return await collect(client.iterateSubmissions({ ...filter, perPage: Math.min(limit, MAX_PER_PAGE) }), limit);
}
