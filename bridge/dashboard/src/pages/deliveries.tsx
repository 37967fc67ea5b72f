/**
 * The delivery log across subscriptions (operators, deliveries:read): filters by status,
 * subscription, site and time kept in the address, paged; each row opens the delivery
 * with every attempt. With deliveries:write: retry one now, and recover every parked
 * delivery of a subscription since a time. The attempt table and the recover form are
 * shared with the tenant's subscription page.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, query, type Page } from '../api';
import { onLink } from '../router';
import { holds, useSession } from '../session';
import { Badge, counted, Empty, ErrorNote, ListTable, Notice, Pager, Time, useAction, useLoad, usePaged } from '../ui';
import { FilterForm, PAGE_LIMIT, anyFilter, isoToLocal, localToIso, useSinceDraft, useUrlFilters, type Subscription } from './subscriptions';

export interface Attempt {
  at: string;
  status_code: number | null;
  latency_ms: number | null;
  response_body: string | null;
  error: string | null;
}

export interface Delivery {
  id: string;
  webhook_id: string;
  event_id: string;
  subscription_id: string;
  site_id?: string;
  status: 'pending' | 'retrying' | 'succeeded' | 'parked';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
  attempt_log?: Attempt[];
}

/** The values the APIs' `status` filter takes ("pending" includes those being retried). */
export const DELIVERY_FILTER_STATUSES = [
  ['pending', 'Pending or retrying'],
  ['succeeded', 'Succeeded'],
  ['parked', 'Parked (gave up)'],
] as const;

/** Where a delivery stands, in a few words: delivered when, next attempt when, or parked. */
export function DeliveryWhen({ d }: { d: Delivery }) {
  if (d.status === 'succeeded')
    return (
      <span>
        Delivered <Time at={d.delivered_at} />
      </span>
    );
  if (d.status === 'parked') return <span class="muted">No more attempts: retry or recover it</span>;
  return (
    <span>
      Next attempt <Time at={d.next_attempt_at} none="soon" />
    </span>
  );
}

