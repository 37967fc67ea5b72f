/**
 * Admin keys (keys:admin): create with a name, scopes ticked one by one (none by default)
 * and an optional expiry or a one-hour temporary key, the key shown once; the list with
 * search by name and sort by created; rename, change scopes, rotate (shown once), revoke
 * and reactivate under "Show revoked keys", delete with a confirmation that it is permanent.
 */
import { useEffect, useState } from 'preact/hooks';
import { SCOPES, call, query, type Scope } from '../api';
import { useSession } from '../session';
import { Badge, ConfirmButton, counted, Empty, ErrorNote, ListTable, Notice, Pager, ShownOnce, Time, useAction, useLoad } from '../ui';

interface AdminKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  status: 'active' | 'revoked' | 'expired';
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  last_rotated_at: string | null;
}
type Issued = AdminKey & { key: string };

const PAGE_SIZE = 20;

const SCOPE_HELP: Record<Scope, string> = {
  'subscriptions:read': 'see sites and subscriptions',
  'subscriptions:write': 'pause, resume, rotate secrets, send test events',
  'deliveries:read': 'see the delivery log',
  'deliveries:write': 'retry and recover deliveries',
  'keys:admin': 'manage admin keys',
  'audit:read': 'read the audit log',
};

function ScopeBoxes({ idPrefix, value, onChange, held }: { idPrefix: string; value: Scope[]; onChange: (s: Scope[]) => void; held: Scope[] }) {
  return (
    <fieldset class="scopes">
      <legend>Scopes</legend>
      {SCOPES.map((s) => {
        const id = `${idPrefix}-${s.replace(':', '-')}`;
        const grantable = held.includes(s);
        return (
          <div class="check" key={s}>
            <input
              type="checkbox"
              id={id}
              checked={value.includes(s)}
              disabled={!grantable}
              onChange={(e) => onChange(e.currentTarget.checked ? SCOPES.filter((x) => x === s || value.includes(x)) : value.filter((x) => x !== s))}
            />
            <label for={id}>
              <code>{s}</code> <span class="muted">{grantable ? SCOPE_HELP[s] : 'not held by your key, so it cannot grant it'}</span>
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

function CreateKey({ onIssued }: { onIssued: (k: Issued, what: string) => void }) {
  const session = useSession();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [expiry, setExpiry] = useState<'never' | 'date' | 'temporary'>('never');
  const [date, setDate] = useState('');
  const action = useAction();
  const err = action.error as { about?: (f: string) => string | undefined } | undefined;
  const nameProblem = name.length > 100 ? 'name must be at most 100 characters' : undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { name, scopes };
    if (expiry === 'date') body.expires = date;
    if (expiry === 'temporary') body.temporary = true;
    const issued = await action.run(() => call<Issued>('POST', '/admin/v1/keys', body));
    if (issued) {
      setName('');
      setScopes([]);
      setExpiry('never');
      setDate('');
      onIssued(issued, `Key "${issued.name}" created`);
    }
  };

  return (
    <form class="card" onSubmit={submit} aria-label="Create an admin key">
      <h2>Create a key</h2>
      <label for="key-name">Name</label>
      <input id="key-name" required minLength={1} maxLength={100} value={name} placeholder="e.g. On-call runbook" onInput={(e) => setName(e.currentTarget.value)} />
      <p class="hint">1 to 100 characters; say who or what uses it.</p>
      {nameProblem || err?.about?.('name') ? <p class="field-error">{nameProblem ?? err?.about?.('name')}</p> : null}
      <ScopeBoxes idPrefix="new" value={scopes} onChange={setScopes} held={session.scopes} />
      {err?.about?.('scopes') ? <p class="field-error">{err.about('scopes')}</p> : null}
      <fieldset class="expiry">
        <legend>Expiry</legend>
        <div class="check">
          <input type="radio" id="exp-never" name="expiry" checked={expiry === 'never'} onChange={() => setExpiry('never')} />
          <label for="exp-never">Never expires</label>
        </div>
        <div class="check">
          <input type="radio" id="exp-date" name="expiry" checked={expiry === 'date'} onChange={() => setExpiry('date')} />
          <label for="exp-date">Expires on</label>
          <input type="date" aria-label="Expiry date" value={date} disabled={expiry !== 'date'} required={expiry === 'date'} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <div class="check">
          <input type="radio" id="exp-temp" name="expiry" checked={expiry === 'temporary'} onChange={() => setExpiry('temporary')} />
          <label for="exp-temp">Temporary: expires one hour after it is created</label>
        </div>
      </fieldset>
      {err?.about?.('expires') ? <p class="field-error">{err.about('expires')}</p> : null}
      <ErrorNote error={action.error} />
      <button type="submit" class="primary" disabled={action.busy || !name.trim() || !!nameProblem}>
        Create key
      </button>
      {scopes.length === 0 ? <p class="hint">No scope ticked: the key will be able to sign in but open no page. Tick what it needs.</p> : null}
    </form>
  );
}

function KeyRow({ k, onChanged, onIssued }: { k: AdminKey; onChanged: (msg: string) => void; onIssued: (k: Issued, what: string) => void }) {
  const session = useSession();
  const [editing, setEditing] = useState<'name' | 'scopes' | undefined>();
  const [name, setName] = useState(k.name);
  const [scopes, setScopes] = useState<Scope[]>(k.scopes);
  const action = useAction();
  const self = k.prefix === session.prefix;

  const save = async (e: Event) => {
    e.preventDefault();
    const body = editing === 'name' ? { name } : { scopes };
    const done = await action.run(() => call<AdminKey>('PATCH', `/admin/v1/keys/${encodeURIComponent(k.id)}`, body));
    if (done) {
      setEditing(undefined);
      onChanged(editing === 'name' ? `Renamed to "${done.name}"` : `Scopes of "${done.name}" changed`);
    }
  };
  const post = (verb: 'revoke' | 'reactivate') => action.run(async () => {
    await call('POST', `/admin/v1/keys/${encodeURIComponent(k.id)}/${verb}`);
    onChanged(verb === 'revoke' ? `Key "${k.name}" revoked: it stops working at once` : `Key "${k.name}" reactivated`);
  });

  return (
    <tr data-testid="key-row" data-prefix={k.prefix}>
      <td>
        {editing === 'name' ? (
          <form class="inline" onSubmit={save}>
            <input aria-label="New name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
            <button type="submit" class="primary small" disabled={action.busy}>
              Save
            </button>
            <button type="button" class="small" onClick={() => (setEditing(undefined), setName(k.name))}>
              Cancel
            </button>
          </form>
        ) : (
          <strong class="key-name">{k.name}</strong>
        )}
        {self ? <span class="muted"> (this key)</span> : null}
        <div class="muted small-text">by {k.created_by}</div>
      </td>
      <td>
        <code>{k.prefix}…</code>
      </td>
      <td>
        {editing === 'scopes' ? (
          <form class="inline-block" onSubmit={save}>
            <ScopeBoxes idPrefix={`edit-${k.id}`} value={scopes} onChange={setScopes} held={session.scopes} />
            <button type="submit" class="primary small" disabled={action.busy}>
              Save scopes
            </button>
            <button type="button" class="small" onClick={() => (setEditing(undefined), setScopes(k.scopes))}>
              Cancel
            </button>
          </form>
        ) : k.scopes.length ? (
          <ul class="scope-list">
            {k.scopes.map((s) => (
              <li key={s}>
                <code>{s}</code>
              </li>
            ))}
          </ul>
        ) : (
          <span class="muted">No scopes</span>
        )}
      </td>
      <td>
        <Time at={k.created_at} />
      </td>
      <td>
        <Time at={k.last_used_at} none="Never used" />
      </td>
      <td>
        {k.status === 'active' ? <Time at={k.expires_at} none="Never" /> : <Badge value={k.status} />}
        {k.status === 'revoked' ? (
          <div>
            <Time at={k.revoked_at} />
          </div>
        ) : null}
      </td>
      <td>
        <div class="row-actions" role="group" aria-label={`Actions for ${k.name}`}>
          {k.status !== 'revoked' ? (
            <>
              <button type="button" class="small" onClick={() => setEditing('name')}>
                Rename
              </button>
              <button type="button" class="small" onClick={() => setEditing('scopes')}>
                Change scopes
              </button>
              <ConfirmButton
                small
                label="Rotate"
                title={`Rotate "${k.name}"?`}
                confirmLabel="Rotate key"
                action={async () => {
                  const issued = await call<Issued>('POST', `/admin/v1/keys/${encodeURIComponent(k.id)}/rotate`);
                  onIssued(issued, `Key "${k.name}" rotated: the old key stopped working`);
                }}
              >
                <p>A new key replaces {k.prefix}…; the old one stops working at once. The new key is shown once.</p>
              </ConfirmButton>
              <ConfirmButton small label="Revoke" title={`Revoke "${k.name}"?`} confirmLabel="Revoke key" action={() => post('revoke')}>
                <p>
                  {k.prefix}… stops working on its next request{self ? ', and that includes this session' : ''}. You can reactivate it from "Show revoked keys".
                </p>
              </ConfirmButton>
            </>
          ) : (
            <button type="button" class="small" disabled={action.busy} onClick={() => post('reactivate')}>
              Reactivate
            </button>
          )}
          <ConfirmButton
            small
            danger
            label="Delete"
            title={`Delete "${k.name}" permanently?`}
            confirmLabel="Delete permanently"
            action={async () => {
              await call('DELETE', `/admin/v1/keys/${encodeURIComponent(k.id)}`);
              onChanged(`Key "${k.name}" deleted`);
            }}
          >
            <p>
              Deleting {k.prefix}… is permanent: it cannot be undone or reactivated, and whatever uses it stops working at once. Its audit entries stay.
            </p>
          </ConfirmButton>
        </div>
        <ErrorNote error={action.error} />
      </td>
    </tr>
  );
}

function KeyTable({ keys, onChanged, onIssued, caption }: { keys: AdminKey[]; onChanged: (m: string) => void; onIssued: (k: Issued, what: string) => void; caption: string }) {
  const [page, setPage] = useState(1);
  const pages = Math.max(1, Math.ceil(keys.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const shown = keys.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  return (
    <>
      <ListTable caption={caption} columns={['Name', 'Prefix', 'Scopes', 'Created', 'Last used', 'Expires', 'Actions']}>
        {shown.map((k) => (
          <KeyRow key={`${k.id}-${k.status}-${k.name}-${k.scopes.join()}`} k={k} onChanged={onChanged} onIssued={onIssued} />
        ))}
      </ListTable>
      <Pager pageNumber={current} newer={current > 1 ? () => setPage(current - 1) : undefined} older={current < pages ? () => setPage(current + 1) : undefined} />
    </>
  );
}

export function KeysPage(_props: { params: Record<string, string> }) {
  const [search, setSearch] = useState('');
  // The list follows the search box a quarter second after typing stops.
  const [searched, setSearched] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setSearched(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const [order, setOrder] = useState<'newest' | 'oldest'>('newest');
  const [showRevoked, setShowRevoked] = useState(false);
  const [issued, setIssued] = useState<{ key: Issued; what: string }>();
  const [message, setMessage] = useState<string>();
  const list = useLoad(() => call<{ data: AdminKey[] }>('GET', `/admin/v1/keys${query({ search: searched, sort: 'created', include_revoked: 'true' })}`), [searched]);

  const changed = (m: string) => {
    setMessage(m);
    list.reload();
  };
  const onIssued = (key: Issued, what: string) => {
    setIssued({ key, what });
    setMessage(undefined);
    list.reload();
  };
  const all = list.data?.data ?? [];
  const ordered = order === 'newest' ? all : [...all].reverse();
  const live = ordered.filter((k) => k.status !== 'revoked');
  const revoked = ordered.filter((k) => k.status === 'revoked');

  return (
    <>
      <h1>Admin keys</h1>
      <p class="lead">Bridge admin keys (ltb_…) open the operator API, the CLI's remote commands and these pages. Each holds only the scopes ticked for it.</p>
      {issued ? (
        <ShownOnce label={`${issued.what}: your new key`} value={issued.key.key} onDone={() => setIssued(undefined)}>
          <p>
            Prefix <code>{issued.key.prefix}…</code>, scopes {issued.key.scopes.length ? issued.key.scopes.join(', ') : 'none'}
            {issued.key.expires_at ? (
              <>
                , expires <Time at={issued.key.expires_at} />
              </>
            ) : null}
            .
          </p>
        </ShownOnce>
      ) : null}
      {message ? <Notice>{message}</Notice> : null}
      <CreateKey onIssued={onIssued} />
      <section class="card">
        <div class="toolbar">
          <label for="key-search">Search by name</label>
          <input id="key-search" type="search" maxLength={100} value={search} placeholder="name contains…" onInput={(e) => setSearch(e.currentTarget.value)} />
          <label for="key-order">Sort</label>
          <select id="key-order" value={order} onChange={(e) => setOrder(e.currentTarget.value as 'newest' | 'oldest')}>
            <option value="newest">Created: newest first</option>
            <option value="oldest">Created: oldest first</option>
          </select>
        </div>
        <ErrorNote error={list.error} />
        {list.loading && !list.data ? <p class="muted">Loading…</p> : null}
        {list.data && live.length === 0 ? (
          searched ? (
            <Empty title={`No key named like "${searched}"`}>Clear the search, or look under revoked keys.</Empty>
          ) : (
            <Empty title="No active keys">Create one above; its key is shown once.</Empty>
          )
        ) : null}
        {live.length ? <KeyTable keys={live} onChanged={changed} onIssued={onIssued} caption={counted(live.length, 'active or expired key')} /> : null}
        <div class="check">
          <input type="checkbox" id="show-revoked" checked={showRevoked} onChange={(e) => setShowRevoked(e.currentTarget.checked)} />
          <label for="show-revoked">Show revoked keys ({revoked.length})</label>
        </div>
        {showRevoked ? (
          <section aria-label="Revoked keys">
            <h2>Revoked keys</h2>
            {revoked.length ? <KeyTable keys={revoked} onChanged={changed} onIssued={onIssued} caption={`${revoked.length} revoked`} /> : <Empty title="No revoked keys" />}
          </section>
        ) : null}
      </section>
    </>
  );
}
