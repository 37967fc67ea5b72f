/**
 * Walks every page of a list, newest first, with a hard cap on the number of pages.
 * Items that shift to the next page while walking (new arrivals push the list down)
 * are yielded once: ids already seen in this walk are skipped.
 */
import { LeadToSheetError, localErrorCodes } from './errors.js';
import type { Page } from './contract.js';

export const DEFAULT_MAX_PAGES = 100;

export interface PaginateOptions {
  /** Hard cap on requests. Default 100. */
  maxPages?: number;
  /** When the cap is reached with pages left: stop quietly (true) or throw `too_many_pages` (false, default). */
  stopAtCap?: boolean;
}

export async function* paginate<T extends { id: string }>(
  fetchPage: (page: number) => Promise<Page<T>>,
  { maxPages = DEFAULT_MAX_PAGES, stopAtCap = false }: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  for (let page = 1; ; page++) {
    const result = await fetchPage(page);
    for (const item of result.data) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      yield item;
    }
    const last = result.data.length === 0 || page >= result.pagination.total_pages;
    if (last) return;
    if (page >= maxPages) {
      if (stopAtCap) return;
      throw new LeadToSheetError({
        status: 0,
        code: localErrorCodes.tooManyPages,
        retryable: false,
        message: `Stopped after ${maxPages} pages (${result.pagination.total} items in all). Narrow the request with a form or a start date.`,
      });
    }
  }
}
