/** What the admin routes share: a page size, a cursor, a time bound, a safe 404. */
import { z } from 'zod';
import { HttpError } from '../api/http-error.js';
import { redactAdminKeys } from './key-secret.js';

export const limitField = z.coerce
  .number({ error: 'limit must be a number from 1 to 200' })
  .int('limit must be a whole number from 1 to 200')
  .min(1, 'limit must be from 1 to 200')
  .max(200, 'limit must be from 1 to 200')
  .default(50);

export const beforeField = z.string().max(100, 'before must be an id from a previous page').optional();

export const timeField = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} must be an ISO 8601 date and time, such as 2026-01-31T09:00:00Z` })
    .transform((v) => new Date(v))
    .optional();

/** `next_before` for a page: the last id when the page is full, else null. */
export const nextBefore = (rows: { id: string }[], limit: number) => (rows.length === limit ? rows.at(-1)!.id : null);

/** 404 naming what was asked for, cut short and with anything shaped like a full admin key reduced to its prefix. */
export const missing = (what: string, id: string) => new HttpError(404, 'not_found', `No ${what} "${redactAdminKeys(id).slice(0, 100)}"`);
