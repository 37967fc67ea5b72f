/**
 * Fields used by several operations and by the trigger, defined once.
 */
import type { IExecuteFunctions, INodeProperties, IPollFunctions } from 'n8n-workflow';

/** A form picked from a searchable, paged list or given by its id. */
export function formLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Form',
		name: 'form',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The LeadToSheet form',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a form...',
				typeOptions: { searchListMethod: 'searchForms', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. frm_1a2b3c',
			},
		],
		...overrides,
	};
}

/** The id behind the form locator, or undefined when no form was chosen. */
export function formIdParameter(this: IExecuteFunctions | IPollFunctions, itemIndex = 0): string | undefined {
	const value = this.getNodeParameter('form', itemIndex, '', { extractValue: true });
	const id = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	return id === '' ? undefined : id;
}

/** "Return All" and "Limit", as every Get Many operation in n8n has them. */
export function returnAllOrLimit(hint?: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
			...(hint ? { hint } : {}),
		},
	];
}
