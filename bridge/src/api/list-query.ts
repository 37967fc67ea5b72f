/**
 * What the tenant API (/v1) and the operators' API (/admin/v1) parse alike: a page size, a
 * cursor, a time bound, and the delivery log's list query and recover body. One parser each,
 * so both APIs name the same field and say what they expected in the same words.
 */
import { z } from 'zod';

/** `limit`: a page size from 1 to `max` (the tenant API 100, the operators' 200), 50 when absent. */
export const pageLimitField = (max: number) =>
  z.coerce
    .number({ error: `limit must be a number from 1 to ${max}` })
    .int(`limit must be a whole number from 1 to ${max}`)
    .min(1, `limit must be from 1 to ${max}`)
    .max(max, `limit must be from 1 to ${max}`)
    .default(50);

/** `before`: the cursor, an id from a previous page's `next_before`. */
export const beforeField = z.string().max(100, 'before must be an id from a previous page').optional();

export const timeField = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} must be an ISO 8601 date and time, such as 2026-01-31T09:00:00Z` })
    .transform((v) => new Date(v))
    .optional();

/** `next_before` for a page: the last id when the page is full, else null. */
export const nextBefore = (rows: { id: string }[], limit: number) => (rows.length === limit ? rows.at(-1)!.id : null);

/**
 * The delivery log's list query: `status`, the caller's own filters (the operators' API adds
 * subscription, site, since, until), `limit` up to `maxLimit`, `before`. Unknown fields are refused.
 */
export const deliveryListQuery = <F extends z.ZodRawShape = Record<never, never>>(maxLimit: number, filters: F = {} as F) =>
  z.strictObject({
    status: z.enum(['pending', 'succeeded', 'parked'], { error: 'status must be one of pending, succeeded, parked' }).optional(),
    ...filters,
    limit: pageLimitField(maxLimit),
    before: beforeField,
  });

/** POST …/recover { since }: every parked delivery since then, again. */
export const RecoverBody = z.strictObject({
  since: z.iso.datetime({ offset: true, error: 'since must be an ISO 8601 date and time, such as 2026-01-31T09:00:00Z' }),
});
