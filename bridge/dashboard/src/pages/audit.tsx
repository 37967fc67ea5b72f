/**
 * The audit log (operators, audit:read): who (an admin key's prefix, a site key's masked
 * prefix, or "cli") did what to which target, newest first, with filters by actor, action,
 * target and time kept in the address, paged.
 */
import { call, query, type Page } from '../api';
import { counted, Empty, ErrorNote, ListTable, Pager, Time, usePaged } from '../ui';
import { FilterForm, PAGE_LIMIT, anyFilter, useSinceDraft, useUrlFilters } from './subscriptions';

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  details: Record<string, unknown>;
}

const FILTERS = ['actor', 'action', 'target', 'since'] as const;

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return <span class="muted">—</span>;
  return (
    <dl class="details">
      {entries.map(([k, v]) => (
        <div key={k} class="detail">
          <dt>{k}:</dt> <dd>{show(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditPage(_props: { params: Record<string, string> }) {
  const [applied, apply] = useUrlFilters(FILTERS);
  const { draft, setDraft, applyDraft } = useSinceDraft(applied, apply);
  const list = usePaged(
    (before) => call<Page<AuditEntry>>('GET', `/admin/v1/audit${query({ ...applied, limit: PAGE_LIMIT, before })}`),
    [applied.actor, applied.action, applied.target, applied.since],
  );
  const rows = list.data?.data ?? [];
  const set = (k: (typeof FILTERS)[number], v: string) => setDraft((d) => ({ ...d, [k]: v }));

  return (
    <>
      <h1>Audit log</h1>
      <p class="lead">Who changed what: admin keys, subscriptions and deliveries, by operators (ltb_ key prefixes), site owners (lts_ key prefixes) and the CLI.</p>
      <FilterForm
        label="Filter the audit log"
        onApply={() => applyDraft()}
        onClear={() => apply({ actor: '', action: '', target: '', since: '' })}
      >
        <div class="field">
          <label for="filter-actor">Actor (key prefix)</label>
          <input id="filter-actor" type="search" maxLength={100} placeholder="ltb_… or lts_…" value={draft.actor} onInput={(e) => set('actor', e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="filter-action">Action</label>
          <input id="filter-action" type="search" maxLength={100} placeholder="subscription.paused" value={draft.action} onInput={(e) => set('action', e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="filter-target">Target id</label>
          <input id="filter-target" type="search" maxLength={200} placeholder="hook_…, msg_…, key id" value={draft.target} onInput={(e) => set('target', e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="filter-since">Since (your local time)</label>
          <input id="filter-since" type="datetime-local" value={draft.since} onInput={(e) => set('since', e.currentTarget.value)} />
        </div>
      </FilterForm>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <p class="muted">Loading…</p> : null}
      {list.data && rows.length === 0 ? (
        anyFilter(applied) ? (
          <Empty title="No entry matches these filters">Clear the filters or pick an earlier time. Actor and action must match exactly, such as ltb_AbCdEfGhIj or subscription.paused.</Empty>
        ) : (
          <Empty title="Nothing audited yet">Entries appear when a key is created or changed, a subscription is created, changed, paused or deleted, or a delivery is retried.</Empty>
        )
      ) : null}
      {rows.length ? (
        <ListTable class="audit" caption={counted(rows.length, 'entry', 'entries')} page={list.pageNumber} columns={['Time', 'Actor', 'Action', 'Target', 'Details']}>
          {rows.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-action={e.action}>
              <td>
                <Time at={e.at} />
              </td>
              <td>
                <code>{e.actor}</code>
              </td>
              <td>
                <code class="action">{e.action}</code>
              </td>
              <td>
                <span class="muted">{e.target_type}</span> <code>{e.target_id}</code>
              </td>
              <td>
                <Details details={e.details} />
              </td>
            </tr>
          ))}
        </ListTable>
      ) : null}
      <Pager pageNumber={list.pageNumber} older={list.older} newer={list.newer} />
    </>
  );
}
