/** One page of a list, as every list answers: `{ data, pagination }`. A page past the end is empty. */
import type { Pagination } from '@leadtosheet/shared';

export interface PageRequest {
  page: number;
  perPage: number;
}

export function pageOf<T>(items: T[], { page, perPage }: PageRequest): { data: T[]; pagination: Pagination } {
  const start = (page - 1) * perPage;
  return {
    data: items.slice(start, start + perPage),
    pagination: { page, per_page: perPage, total: items.length, total_pages: Math.ceil(items.length / perPage) },
  };
}
