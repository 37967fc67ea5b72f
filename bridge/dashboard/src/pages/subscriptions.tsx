/**
 * Subscriptions across every site (operators, subscriptions:read): filters by site, status
 * and target host kept in the address (so /subscriptions?site=ID opens one site's), paged.
 * With subscriptions:write each row may be paused or resumed, get a new signing secret
 * (shown once, the old ones sign for 24 h more) or a test event. Also the parts the tenant
 * pages share: the subscription's shape, the rotated secret, a test event's outcome, and
 * filters kept in the address.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, query, type Page } from '../api';
import { onLink } from '../router';
import { holds, useSession } from '../session';
import { Badge, ConfirmButton, counted, Empty, ErrorNote, ListTable, Pager, ShownOnce, Time, useAction, useLoad, usePaged } from '../ui';

export interface Subscription {
  id: string;
  url: string;
  events: string[];
  form_id: string | null;
  description: string | null;
  status: 'active' | 'disabled' | 'auth_failed';
  enabled: boolean;
  disabled_reason: string | null;
  site_id: string;
  site_name?: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface Rotated {
  secret: string;
  previous_secrets_expire_at: string;
}

export interface TestResult {
  delivered: boolean;
  delivery_id: string;
  webhook_id: string;
  status_code: number | null;
  latency_ms: number | null;
  response_body: string | null;
  error: string | null;
}

export const PAGE_LIMIT = 50;

/** A `datetime-local` value (the browser's time zone) as ISO 8601 UTC, or '' when blank or unreadable. */
export function localToIso(v: string): string {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** An ISO time as a `datetime-local` value in the browser's time zone. */
export function isoToLocal(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * List filters kept in the address's query string (read on open, replaced on apply), so a
 * link such as /deliveries?subscription=ID opens the list filtered and a reload keeps it.
 */
export function useUrlFilters<K extends string>(names: readonly K[]): [Record<K, string>, (next: Record<K, string>) => void] {
  const read = () => {
    const q = new URLSearchParams(window.location.search);
    return Object.fromEntries(names.map((n) => [n, q.get(n) ?? ''])) as Record<K, string>;
  };
  const [applied, setApplied] = useState(read);
  useEffect(() => {
    const again = () => setApplied(read());
    window.addEventListener('popstate', again);
    return () => window.removeEventListener('popstate', again);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const apply = (next: Record<K, string>) => {
    const clean = Object.fromEntries(names.map((n) => [n, (next[n] ?? '').trim()])) as Record<K, string>;
    history.replaceState(null, '', `${window.location.pathname}${query(clean)}`);
    setApplied(clean);
  };
  return [applied, apply];
}

/**
 * The filter form's draft of filters that have a `since` time: shown in local time while
 * edited, applied as ISO (as typed when it is not a time the browser understood).
 */
export function useSinceDraft<K extends string>(applied: Record<K | 'since', string>, apply: (next: Record<K | 'since', string>) => void) {
  const toDraft = () => ({ ...applied, since: isoToLocal(applied.since) });
  const [draft, setDraft] = useState(toDraft);
  useEffect(() => setDraft(toDraft()), [applied]);
  const applyDraft = (d = draft) => apply({ ...d, since: localToIso(d.since) || d.since });
  return { draft, setDraft, applyDraft };
}

export const anyFilter = (f: Record<string, string>) => Object.values(f).some((v) => v !== '');

/** A filter form: its fields, Apply and Clear. */
export function FilterForm({ label, onApply, onClear, children }: { label: string; onApply: () => void; onClear: () => void; children: ComponentChildren }) {
  return (
    <form
      class="filters"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onApply();
      }}
    >
      {children}
      <div class="filter-actions">
        <button type="submit" class="primary small">
          Apply filters
        </button>
        <button type="button" class="small" onClick={onClear}>
          Clear filters
        </button>
      </div>
    </form>
  );
}

/** A just-rotated signing secret, shown once, with when the previous ones stop signing. */
export function RotatedSecret({ rotated, url, onDone }: { rotated: Rotated; url: string; onDone: () => void }) {
  return (
    <ShownOnce label="New signing secret" value={rotated.secret} onDone={onDone}>
      <p class="overlap" data-testid="secret-overlap">
        For <span class="url">{url}</span>. Until <Time at={rotated.previous_secrets_expire_at} /> every webhook carries a signature with the previous secret too, so the
        receiver can switch over without missing a delivery; after that only this secret signs.
      </p>
    </ShownOnce>
  );
}

/** What a test event got: delivered or not, the status code, the latency, the receiver's answer or the error. */
export function TestOutcome({ result, deliveryLink }: { result: TestResult; deliveryLink?: string }) {
  return (
    <div class={`test-result ${result.delivered ? 'test-ok' : 'test-failed'}`} role="status" data-testid="test-result">
      <strong>{result.delivered ? 'Test event delivered' : 'Test event not delivered'}</strong>
      <dl class="kv">
        <dt>Status code</dt>
        <dd data-testid="test-status-code">{result.status_code ?? <span class="muted">no answer</span>}</dd>
        <dt>Latency</dt>
        <dd>{result.latency_ms === null ? '—' : `${result.latency_ms} ms`}</dd>
        {result.error ? (
          <>
            <dt>Error</dt>
            <dd class="error-text">{result.error}</dd>
          </>
        ) : null}
        {result.response_body ? (
          <>
            <dt>Response</dt>
            <dd>
              <pre class="response-body">{result.response_body}</pre>
            </dd>
          </>
        ) : null}
        <dt>Delivery</dt>
        <dd>{deliveryLink ? <a {...onLink(deliveryLink)}>{result.delivery_id}</a> : <code>{result.delivery_id}</code>}</dd>
      </dl>
      {result.delivered ? null : <p class="hint">Test events are not retried: fix the receiver, then send another.</p>}
    </div>
  );
}

interface Site {
  id: string;
  name: string;
}

const STATUSES = ['active', 'disabled', 'auth_failed'] as const;
const FILTERS = ['site', 'status', 'target_host'] as const;

type Outcome = { kind: 'rotated'; rotated: Rotated } | { kind: 'tested'; result: TestResult } | { kind: 'message'; text: string };

/** A subscription's form filter, description and status (with the reason it is off), as table cells. */
export function SubscriptionCells({ sub }: { sub: Pick<Subscription, 'form_id' | 'description' | 'status' | 'disabled_reason'> }) {
  return (
    <>
      <td>{sub.form_id ? <code>{sub.form_id}</code> : <span class="muted">All forms</span>}</td>
      <td>{sub.description ?? <span class="muted">—</span>}</td>
      <td>
        <Badge value={sub.status} />
        {sub.disabled_reason ? <div class="reason small-text">{sub.disabled_reason}</div> : null}
      </td>
    </>
  );
}

function SubscriptionRow({ sub, canWrite, canReadDeliveries, onChanged }: { sub: Subscription; canWrite: boolean; canReadDeliveries: boolean; onChanged: () => void }) {
  const action = useAction();
  const [outcome, setOutcome] = useState<Outcome>();
  const path = `/admin/v1/subscriptions/${encodeURIComponent(sub.id)}`;
  const resume = () =>
    action.run(async () => {
      await call('POST', `${path}/resume`);
      setOutcome({ kind: 'message', text: 'Resumed: new leads are delivered again. Recover what was parked meanwhile from the delivery log.' });
      onChanged();
    });
  const test = () =>
    action.run(async () => {
      setOutcome(undefined);
      setOutcome({ kind: 'tested', result: await call<TestResult>('POST', `${path}/test`) });
    });

  return (
    <>
      <tr data-testid="subscription-row" data-id={sub.id}>
        <td>
          <span class="url">{sub.url}</span>
          <div class="muted small-text">
            <code>{sub.id}</code>
          </div>
        </td>
        <td>
          {sub.site_name}
          <div class="muted small-text">
            <code>{sub.site_id}</code>
          </div>
        </td>
        <SubscriptionCells sub={sub} />
        <td>
          <Time at={sub.created_at} />
          <div class="muted small-text">by {sub.created_by}</div>
        </td>
        <td>
          <div class="row-actions" role="group" aria-label={`Actions for ${sub.url}`}>
            {canReadDeliveries ? (
              <a class="button-link small" {...onLink(`/deliveries${query({ subscription: sub.id })}`)}>
                Deliveries
              </a>
            ) : null}
            {canWrite ? (
              <>
                {sub.enabled ? (
                  <ConfirmButton
                    small
                    label="Pause"
                    title={`Pause deliveries to ${sub.url}?`}
                    confirmLabel="Pause subscription"
                    action={async () => {
                      await call('POST', `${path}/pause`);
                      setOutcome({ kind: 'message', text: 'Paused: nothing is delivered to it until it is resumed.' });
                      onChanged();
                    }}
                  >
                    <p>Nothing is delivered to it until it is resumed; what is still pending for it is parked. After resuming, recover the parked deliveries from the delivery log.</p>
                  </ConfirmButton>
                ) : (
                  <button type="button" class="small" disabled={action.busy} onClick={resume}>
                    Resume
                  </button>
                )}
                <ConfirmButton
                  small
                  label="Rotate secret"
                  title={`Rotate the signing secret of ${sub.url}?`}
                  confirmLabel="Rotate secret"
                  action={async () => setOutcome({ kind: 'rotated', rotated: await call<Rotated>('POST', `${path}/rotate-secret`) })}
                >
                  <p>A new whsec_ secret is issued and shown once. The current one keeps signing for 24 hours, so the receiver has that long to switch to the new one.</p>
                </ConfirmButton>
                <button type="button" class="small" disabled={action.busy || !sub.enabled} title={sub.enabled ? undefined : 'Resume it first'} onClick={test}>
                  {action.busy ? 'Sending…' : 'Send test event'}
                </button>
              </>
            ) : null}
          </div>
          <ErrorNote error={action.error} />
        </td>
      </tr>
      {outcome ? (
        <tr class="row-outcome" data-testid="row-outcome">
          <td colSpan={7}>
            {outcome.kind === 'rotated' ? (
              <RotatedSecret rotated={outcome.rotated} url={sub.url} onDone={() => setOutcome(undefined)} />
            ) : outcome.kind === 'tested' ? (
              <>
                <TestOutcome result={outcome.result} deliveryLink={canReadDeliveries ? `/deliveries/${encodeURIComponent(outcome.result.delivery_id)}` : undefined} />
                <button type="button" class="small" onClick={() => setOutcome(undefined)}>
                  Dismiss
                </button>
              </>
            ) : (
              <div class="notice" role="status">
                {outcome.text}{' '}
                <button type="button" class="small" onClick={() => setOutcome(undefined)}>
                  Dismiss
                </button>
              </div>
            )}
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function SubscriptionsPage(_props: { params: Record<string, string> }) {
  const session = useSession();
  const canWrite = holds(session, 'subscriptions:write');
  const canReadDeliveries = holds(session, 'deliveries:read');
  const [applied, apply] = useUrlFilters(FILTERS);
  const [draft, setDraft] = useState(applied);
  useEffect(() => setDraft(applied), [applied]);
  const sites = useLoad(() => call<{ data: Site[] }>('GET', '/admin/v1/sites'), []);
  const list = usePaged(
    (before) => call<Page<Subscription>>('GET', `/admin/v1/subscriptions${query({ ...applied, limit: PAGE_LIMIT, before })}`),
    [applied.site, applied.status, applied.target_host],
  );
  const set = (k: (typeof FILTERS)[number], v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const siteOptions = sites.data?.data ?? [];
  const rows = list.data?.data ?? [];
  const siteName = siteOptions.find((s) => s.id === applied.site)?.name;

  return (
    <>
      <h1>Subscriptions</h1>
      <p class="lead">
        Every site's webhook subscriptions.{' '}
        {canWrite ? 'Pause or resume one, rotate its signing secret or send it a test event.' : 'Your key may look only: pausing, rotating and test events need subscriptions:write.'}
      </p>
      <FilterForm label="Filter subscriptions" onApply={() => apply(draft)} onClear={() => apply({ site: '', status: '', target_host: '' })}>
        <div class="field">
          <label for="filter-site">Site</label>
          <select id="filter-site" value={draft.site} onChange={(e) => apply({ ...draft, site: e.currentTarget.value })}>
            <option value="">All sites</option>
            {siteOptions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id})
              </option>
            ))}
            {draft.site && !siteOptions.some((s) => s.id === draft.site) ? <option value={draft.site}>{draft.site}</option> : null}
          </select>
        </div>
        <div class="field">
          <label for="filter-status">Status</label>
          <select id="filter-status" value={draft.status} onChange={(e) => apply({ ...draft, status: e.currentTarget.value })}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-host">Target host</label>
          <input id="filter-host" type="search" maxLength={253} placeholder="hooks.example.com" value={draft.target_host} onInput={(e) => set('target_host', e.currentTarget.value)} />
        </div>
      </FilterForm>
      <ErrorNote error={sites.error} />
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <p class="muted">Loading…</p> : null}
      {list.data && rows.length === 0 ? (
        anyFilter(applied) ? (
          <Empty title="No subscription matches these filters">
            Clear the filters{applied.site ? ` (site ${siteName ?? applied.site})` : ''} to see every subscription.
          </Empty>
        ) : (
          <Empty title="No subscriptions yet">
            A site owner creates one with the site's LeadToSheet API key (lts_…): by signing in here with it, through <code>POST /v1/subscriptions</code>, or by turning
            on a Zapier or n8n instant trigger for the site.
          </Empty>
        )
      ) : null}
      {rows.length ? (
        <ListTable
          class="subscriptions"
          caption={`${counted(rows.length, 'subscription')}${siteName ? ` of ${siteName}` : ''}`}
          page={list.pageNumber}
          columns={['URL', 'Site', 'Form', 'Description', 'Status', 'Created', 'Actions']}
        >
          {rows.map((sub) => (
            <SubscriptionRow key={sub.id} sub={sub} canWrite={canWrite} canReadDeliveries={canReadDeliveries} onChanged={list.reload} />
          ))}
        </ListTable>
      ) : null}
      <Pager pageNumber={list.pageNumber} older={list.older} newer={list.newer} />
    </>
  );
}