/** Every attempt of a delivery: when, status code, latency, the receiver's answer (cut short by the bridge) and the error. */
export function AttemptLog({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return <Empty title="No attempt yet">The first attempt is made as soon as a worker picks the delivery up.</Empty>;
  return (
    <ListTable
      class="attempts"
      testid="attempt-log"
      caption={counted(attempts.length, 'attempt')}
      columns={[{ label: '#', num: true }, 'Time', { label: 'Status code', num: true }, { label: 'Latency', num: true }, 'Response', 'Error']}
    >
        {attempts.map((a, i) => (
          <tr key={`${a.at}-${i}`} data-testid="attempt-row">
            <td class="num">{i + 1}</td>
            <td>
              <Time at={a.at} />
            </td>
            <td class="num">{a.status_code ?? <span class="muted">none</span>}</td>
            <td class="num">{a.latency_ms === null ? '—' : `${a.latency_ms} ms`}</td>
            <td>{a.response_body ? <pre class="response-body">{a.response_body}</pre> : <span class="muted">—</span>}</td>
            <td>{a.error ? <span class="error-text">{a.error}</span> : <span class="muted">—</span>}</td>
          </tr>
        ))}
    </ListTable>
  );
}

/**
 * "Recover every parked delivery since a time": POST `path(subscription)` {since}. With
 * `subscription` fixed it asks only for the time; otherwise for the subscription id too.
 */
export function RecoverForm({ path, subscription, initialSubscription = '', onRecovered }: { path: (subscriptionId: string) => string; subscription?: string; initialSubscription?: string; onRecovered?: (n: number) => void }) {
  const [sub, setSub] = useState(subscription ?? initialSubscription);
  useEffect(() => {
    if (subscription === undefined) setSub(initialSubscription);
  }, [initialSubscription, subscription]);
  const [since, setSince] = useState(() => isoToLocal(new Date(Date.now() - 24 * 3_600_000).toISOString()));
  const [recovered, setRecovered] = useState<number>();
  const action = useAction();
  const err = action.error instanceof ApiError ? action.error : undefined;
  const id = subscription ?? sub.trim();
  const submit = async (e: Event) => {
    e.preventDefault();
    setRecovered(undefined);
    const iso = localToIso(since);
    const done = await action.run(() => call<{ recovered: number }>('POST', path(id), { since: iso || since }));
    if (done) {
      setRecovered(done.recovered);
      onRecovered?.(done.recovered);
    }
  };
  return (
    <form class="card recover" onSubmit={submit} aria-label="Recover parked deliveries">
      <h2>Recover parked deliveries</h2>
      <p class="hint">Every delivery that was parked (the bridge gave up on it) since the time below is delivered again, oldest first. The subscription must be enabled.</p>
      {subscription === undefined ? (
        <div class="field">
          <label for="recover-subscription">Subscription to recover (id)</label>
          <input id="recover-subscription" required maxLength={200} placeholder="hook_…" value={sub} onInput={(e) => setSub(e.currentTarget.value)} />
        </div>
      ) : null}
      <div class="field">
        <label for="recover-since">Parked since (your local time)</label>
        <input id="recover-since" type="datetime-local" required value={since} onInput={(e) => setSince(e.currentTarget.value)} />
        {err?.about('since') ? <p class="field-error">{err.about('since')}</p> : null}
      </div>
      <ErrorNote error={action.error} />
      {recovered !== undefined ? (
        <Notice>
          <span data-testid="recovered-count">
            {recovered === 0 ? 'Nothing to recover: no delivery was parked since then.' : `Recovered ${recovered} deliver${recovered === 1 ? 'y' : 'ies'}: queued for delivery again.`}
          </span>
        </Notice>
      ) : null}
      <button type="submit" class="primary" disabled={action.busy || !id || !since}>
        {action.busy ? 'Recovering…' : 'Recover parked deliveries'}
      </button>
    </form>
  );
}

const FILTERS = ['status', 'subscription', 'site', 'since'] as const;

/** A delivery's attempts, last status code and outcome (with its last error unless it succeeded), as table cells. */
export function DeliveryOutcomeCells({ d }: { d: Delivery }) {
  return (
    <>
      <td class="num">{d.attempts}</td>
      <td class="num">{d.last_status_code ?? <span class="muted">—</span>}</td>
      <td>
        <DeliveryWhen d={d} />
        {d.last_error && d.status !== 'succeeded' ? <div class="error-text small-text">{d.last_error}</div> : null}
      </td>
    </>
  );
}

function DeliveryRow({ d }: { d: Delivery }) {
  return (
    <tr data-testid="delivery-row" data-id={d.id} data-status={d.status}>
      <td>
        <a {...onLink(`/deliveries/${encodeURIComponent(d.id)}`)} aria-label={`Delivery ${d.id}`}>
          <code>{d.id}</code>
        </a>
      </td>
      <td>
        <Time at={d.created_at} />
      </td>
      <td>
        <Badge value={d.status} />
      </td>
      <td>
        <a {...onLink(`/deliveries${query({ subscription: d.subscription_id })}`)} title="Only this subscription's deliveries">
          <code>{d.subscription_id}</code>
        </a>
      </td>
      <td>{d.site_id ? <code>{d.site_id}</code> : null}</td>
      <DeliveryOutcomeCells d={d} />
    </tr>
  );
}

export function DeliveriesPage(_props: { params: Record<string, string> }) {
  const session = useSession();
  const canWrite = holds(session, 'deliveries:write');
  const [applied, apply] = useUrlFilters(FILTERS);
  const { draft, setDraft, applyDraft } = useSinceDraft(applied, apply);
  const list = usePaged(
    (before) => call<Page<Delivery>>('GET', `/admin/v1/deliveries${query({ ...applied, limit: PAGE_LIMIT, before })}`),
    [applied.status, applied.subscription, applied.site, applied.since],
  );
  const clear = () => apply({ status: '', subscription: '', site: '', since: '' });
  const rows = list.data?.data ?? [];

  return (
    <>
      <h1>Deliveries</h1>
      <p class="lead">Every webhook the bridge sent or will send, newest first. Open one to see each attempt and the receiver's answers.</p>
      <FilterForm label="Filter deliveries" onApply={() => applyDraft()} onClear={clear}>
        <div class="field">
          <label for="filter-status">Status</label>
          <select id="filter-status" value={draft.status} onChange={(e) => applyDraft({ ...draft, status: e.currentTarget.value })}>
            <option value="">Any status</option>
            {DELIVERY_FILTER_STATUSES.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-subscription">Subscription id</label>
          <input id="filter-subscription" type="search" maxLength={200} placeholder="hook_…" value={draft.subscription} onInput={(e) => setDraft({ ...draft, subscription: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="filter-site">Site id</label>
          <input id="filter-site" type="search" maxLength={200} placeholder="site_…" value={draft.site} onInput={(e) => setDraft({ ...draft, site: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="filter-since">Created since (your local time)</label>
          <input id="filter-since" type="datetime-local" value={draft.since} onInput={(e) => setDraft({ ...draft, since: e.currentTarget.value })} />
        </div>
      </FilterForm>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <p class="muted">Loading…</p> : null}
      {list.data && rows.length === 0 ? (
        anyFilter(applied) ? (
          <Empty title="No delivery matches these filters">Clear the filters, or pick an earlier time, to see more.</Empty>
        ) : (
          <Empty title="No deliveries yet">
            Deliveries appear once a site with an active subscription gets a new lead. Send a test event from the Subscriptions page to try a receiver now.
          </Empty>
        )
      ) : null}
      {rows.length ? (
        <ListTable
          class="deliveries"
          caption={counted(rows.length, 'delivery', 'deliveries')}
          page={list.pageNumber}
          columns={['Delivery', 'Created', 'Status', 'Subscription', 'Site', { label: 'Attempts', num: true }, { label: 'Last code', num: true }, 'Outcome']}
        >
          {rows.map((d) => (
            <DeliveryRow key={d.id} d={d} />
          ))}
        </ListTable>
      ) : null}
      <Pager pageNumber={list.pageNumber} older={list.older} newer={list.newer} />
      {canWrite ? <RecoverForm path={(id) => `/admin/v1/subscriptions/${encodeURIComponent(id)}/recover`} initialSubscription={applied.subscription} onRecovered={() => list.reload()} /> : null}
    </>
  );
}

export function DeliveryPage({ params }: { params: Record<string, string> }) {
  const session = useSession();
  const canWrite = holds(session, 'deliveries:write');
  const id = params.id ?? '';
  const one = useLoad(() => call<Delivery>('GET', `/admin/v1/deliveries/${encodeURIComponent(id)}`), [id]);
  const subId = one.data?.subscription_id;
  const sub = useLoad(
    () => (subId && holds(session, 'subscriptions:read') ? call<Subscription>('GET', `/admin/v1/subscriptions/${encodeURIComponent(subId)}`) : Promise.resolve(undefined)),
    [subId],
  );
  const retry = useAction();
  const [queued, setQueued] = useState(false);
  const d = one.data;

  const retryNow = async () => {
    setQueued(false);
    const done = await retry.run(() => call<Delivery>('POST', `/admin/v1/deliveries/${encodeURIComponent(id)}/retry`));
    if (done) {
      setQueued(true);
      one.reload();
    }
  };

  return (
    <>
      <p class="breadcrumb">
        <a {...onLink('/deliveries')}>← All deliveries</a>
        {subId ? (
          <>
            {' · '}
            <a {...onLink(`/deliveries${query({ subscription: subId })}`)}>This subscription's deliveries</a>
          </>
        ) : null}
      </p>
      <h1>
        Delivery <code>{id}</code>
      </h1>
      <ErrorNote error={one.error} />
      {one.loading && !d ? <p class="muted">Loading…</p> : null}
      {d ? (
        <>
          <section class="card" aria-label="Delivery details">
            <dl class="kv" data-testid="delivery-details">
              <dt>Status</dt>
              <dd data-testid="delivery-status">
                <Badge value={d.status} />
              </dd>
              <dt>Event</dt>
              <dd>
                <code>{d.event_id}</code>
              </dd>
              <dt>Webhook id</dt>
              <dd>
                <code>{d.webhook_id}</code> <span class="muted small-text">(the webhook-id header the receiver saw)</span>
              </dd>
              <dt>Subscription</dt>
              <dd>
                <code>{d.subscription_id}</code>
                {sub.data ? (
                  <>
                    {' '}
                    <span class="url">{sub.data.url}</span> <Badge value={sub.data.status} /> <span class="muted">{sub.data.site_name}</span>
                  </>
                ) : null}
              </dd>
              {d.site_id ? (
                <>
                  <dt>Site</dt>
                  <dd>
                    <code>{d.site_id}</code>
                  </dd>
                </>
              ) : null}
              <dt>Created</dt>
              <dd>
                <Time at={d.created_at} />
              </dd>
              <dt>Delivered</dt>
              <dd>
                <Time at={d.delivered_at} none="Not delivered" />
              </dd>
              <dt>Next attempt</dt>
              <dd>
                <Time at={d.next_attempt_at} none={d.status === 'parked' ? 'None: parked' : 'None'} />
              </dd>
              <dt>Attempts</dt>
              <dd>{d.attempts}</dd>
              <dt>Last status code</dt>
              <dd>{d.last_status_code ?? <span class="muted">—</span>}</dd>
              {d.last_error ? (
                <>
                  <dt>Last error</dt>
                  <dd class="error-text">{d.last_error}</dd>
                </>
              ) : null}
            </dl>
            <div class="actions">
              <button type="button" class="small" disabled={one.loading} onClick={one.reload}>
                {one.loading ? 'Refreshing…' : 'Refresh'}
              </button>
              {canWrite && d.status !== 'succeeded' ? (
                <button type="button" class="primary" disabled={retry.busy} onClick={retryNow}>
                  {retry.busy ? 'Retrying…' : 'Retry now'}
                </button>
              ) : null}
            </div>
            {queued ? <Notice>Queued for another attempt now. Refresh to see how it went.</Notice> : null}
            <ErrorNote error={retry.error} />
          </section>
          <section aria-label="Attempts">
            <h2>Attempts</h2>
            <AttemptLog attempts={d.attempt_log ?? []} />
          </section>
        </>
      ) : null}
    </>
  );
}
