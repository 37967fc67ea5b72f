/**
 * Searchable, paged form list for the Form resource locator (node and trigger).
 * The API lists forms page by page without a search parameter: each page is filtered
 * here by name (or exact id), and the next page number is the pagination token.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { MAX_PER_PAGE } from '../../lib/shared';
import { toNodeError } from './errors';
import { leadToSheetClient } from './transport';

export async function searchForms(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = paginationToken ? Number(paginationToken) : 1;
	const wanted = filter?.trim().toLowerCase() ?? '';
	try {
		const client = await leadToSheetClient.call(this);
		const { data, pagination } = await client.listForms({ page, perPage: MAX_PER_PAGE });
		const results = data
			.filter((form) => wanted === '' || form.name.toLowerCase().includes(wanted) || form.id.toLowerCase() === wanted)
			.map((form) => ({ name: form.ignored ? `${form.name} (ignored)` : form.name, value: form.id }));
		const more = data.length > 0 && page < pagination.total_pages;
		return { results, paginationToken: more ? String(page + 1) : undefined };
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
