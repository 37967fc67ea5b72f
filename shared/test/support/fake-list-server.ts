/**
 * An in-memory list endpoint that behaves like GET /submissions is assumed to: `since`
 * inclusive on created_at, newest first with the id as tiebreak, `page` / `per_page`, a
 * `pagination` object. A test can change the list between two page fetches of one poll.
 */
import type { FetchPageArgs, Page, PollItem } from '@leadtosheet/shared';

export interface Item extends PollItem {
  name?: string;
}

export const iso = (ms: number) => new Date(ms).toISOString();

export class FakeListServer {
  private items: Item[] = [];
  readonly requests: FetchPageArgs[] = [];
  /** Runs before each page is answered; `call` counts from 1 over the server's life. */
  beforeAnswer: ((args: FetchPageArgs, call: number) => void) | undefined;

  /** Adds items created at `at` (ms), in the order given. Ids must sort in arrival order. */
  add(at: number, ...ids: string[]): this {
    for (const id of ids) this.items.push({ id, created_at: iso(at) });
    return this;
  }

  remove(id: string): this {
    this.items = this.items.filter((i) => i.id !== id);
    return this;
  }

  get size(): number {
    return this.items.length;
  }

  /** The newest-first order the API answers in. */
  sorted(): Item[] {
    return [...this.items].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  readonly fetchPage = async (args: FetchPageArgs): Promise<Page<Item>> => {
    this.requests.push({ ...args });
    this.beforeAnswer?.(args, this.requests.length);
    const since = args.since === undefined ? -Infinity : Date.parse(args.since);
    const matching = this.sorted().filter((i) => Date.parse(i.created_at) >= since);
    const start = (args.page - 1) * args.perPage;
    return {
      data: matching.slice(start, start + args.perPage).map((i) => ({ ...i })),
      pagination: { page: args.page, per_page: args.perPage, total: matching.length, total_pages: Math.ceil(matching.length / args.perPage) },
    };
  };
}
