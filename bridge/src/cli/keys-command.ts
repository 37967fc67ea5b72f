/** `lts-bridge keys …`: the admin key lifecycle from the bridge host, acting as "cli" (all scopes). */
import { CLI_ACTOR, type AdminKeys } from '../admin/key-service.js';
import { ADMIN_SCOPES } from '../admin/scopes.js';
import { parse, required } from './args.js';
import { formatIssued, formatKey, formatKeys } from './format.js';
import { UsageError } from './usage.js';

const ACTIONS = ['create', 'list', 'rename', 'set-scopes', 'revoke', 'reactivate', 'delete', 'rotate'] as const;
type Action = (typeof ACTIONS)[number];

/** "a,b", "all" or "none" (or empty); unknown names are refused by the key service, naming them. */
function scopeList(text: string): string[] {
  const t = text.trim();
  if (t === 'all') return [...ADMIN_SCOPES];
  if (t === '' || t === 'none') return [];
  return t.split(',').map((s) => s.trim()).filter(Boolean);
}

const show = (json: boolean | undefined, value: unknown, human: string) => (json ? JSON.stringify(value, null, 2) : human);

/** Checks the command line before the store is opened. */
export function checkKeysCommand(args: string[]): { action: Action; run: (keys: AdminKeys) => Promise<string> } {
  const [action, ...rest] = args;
  if (!action) throw new UsageError(`Missing keys command: ${ACTIONS.join(', ')}.`);
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`Unknown keys command "${action.slice(0, 40)}": use ${ACTIONS.join(', ')}.`);
  switch (action as Action) {
    case 'create': {
      const { values } = parse(rest, { name: { type: 'string' }, scopes: { type: 'string' }, expires: { type: 'string' }, temporary: { type: 'boolean' } });
      const name = required(values.name, '--name');
      if (values.expires !== undefined && values.temporary) throw new UsageError('Give either --expires or --temporary (one hour), not both.');
      const input = { name, scopes: scopeList(values.scopes ?? ''), ...(values.expires !== undefined ? { expires: values.expires } : {}), ...(values.temporary ? { temporary: true } : {}) };
      return {
        action: 'create',
        run: async (keys) => {
          const issued = await keys.create(CLI_ACTOR, input);
          return show(values.json, { ...issued.admin_key, key: issued.key }, formatIssued(issued, 'Created'));
        },
      };
    }
    case 'list': {
      const { values } = parse(rest, { search: { type: 'string' }, sort: { type: 'string' }, 'include-revoked': { type: 'boolean' } });
      const sort = values.sort === undefined || values.sort === 'created' ? 'created' : values.sort === 'last-used' || values.sort === 'last_used' ? 'last_used' : undefined;
      if (!sort) throw new UsageError(`--sort must be created or last-used (got "${values.sort!.slice(0, 40)}").`);
      return {
        action: 'list',
        run: async (keys) => {
          const list = await keys.list({ search: values.search, sort, includeRevoked: values['include-revoked'] ?? false });
          return show(values.json, list, formatKeys(list));
        },
      };
    }
    case 'rename':
    case 'set-scopes': {
      const rename = action === 'rename';
      const { values, positionals } = parse(rest, rename ? { name: { type: 'string' } } : { scopes: { type: 'string' } }, ['KEY']);
      const patch = rename ? { name: required(values.name as string | undefined, '--name') } : { scopes: scopeList(required(values.scopes as string | undefined, '--scopes')) };
      return {
        action: action as Action,
        run: async (keys) => {
          const k = await keys.update(CLI_ACTOR, await keys.resolve(positionals[0]!), patch);
          return show(values.json, k, formatKey(k, rename ? 'Renamed' : 'Changed the scopes of'));
        },
      };
    }
    case 'revoke':
    case 'reactivate': {
      const { values, positionals } = parse(rest, {}, ['KEY']);
      return {
        action: action as Action,
        run: async (keys) => {
          const k = await keys[action as 'revoke' | 'reactivate'](CLI_ACTOR, await keys.resolve(positionals[0]!));
          const note = action === 'revoke' ? '\nIt is refused from the next request on; reactivate it to undo.' : '';
          return show(values.json, k, `${formatKey(k, action === 'revoke' ? 'Revoked' : 'Reactivated')}${note}`);
        },
      };
    }
    case 'rotate': {
      const { values, positionals } = parse(rest, {}, ['KEY']);
      return {
        action: 'rotate',
        run: async (keys) => {
          const issued = await keys.rotate(CLI_ACTOR, await keys.resolve(positionals[0]!));
          return show(values.json, { ...issued.admin_key, key: issued.key }, `${formatIssued(issued, 'Rotated')}\nThe previous secret is refused from now on.`);
        },
      };
    }
    case 'delete': {
      const { values, positionals } = parse(rest, { yes: { type: 'boolean' } }, ['KEY']);
      if (!values.yes) throw new UsageError('Deleting a key is permanent: add --yes to confirm (or revoke it, which can be undone).');
      return {
        action: 'delete',
        run: async (keys) => {
          const k = await keys.delete(CLI_ACTOR, await keys.resolve(positionals[0]!));
          return show(values.json, { ...k, deleted: true }, `Deleted admin key "${k.name}" ${k.prefix}… (${k.id}) for good. Its audit entries remain.`);
        },
      };
    }
  }
}
