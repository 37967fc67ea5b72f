/**
 * The bare baseline the bridge is measured against: a plain loop that POSTs the same
 * webhook bodies to the same receivers, with no store, no queue and no signing. Like the
 * bridge's poller it takes the submissions a page (100) at a time, stamps the body's
 * `timestamp` with the moment it "saw" the page, and takes the next page once every
 * delivery of the current one has started; CONCURRENCY requests at most in flight (the
 * bridge's DELIVERY_CONCURRENCY), over keep-alive sockets as the bridge uses.
 *
 * Run by bench.ts as a child process: node baseline.js <job.json>. Prints one JSON line when
 * done, then idles until SIGTERM so its idle CPU can be measured like the bridge's.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

interface Job {
  submissions: unknown[];
  receivers: string[];
  concurrency: number;
  pageSize: number;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const queue: { url: URL; body: string; seenAt: number }[] = [];
let next = 0;
let failures = 0;
let posts = 0;

function readPage(): boolean {
  if (next >= job.submissions.length) return false;
  const seenAt = Date.now();
  const timestamp = new Date(seenAt).toISOString();
  for (const data of job.submissions.slice(next, next + job.pageSize)) {
    const body = JSON.stringify({ type: 'submission.created', timestamp, data });
    for (const r of job.receivers) queue.push({ url: new URL(r), body, seenAt });
  }
  next += job.pageSize;
  return true;
}

function post(d: { url: URL; body: string }): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(d.url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(d.body), 'user-agent': 'bench-baseline' },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) failures++;
        resolve();
      });
    });
    req.on('error', () => {
      failures++;
      resolve();
    });
    req.end(d.body);
  });
}

async function worker(): Promise<void> {
  for (;;) {
    if (queue.length === 0 && !readPage()) return;
    const d = queue.shift()!;
    posts++;
    await post(d);
  }
}

await Promise.all(Array.from({ length: job.concurrency }, worker));
process.stdout.write(`${JSON.stringify({ done: true, posts, failures })}\n`);
agent.destroy();
process.once('SIGTERM', () => process.exit(0));
setInterval(() => undefined, 60_000);
