/** One log line per API request: method, path (no query: it may hold lead data), status, time, key prefix. */
import type { RequestHandler } from 'express';
import type { Caller } from '../domain/authenticate.js';
import type { Logger } from '../logger.js';

export const requestLog =
  (logger: Logger): RequestHandler =>
  (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      const caller = res.locals.caller as Caller | undefined;
      const who = caller ? ` key=${caller.key.prefix}… (${caller.key.id})` : '';
      logger.info(`${req.method} ${req.baseUrl}${req.path} ${res.statusCode} ${ms}ms${who}`);
    });
    next();
  };
