import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { formLocator } from '../shared/descriptions';
import { searchForms } from '../shared/list-search';
import { pollSubmissions } from './poll-submissions';

export class LeadToSheetTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LeadToSheet Trigger',
		name: 'leadToSheetTrigger',
		icon: { light: 'file:../../icons/leadtosheet.svg', dark: 'file:../../icons/leadtosheet.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'New submission',
		description: 'Starts the workflow when LeadToSheet captures a new submission (lead)',
		defaults: { name: 'LeadToSheet Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'leadToSheetApi', required: true }],
		properties: [
			formLocator({
				required: false,
				description: 'Only submissions of this form. Leave empty for every form.',
			}),
		],
	};

	methods = { listSearch: { searchForms } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollSubmissions.call(this);
	}
}
