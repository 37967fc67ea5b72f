/**
 * The tiny port every product plugs its HTTP stack into: got (bridge, contract check),
 * z.request (Zapier), n8n's request helpers (n8n). The transport owns the base URL and
 * the Authorization header; the client owns paths, validation, parsing and errors.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface TransportRequest {
  method: HttpMethod;
  /** Path relative to the API base URL, starting with "/". */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** JSON body. */
  body?: unknown;
  /**
   * False when repeating the request could repeat its effect (creating a lead).
   * Transports must not auto-retry such a request once it may have reached the server.
   */
  idempotent: boolean;
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the body was JSON, else the raw text (or undefined when empty). */
  body: unknown;
}

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

/** Parses a response body text: JSON when it is JSON, the text otherwise. */
export function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Builds `base + path + ?query`, dropping undefined query values. */
export function buildUrl(baseUrl: string, request: Pick<TransportRequest, 'path' | 'query'>): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + request.path);
  for (const [k, v] of Object.entries(request.query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return url.toString();
}

/** The URL when `raw` is an absolute http(s) URL, else undefined (settings, credentials). */
export function parseHttpUrl(raw: string): URL | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
}
