/**
 * The demo's webhook receiver: verifies every push with the official standardwebhooks
 * library (as a subscriber should) and hands the verified event to `onEvent`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedEvent {
  id: string;
  body: { type: string; timestamp: string; data: { id: string; form_name?: string | null; fields: Record<string, unknown> } };
}

export async function startReceiver(onEvent: (e: ReceivedEvent) => void, onRejected: (reason: string) => void) {
  let verifier: Webhook | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = Buffer.concat(chunks).toString('utf8');
      try {
        if (!verifier) throw new Error('no signing secret yet');
        const body = verifier.verify(payload, req.headers as Record<string, string>) as ReceivedEvent['body'];
        res.writeHead(204).end();
        onEvent({ id: String(req.headers['webhook-id']), body });
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('signature verification failed');
        onRejected((err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/leadtosheet`,
    setSecret(secret: string) {
      verifier = new Webhook(secret);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
