/**
 * One HTTP POST of a webhook: through the SSRF-guarding dispatcher (safe-target.ts), no
 * redirects followed, a hard deadline, and at most RESPONSE_READ_CAP bytes of the answer read.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request, type Dispatcher } from 'undici';

export const RESPONSE_READ_CAP = 64 * 1024;
export const RESPONSE_KEEP_CHARS = 1024;

export interface PostResult {
  statusCode: number | null;
  headers: IncomingHttpHeaders;
  /** First RESPONSE_KEEP_CHARS characters of the body. */
  body: string;
  latencyMs: number;
  /** Set when no HTTP status was received (or the read failed). */
  error?: string;
}

export interface PostOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  dispatcher: Dispatcher;
}

export async function postWebhook(o: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), o.timeoutMs);
  const result = (r: Omit<PostResult, 'latencyMs'>): PostResult => ({ ...r, latencyMs: Math.round(performance.now() - started) });
  let statusCode: number | null = null;
  let headers: IncomingHttpHeaders = {};
  const chunks: Buffer[] = [];
  try {
    const res = await request(o.url, {
      method: 'POST',
      dispatcher: o.dispatcher,
      signal: deadline.signal,
      headers: { 'content-type': 'application/json', 'user-agent': 'LeadToSheet-Bridge/0.1', ...o.headers },
      body: o.body,
    });
    statusCode = res.statusCode;
    headers = res.headers as IncomingHttpHeaders;
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk.subarray(0, RESPONSE_READ_CAP - size));
      size += chunk.length;
      if (size >= RESPONSE_READ_CAP) {
        res.body.destroy();
        break;
      }
    }
    return result({ statusCode, headers, body: keep(chunks) });
  } catch (err) {
    // A status already received stands; what the read got of the answer is kept.
    if (statusCode !== null) return result({ statusCode, headers, body: keep(chunks) });
    const error = deadline.signal.aborted ? `timed out after ${o.timeoutMs} ms` : describeError(err as NodeJS.ErrnoException);
    return result({ statusCode: null, headers: {}, body: '', error });
  } finally {
    clearTimeout(timer);
  }
}

const keep = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_KEEP_CHARS);

function describeError(err: NodeJS.ErrnoException): string {
  // undici reports a failed connection as its own error with the socket's error as the cause.
  const cause = (err.cause as NodeJS.ErrnoException | undefined) ?? err;
  const e = cause.code || cause.message ? cause : err;
  if (/is not allowed/i.test(e.message)) return `refused: the target resolves to a private, loopback, link-local or reserved address (${e.message})`;
  return e.code ? `${e.code}: ${e.message}` : e.message;
}
