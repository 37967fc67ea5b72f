/**
 * The trigger's poll: the shared polling engine, with its state in the workflow's static
 * data. The first activation records a baseline and emits nothing; later polls emit only
 * new submissions, oldest first, with no duplicates on timestamp ties. In manual mode
 * ("Fetch Test Event") it returns the most recent submission and leaves the state alone.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { poll, type PollState, type Submission } from '../../lib/shared';
import { formIdParameter } from '../shared/descriptions';
import { toNodeError } from '../shared/errors';
import { leadToSheetClient } from '../shared/transport';

/** What this node keeps in `getWorkflowStaticData('node')`. */
export interface TriggerStaticData extends IDataObject {
	/** The shared engine's state: cursor and recently seen ids. */
	pollState?: IDataObject;
	/** The form filter the state belongs to ('' for every form); a change starts a new baseline. */
	formId?: string;
}

export async function pollSubmissions(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const formId = formIdParameter.call(this);
	try {
		const client = await leadToSheetClient.call(this);

		if (this.getMode() === 'manual') {
			const { data } = await client.listSubmissions({ formId, perPage: 1 });
			return data.length > 0 ? [this.helpers.returnJsonArray(data as IDataObject[])] : null;
		}

		const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
		const sameFilter = (staticData.formId ?? '') === (formId ?? '');
		const result = await poll<Submission>({
			fetchPage: async ({ since, page, perPage }) => await client.listSubmissions({ formId, since, page, perPage }),
			state: sameFilter ? storedState(staticData.pollState) : null,
		});
		staticData.pollState = result.state as unknown as IDataObject;
		staticData.formId = formId ?? '';
		return result.items.length > 0 ? [this.helpers.returnJsonArray(result.items as IDataObject[])] : null;
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/** The stored state when it is one this engine wrote; anything else means "start with a baseline". */
function storedState(value: IDataObject | undefined): PollState | null {
	const state = value as Partial<PollState> | undefined;
	const ok = state?.v === 1 && (state.cursor === null || typeof state.cursor === 'string') && Array.isArray(state.seen);
	return ok ? (state as PollState) : null;
}
