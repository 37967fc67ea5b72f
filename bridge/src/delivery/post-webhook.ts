/**
 * One HTTP POST of a webhook: through the SSRF-guarding agents, no redirects followed,
 * a hard deadline, and at most RESPONSE_READ_CAP bytes of the answer read.
 */
import http from 'node:http';
import https from 'node:https';
import type { Agent } from 'node:http';

export const RESPONSE_READ_CAP = 64 * 1024;
export const RESPONSE_KEEP_CHARS = 1024;

export interface PostResult {
  statusCode: number | null;
  headers: http.IncomingHttpHeaders;
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
  agents: { http: Agent; https: Agent };
}

export function postWebhook(o: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const url = new URL(o.url);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<PostResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: Math.round(performance.now() - started) });
    };
    const req = lib.request(url, {
      method: 'POST',
      agent: url.protocol === 'https:' ? o.agents.https : o.agents.http,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(o.body), 'user-agent': 'LeadToSheet-Bridge/0.1', ...o.headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ statusCode: null, headers: {}, body: '', error: `timed out after ${o.timeoutMs} ms` });
    }, o.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done({ statusCode: null, headers: {}, body: '', error: describeError(err) }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => done({ statusCode: res.statusCode ?? null, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_KEEP_CHARS) });
      res.on('data', (chunk: Buffer) => {
        if (size < RESPONSE_READ_CAP) chunks.push(chunk.subarray(0, RESPONSE_READ_CAP - size));
        size += chunk.length;
        if (size >= RESPONSE_READ_CAP) {
          finish();
          res.destroy();
        }
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.end(o.body);
  });
}

function describeError(err: NodeJS.ErrnoException): string {
  if (/is not allowed/i.test(err.message)) return `refused: the target resolves to a private, loopback, link-local or reserved address (${err.message})`;
  return err.code ? `${err.code}: ${err.message}` : err.message;
}
