/**
 * The trigger's poll: the shared polling engine, with its state in the workflow's static
 * data. The first activation records a baseline and emits nothing; later polls emit only
 * new submissions, oldest first, with no duplicates on timestamp ties. A burst of more than
 * the engine reads in one step (a backlog, `hasMore`) is followed within the same poll, up
 * to BURST_LIMITS. In manual mode ("Fetch Test Event") it returns the most recent
 * submission and leaves the state alone.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { poll, pollDefaults, type PollState, type Submission } from '../../lib/shared';
import { formIdParameter } from '../shared/descriptions';
import { toNodeError } from '../shared/errors';
import { leadToSheetClient } from '../shared/transport';

/**
 * How far one poll follows a burst. The engine drains a backlog a page (100 leads) at a
 * time and says `hasMore`; one poll takes those steps one after another until the burst is
 * emitted, within these bounds. What is left comes with the next poll, from where this one
 * stopped (the state saved is the last step's: nothing lost, nothing twice).
 */
export const BURST_LIMITS = {
	/** Leads one poll emits at most: a hundred pages. No step starts that could go past it. */
	maxLeads: 10_000,
	/**
	 * About how many pages (requests) one poll reads: no step starts once they are read, and
	 * a step reads two to seven pages per page of news (23 at most). Two thirds of a minute
	 * at the per-key rate limit we assume (the sandbox's 600 a minute), so other workflows
	 * using the key go on meanwhile.
	 */
	maxPages: 400,
	/**
	 * No step starts after this long. n8n starts each poll on time (a minute apart at the
	 * least) even while the last one runs, and two polls on the same state emit the same leads.
	 */
	maxMs: 20_000,
} as const;

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
		const started = Date.now();
		let pages = 0;
		let state = sameFilter ? storedState(staticData.pollState) : null;
		const items: Submission[] = [];
		for (;;) {
			let result;
			try {
				result = await poll<Submission>({
					fetchPage: async ({ since, page, perPage }) => {
						pages++;
						return await client.listSubmissions({ formId, since, page, perPage });
					},
					state,
				});
			} catch (error) {
				if (items.length === 0) throw toNodeError(this.getNode(), error);
				// Part of a burst is in hand: emit it with its state; the next poll goes on from
				// there (and reports the error if it lasts).
				this.logger.warn(`LeadToSheet Trigger: a burst was cut short after ${items.length} new submissions, the rest come with the next poll: ${toNodeError(this.getNode(), error).message}`);
				break;
			}
			state = result.state;
			items.push(...result.items);
			const full = items.length + pollDefaults.perPage > BURST_LIMITS.maxLeads;
			if (!result.hasMore || full || pages >= BURST_LIMITS.maxPages || Date.now() - started >= BURST_LIMITS.maxMs) break;
		}
		staticData.pollState = state as unknown as IDataObject;
		staticData.formId = formId ?? '';
		return items.length > 0 ? [this.helpers.returnJsonArray(oldestFirst(items) as IDataObject[])] : null;
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/**
 * Each step's leads are oldest first, and a drain goes from the oldest end; only a late lead
 * (written after newer ones were read) can be older than one a previous step emitted. A
 * stable sort by created_at puts it in its place and keeps the engine's order of ties.
 */
function oldestFirst(items: Submission[]): Submission[] {
	return items
		.map((item) => ({ item, at: Date.parse(item.created_at) }))
		.sort((a, b) => a.at - b.at)
		.map(({ item }) => item);
}

/** The stored state when it is one this engine wrote; anything else means "start with a baseline". */
function storedState(value: IDataObject | undefined): PollState | null {
	const state = value as Partial<PollState> | undefined;
	const ok = state?.v === 1 && (state.cursor === null || typeof state.cursor === 'string') && Array.isArray(state.seen);
	return ok ? (state as PollState) : null;
}
