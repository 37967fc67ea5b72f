/**
 * Reads a JSON request body, at most 1 MB. A body that is not JSON, or too large, is
 * answered 400 validation_error by the error handler with a message saying which.
 */
import express, { type RequestHandler } from 'express';
import { badRequest } from '../domain/sandbox-error.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;
export const BODY_LIMIT_TEXT = '1 MB';

const parseJson = express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: () => true });
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export const jsonBody: RequestHandler = (req, res, next) => {
  const type = req.headers['content-type'];
  if (type && !JSON_TYPE.test(type)) {
    next(badRequest(`The request body must be JSON sent with "Content-Type: application/json" (got "${type.slice(0, 60)}").`));
    return;
  }
  parseJson(req, res, next);
};
