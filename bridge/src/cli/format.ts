/** Human output of the keys and audit commands. Keys appear as their prefix only, except once when issued. */
import type { AuditEntry } from '../db/audit-repo.js';
import type { AdminKeyView, IssuedAdminKey } from '../admin/key-service.js';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const scopesText = (scopes: string[]) => (scopes.length ? scopes.join(',') : '(none)');

export function formatKeys(keys: AdminKeyView[]): string {
  if (keys.length === 0) return 'No admin keys.';
  return table(
    ['ID', 'NAME', 'PREFIX', 'SCOPES', 'CREATED', 'LAST USED', 'EXPIRES', 'STATUS', 'LAST ROTATED'],
    keys.map((k) => [k.id, k.name, `${k.prefix}…`, scopesText(k.scopes), k.created_at, k.last_used_at ?? 'never', k.expires_at ?? 'never', k.status, k.last_rotated_at ?? '-']),
  );
}

export function formatKey(k: AdminKeyView, verb: string): string {
  return [
    `${verb} admin key "${k.name}" ${k.prefix}… (${k.id})`,
    `Scopes:    ${k.scopes.length ? k.scopes.join(', ') : '(none)'}`,
    `Status:    ${k.status}`,
    `Expires:   ${k.expires_at ?? 'never'}`,
    `Last used: ${k.last_used_at ?? 'never'}`,
  ].join('\n');
}

export function formatIssued(issued: IssuedAdminKey, verb: string): string {
  return [
    formatKey(issued.admin_key, verb),
    '',
    `  ${issued.key}`,
    '',
    'This is the only time the full key is shown: store it now (the bridge keeps only its hash).',
    'Use it as "Authorization: Bearer <key>" on /admin/v1.',
  ].join('\n');
}

export function formatAudit(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'No audit entries.';
  return table(
    ['AT', 'WHO', 'WHAT', 'TARGET', 'DETAILS'],
    entries.map((e) => [new Date(e.at).toISOString(), e.actor, e.action, e.target_id, JSON.stringify(e.details)]),
  );
}
