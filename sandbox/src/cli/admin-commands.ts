/** `lts-sandbox sites …` and `lts-sandbox keys …`, on --url (running sandbox) or --data (file). */
import { isScope, scopes, type Scope } from '@leadtosheet/shared';
import { offlineTarget, remoteTarget, type AdminTarget } from './admin-target.js';
import { parse, required } from './args.js';
import { formatIssued, formatKeys, formatRevoked, formatSites } from './format.js';
import { UsageError } from './usage.js';

const targetOptions = {
  url: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function target(values: { url?: string; data?: string }, mayCreate = false): AdminTarget {
  if (values.url && values.data) throw new UsageError('Give either --url (a running sandbox) or --data (a data file), not both.');
  if (values.url) return remoteTarget(values.url);
  if (values.data) return offlineTarget(values.data, { mayCreate });
  throw new UsageError('Say where: --url http://127.0.0.1:PORT (a running sandbox) or --data FILE (a data file).');
}

function parseScopes(text: string): Scope[] {
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = list.filter((s) => !isScope(s));
  if (unknown.length) throw new UsageError(`Unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}: use ${scopes.join(', ')}.`);
  if (list.length === 0) throw new UsageError(`--scopes needs at least one of ${scopes.join(', ')}.`);
  return list.filter(isScope);
}

function parseExpiry(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (Number.isNaN(Date.parse(text))) throw new UsageError(`--expires must be an ISO 8601 date and time such as 2027-01-31T00:00:00Z (got "${text}").`);
  return new Date(text).toISOString();
}

const show = (json: boolean | undefined, value: unknown, human: string) => (json ? JSON.stringify(value, null, 2) : human);

export async function sitesCommand(args: string[]): Promise<string> {
  const [action, ...rest] = args;
  if (action === 'create') {
    const { values } = parse(rest, { ...targetOptions, name: { type: 'string' }, domain: { type: 'string' } });
    const name = required(values.name, '--name');
    const site = await target(values, true).createSite({ name, ...(values.domain ? { domain: values.domain } : {}) });
    return show(values.json, site, `Created site "${site.name}" (${site.id})${site.domain ? ` for ${site.domain}` : ''}.`);
  }
  if (action === 'list') {
    const { values } = parse(rest, targetOptions);
    const sites = await target(values).listSites();
    return show(values.json, sites, formatSites(sites));
  }
  throw new UsageError(action ? `Unknown sites command "${action}": use create or list.` : 'Missing sites command: create or list.');
}

export async function keysCommand(args: string[]): Promise<string> {
  const [action, ...rest] = args;
  switch (action) {
    case 'create': {
      const { values } = parse(rest, { ...targetOptions, site: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' }, expires: { type: 'string' } });
      const site = required(values.site, '--site');
      const name = required(values.name, '--name');
      const scopeList = parseScopes(required(values.scopes, '--scopes'));
      const expires = parseExpiry(values.expires);
      const issued = await target(values).createKey(site, { name, scopes: scopeList, ...(expires ? { expires_at: expires } : {}) });
      return show(values.json, issued, formatIssued(issued, 'Created'));
    }
    case 'list': {
      const { values } = parse(rest, { ...targetOptions, site: { type: 'string' } });
      const keys = await target(values).listKeys(required(values.site, '--site'));
      return show(values.json, keys, formatKeys(keys));
    }
    case 'revoke':
    case 'rotate': {
      const { values, positionals } = parse(rest, targetOptions, 1);
      const keyId = required(positionals[0], 'KEY_ID');
      if (action === 'revoke') {
        const revoked = await target(values).revokeKey(keyId);
        return show(values.json, revoked, formatRevoked(revoked));
      }
      const rotated = await target(values).rotateKey(keyId);
      return show(values.json, rotated, `${formatIssued(rotated, 'Rotated:')}\nThe old key ${rotated.revoked.prefix}… (${rotated.revoked.id}) is revoked.`);
    }
    default:
      throw new UsageError(action ? `Unknown keys command "${action}": use create, list, revoke or rotate.` : 'Missing keys command: create, list, revoke or rotate.');
  }
}
