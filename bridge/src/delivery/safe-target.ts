/**
 * Subscriber URLs are untrusted. At subscribe time: a well-formed http(s) URL without
 * credentials whose host resolves, and only to public unicast addresses (private, loopback,
 * link-local, metadata and other reserved ranges refused unless allowlisted). At delivery
 * time the same rule is enforced again at connect (deliveryDispatcher: every address a
 * connection is about to use, resolved or literal), so DNS rebinding cannot slip past.
 */
import dns from 'node:dns';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

export function isAllowedAddress(address: string, allowlist: string[]): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return false;
  }
  if (allowlist.some((cidr) => matchesCidr(ip, cidr))) return true;
  return ip.range() === 'unicast';
}

function matchesCidr(ip: ipaddr.IPv4 | ipaddr.IPv6, cidr: string): boolean {
  const [range, bits] = ipaddr.parseCIDR(cidr);
  if (ip.kind() !== range.kind()) return false;
  return ip.kind() === 'ipv4' ? (ip as ipaddr.IPv4).match(range as ipaddr.IPv4, bits) : (ip as ipaddr.IPv6).match(range as ipaddr.IPv6, bits);
}

export function parseTargetUrl(raw: unknown): TargetCheck {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'a URL is required, such as https://example.com/webhooks/leadtosheet' };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: `"${raw.slice(0, 200)}" is not a valid URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `only http and https URLs can receive webhooks, not ${url.protocol}` };
  if (url.username || url.password) return { ok: false, reason: 'the URL must not contain a user name or password; use a secret path or verify the signature instead' };
  if (url.hash) return { ok: false, reason: 'the URL must not contain a #fragment' };
  if (raw.length > 2000) return { ok: false, reason: 'the URL is longer than 2,000 characters' };
  return { ok: true, url };
}

/** Full check: shape, DNS resolution, every resolved address allowed. */
export async function checkTarget(raw: unknown, allowlist: string[]): Promise<TargetCheck> {
  const parsed = parseTargetUrl(raw);
  if (!parsed.ok) return parsed;
  const host = parsed.url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string }[];
  try {
    addresses = ipaddr.isValid(host) ? [{ address: host }] : await lookup(host, { all: true });
  } catch {
    return { ok: false, reason: `the host "${host}" does not resolve (DNS lookup failed); check the URL` };
  }
  const forbidden = addresses.find((a) => !isAllowedAddress(a.address, allowlist));
  if (forbidden) {
    return {
      ok: false,
      reason: `the host "${host}" resolves to ${forbidden.address}, a private, loopback, link-local or reserved address; webhooks are only sent to public addresses`,
    };
  }
  return parsed;
}

/** A connection refused at connect time: the target resolved to an address deliveries may not reach. */
export class RefusedTarget extends Error {
  readonly code = 'ERR_TARGET_REFUSED';
  constructor(host: string, address: string) {
    super(`${host === address ? address : `${host} resolves to ${address}, which`} is not allowed`);
  }
}

/**
 * The HTTP client deliveries go through (undici: a third less CPU per request than a bare
 * node:http keep-alive loop and 1.5x its requests per second, `npm run bench:client`, README
 * "Benchmark", 2026-12-04): keep-alive pools per origin, no redirects
 * followed, and the SSRF guard at connect. A host name is resolved by the guard's own lookup,
 * which refuses the connection unless every address it returned is allowed (net.connect
 * then connects to one of those very addresses); a literal address is checked before
 * connecting. One per process.
 */
export function deliveryDispatcher(allowlist: string[]): Agent {
  const guardedLookup: net.LookupFunction = (host, options, callback) => {
    dns.lookup(host, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = list.find((a) => !isAllowedAddress(a.address, allowlist));
      if (refused) return callback(new RefusedTarget(host, refused.address), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
  const connect = buildConnector({ lookup: guardedLookup });
  return new Agent({
    connections: 64,
    connect(options, callback) {
      const host = options.hostname.replace(/^\[|\]$/g, '');
      if (net.isIP(host) && !isAllowedAddress(host, allowlist)) return callback(new RefusedTarget(host, host), null);
      return connect(options, callback);
    },
  });
}
