/**
 * Dashboard sessions, server side and in memory only: the key a person signed in with
 * stays in this process (never in a cookie, a URL, the browser's storage or a log). The
 * browser holds an opaque random id in an HttpOnly cookie and a CSRF token it must send
 * back on every change. A session ends on sign-out, after 30 minutes without a request,
 * after 12 hours in all, or when the bridge restarts (sign in again).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminScope } from '../admin/scopes.js';

export const SESSION_COOKIE = 'bridge_session';
export const IDLE_MS = 30 * 60_000;
export const MAX_AGE_MS = 12 * 3_600_000;
/** Beyond this many live sessions the oldest is dropped (a flood of sign-ins cannot grow memory without bound). */
const MAX_SESSIONS = 10_000;

export type SessionKind = 'operator' | 'tenant';

export interface DashboardSession {
  csrf: string;
  kind: SessionKind;
  /** The raw key, for the API calls made on the person's behalf. */
  key: string;
  /** What pages show of the key. */
  prefix: string;
  /** The admin key's name, or the site's name. */
  name: string;
  scopes: AdminScope[];
  site?: { id: string; name: string };
  createdAt: number;
  lastSeenAt: number;
}

export type NewSession = Omit<DashboardSession, 'csrf' | 'createdAt' | 'lastSeenAt'>;

const token = () => randomBytes(32).toString('base64url');
/** Ids are kept hashed, so a heap snapshot or a log of the map's keys gives no usable cookie. */
const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

export function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type SessionStore = ReturnType<typeof createSessionStore>;

export function createSessionStore(now: () => number = Date.now) {
  const sessions = new Map<string, DashboardSession>();
  const expired = (s: DashboardSession, at: number) => at - s.lastSeenAt > IDLE_MS || at - s.createdAt > MAX_AGE_MS;

  const sweep = (at: number) => {
    for (const [id, s] of sessions) if (expired(s, at)) sessions.delete(id);
    while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
  };

  return {
    /** A new session; the id goes into the cookie, the store keeps only its hash. */
    create(fields: NewSession): { id: string; session: DashboardSession } {
      const at = now();
      sweep(at);
      const id = token();
      const session: DashboardSession = { ...fields, csrf: token(), createdAt: at, lastSeenAt: at };
      sessions.set(hashId(id), session);
      return { id, session };
    },
    /** The live session of a cookie value (its idle clock restarted), or undefined. */
    get(id: string | undefined): DashboardSession | undefined {
      if (!id) return undefined;
      const h = hashId(id);
      const s = sessions.get(h);
      if (!s) return undefined;
      const at = now();
      if (expired(s, at)) {
        sessions.delete(h);
        return undefined;
      }
      s.lastSeenAt = at;
      return s;
    },
    delete(id: string | undefined): void {
      if (id) sessions.delete(hashId(id));
    },
    get size() {
      return sessions.size;
    },
  };
}
