/** JSON logs (pino) with secrets redacted by path and, as a last guard, by pattern (lts_ and ltb_ keys, whsec_ secrets, Bearer tokens). */
import { pino, type Logger } from 'pino';
import { redactKeys } from '@leadtosheet/shared';
import { redactAdminKeys } from './admin/key-secret.js';

export type { Logger };

const SECRET_PATTERN = /(whsec_[A-Za-z0-9+/=]{8,})|(Bearer\s+[A-Za-z0-9_\-.]{8,})/g;

export function redactSecrets(text: string): string {
  return redactAdminKeys(redactKeys(text)).replace(SECRET_PATTERN, (m) => `${m.slice(0, m.startsWith('Bearer') ? 11 : 10)}…`);
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'lts-bridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['key', 'apiKey', 'secret', 'signingSecret', 'authorization', '*.authorization', '*.key', '*.secret', 'req.headers.authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
      hooks: {
        // Messages and string arguments are scrubbed of anything shaped like a key or secret.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as Parameters<typeof method>);
        },
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? process.stdout,
  );
}
