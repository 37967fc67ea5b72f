/** Human output of the sites and keys commands. Lists show key prefixes only. */
import type { Site } from '@leadtosheet/shared';
import type { IssuedKey, KeyView } from '../domain/keys.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export const formatSites = (sites: Site[]): string =>
  sites.length === 0 ? 'No sites yet.' : table(['ID', 'NAME', 'DOMAIN'], sites.map((s) => [s.id, s.name, s.domain ?? '-']));

export function formatKeys(keys: KeyView[]): string {
  if (keys.length === 0) return 'No API keys on this site.';
  return table(
    ['ID', 'NAME', 'PREFIX', 'SCOPES', 'CREATED', 'LAST USED', 'EXPIRES', 'STATUS'],
    keys.map((k) => [
      k.id,
      k.name,
      `${k.prefix}…`,
      k.scopes.join(','),
      k.created_at,
      k.last_used_at ?? 'never',
      k.expires_at ?? 'never',
      k.status === 'revoked' && k.revoked_at ? `revoked ${k.revoked_at}` : k.status,
    ]),
  );
}

export function formatIssued(issued: IssuedKey, verb: string): string {
  const k = issued.api_key;
  return [
    `${verb} API key "${k.name}" (${k.id}) for site ${k.site_id}`,
    `Scopes:  ${k.scopes.join(', ')}`,
    `Expires: ${k.expires_at ?? 'never'}`,
    '',
    `  ${issued.key}`,
    '',
    'This is the only time the full key is shown: store it now (the sandbox keeps only its hash).',
  ].join('\n');
}

export const formatRevoked = (k: KeyView): string =>
  `Revoked API key "${k.name}" ${k.prefix}… (${k.id}) at ${k.revoked_at}. It stops working at once; revoking cannot be undone.`;
