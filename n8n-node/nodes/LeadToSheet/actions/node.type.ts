import type { IExecuteFunctions } from 'n8n-workflow';
import type { LeadToSheetClient } from '../../../lib/shared';

/** Every operation file exports `description` and an `execute` of this shape. */
export type OperationExecute = (
	this: IExecuteFunctions,
	client: LeadToSheetClient,
	itemIndex: number,
) => Promise<ApiObject | ApiObject[]>;

export type LeadToSheetResource = 'submission' | 'form' | 'site';

/** A parsed API object (JSON, extra fields kept): becomes an item's `json` as is. */
export type ApiObject = object;
