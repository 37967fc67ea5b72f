/**
 * A free loopback port for a child process to listen on (bridge bench, end-to-end suites).
 * Lives behind its own entry point (`@leadtosheet/shared/free-port`) so Zapier and n8n never load it.
 */
import net from 'node:net';

/** A free loopback port (asked of the OS, then released for a child process to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
