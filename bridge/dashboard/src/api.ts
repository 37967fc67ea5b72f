/**
 * The page's only way to the bridge: its own /admin/v1 and /v1 APIs (and /dashboard/api
 * for the session), same origin, with the session cookie. Changes carry the CSRF token.
 * Failures become ApiError with the API's own message and field details.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }
  /** The message about one field, when the API named it. */
  about(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.message;
  }
}

export type Scope = 'subscriptions:read' | 'subscriptions:write' | 'deliveries:read' | 'deliveries:write' | 'keys:admin' | 'audit:read';
export const SCOPES: Scope[] = ['subscriptions:read', 'subscriptions:write', 'deliveries:read', 'deliveries:write', 'keys:admin', 'audit:read'];

export interface Session {
  kind: 'operator' | 'tenant';
  prefix: string;
  name: string;
  scopes: Scope[];
  site: { id: string; name: string } | null;
  csrf_token: string;
  idle_timeout_seconds: number;
}

export interface Page<T> {
  data: T[];
  next_before?: string | null;
}

let csrf = '';
let onSignedOut: (why: string) => void = () => undefined;

export function setSessionToken(token: string, signedOut: (why: string) => void) {
  csrf = token;
  onSignedOut = signedOut;
}

export async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'The bridge did not answer: check that it is running and reachable, then try again');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = json?.error;
    const err = new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `The bridge answered ${res.status} ${res.statusText}`, e?.details ?? []);
    if (res.status === 401 && !path.startsWith('/dashboard/api/session')) onSignedOut(err.message);
    throw err;
  }
  return json as T;
}

/** A query string from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
