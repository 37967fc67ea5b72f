/** What the admin routes share: a page size, a cursor, a time bound (parsed as the tenant API parses them), a safe 404. */
import { HttpError } from '../api/http-error.js';
import { pageLimitField } from '../api/list-query.js';
import { redactAdminKeys } from './key-secret.js';

export { beforeField, nextBefore, timeField } from '../api/list-query.js';

/** The operators' largest page. */
export const ADMIN_MAX_LIMIT = 200;
export const limitField = pageLimitField(ADMIN_MAX_LIMIT);

/** 404 naming what was asked for, cut short and with anything shaped like a full admin key reduced to its prefix. */
export const missing = (what: string, id: string) => new HttpError(404, 'not_found', `No ${what} "${redactAdminKeys(id).slice(0, 100)}"`);
