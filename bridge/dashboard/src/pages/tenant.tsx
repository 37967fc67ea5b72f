/**
 * A site owner's pages (signed in with the site's LeadToSheet API key, over /v1): the
 * site's subscriptions and a form to create one (the whsec_ signing secret shown once);
 * one subscription to edit, pause, rotate its secret, test or delete, with its delivery
 * log (each delivery's attempts on demand, retry one, recover what was parked since a time).
 */
import { useState } from 'preact/hooks';
import { ApiError, call, query, type Page } from '../api';
import { navigate, onLink } from '../router';
import { useSession } from '../session';
import { Badge, ConfirmButton, counted, Empty, ErrorNote, ListTable, Notice, Pager, ShownOnce, Time, useAction, useLoad, usePaged } from '../ui';
import { AttemptLog, DELIVERY_FILTER_STATUSES, DeliveryOutcomeCells, RecoverForm, type Delivery } from './deliveries';
import { PAGE_LIMIT, RotatedSecret, SubscriptionCells, TestOutcome, type Rotated, type Subscription, type TestResult } from './subscriptions';

type Created = Subscription & { secret: string };

const subPath = (id: string) => `/v1/subscriptions/${encodeURIComponent(id)}`;

/** The API's message about one field, under that field. */
function FieldError({ error, field }: { error: unknown; field: string }) {
  const message = error instanceof ApiError ? error.about(field) : undefined;
  return message ? (
    <p class="field-error" id={`${field}-error`}>
      {message}
    </p>
  ) : null;
}

const invalid = (error: unknown, field: string) => (error instanceof ApiError && error.about(field) ? true : undefined);

type Fields = { url: string; formId: string; description: string };

/**
 * A subscription's URL, form id and description fields, each with the API's message about it.
 * The create form (`idPrefix` "sub") marks form id and description optional and explains
 * the URL; the edit form ("edit") does not.
 */
function SubscriptionFields(props: {
  idPrefix: string;
  value: Fields;
  onChange: (f: Fields) => void;
  error: unknown;
  optional?: boolean;
  urlPlaceholder?: string;
  urlHint?: string;
  formHint: string;
}) {
  const { idPrefix, value, onChange, error } = props;
  const optional = props.optional ? ' (optional)' : '';
  return (
    <>
      <div class="field">
        <label for={`${idPrefix}-url`}>Target URL</label>
        <input
          id={`${idPrefix}-url`}
          type="url"
          required
          maxLength={2000}
          placeholder={props.urlPlaceholder}
          value={value.url}
          aria-invalid={invalid(error, 'url')}
          aria-describedby="url-error"
          onInput={(e) => onChange({ ...value, url: e.currentTarget.value })}
        />
        {props.urlHint ? <p class="hint">{props.urlHint}</p> : null}
        <FieldError error={error} field="url" />
      </div>
      <div class="field">
        <label for={`${idPrefix}-form`}>Form id{optional}</label>
        <input
          id={`${idPrefix}-form`}
          maxLength={200}
          placeholder="All forms"
          value={value.formId}
          aria-invalid={invalid(error, 'form_id')}
          aria-describedby="form_id-error"
          onInput={(e) => onChange({ ...value, formId: e.currentTarget.value })}
        />
        <p class="hint">{props.formHint}</p>
        <FieldError error={error} field="form_id" />
      </div>
      <div class="field">
        <label for={`${idPrefix}-description`}>Description{optional}</label>
        <textarea
          id={`${idPrefix}-description`}
          maxLength={500}
          rows={2}
          value={value.description}
          aria-invalid={invalid(error, 'description')}
          aria-describedby="description-error"
          onInput={(e) => onChange({ ...value, description: e.currentTarget.value })}
        />
        <FieldError error={error} field="description" />
      </div>
    </>
  );
}

function CreateSubscription({ existing, onCreated }: { existing: string[]; onCreated: (s: Created, again: boolean) => void }) {
  const [fields, setFields] = useState<Fields>({ url: '', formId: '', description: '' });
  const { url, formId, description } = fields;
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { url: url.trim() };
    if (formId.trim()) body.form_id = formId.trim();
    if (description.trim()) body.description = description.trim();
    const made = await action.run(() => call<Created>('POST', '/v1/subscriptions', body));
    if (made) {
      setFields({ url: '', formId: '', description: '' });
      onCreated(made, existing.includes(made.id));
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-label="Create a subscription" noValidate>
      <h2>Create a subscription</h2>
      <SubscriptionFields
        idPrefix="sub"
        value={fields}
        onChange={setFields}
        error={action.error}
        optional
        urlPlaceholder="https://hooks.example.com/leads"
        urlHint="A public http(s) URL; it receives a signed webhook for each new lead."
        formHint="Only leads of this form; leave empty for every form of the site."
      />
      <ErrorNote error={action.error} />
      <button type="submit" class="primary" disabled={action.busy || !url.trim()}>
        {action.busy ? 'Creating…' : 'Create subscription'}
      </button>
    </form>
  );
}

export function TenantSubscriptionsPage(_props: { params: Record<string, string> }) {
  const session = useSession();
  const list = useLoad(() => call<{ data: Subscription[] }>('GET', '/v1/subscriptions'), []);
  const [created, setCreated] = useState<{ sub: Created; again: boolean }>();
  const rows = list.data?.data ?? [];
  const siteName = session.site?.name ?? session.name;

  return (
    <>
      <h1>Subscriptions of {siteName}</h1>
      <p class="lead">Each subscription sends a signed webhook to its URL for every new lead of this site (or of one form).</p>
      {created ? (
        <ShownOnce label="Signing secret" value={created.sub.secret} onDone={() => setCreated(undefined)}>
          <p>
            {created.again ? (
              <>
                <span class="url">{created.sub.url}</span> already had a subscription: it was updated, enabled and given this new secret. The previous secret keeps signing
                for 24 hours.
              </>
            ) : (
              <>
                Subscription created for <span class="url">{created.sub.url}</span>.
              </>
            )}{' '}
            The receiver verifies each webhook's <code>webhook-signature</code> header with this secret (Standard Webhooks).
          </p>
          <p>
            <a {...onLink(`/site/subscriptions/${encodeURIComponent(created.sub.id)}`)}>Open the subscription</a>
          </p>
        </ShownOnce>
      ) : null}
      <CreateSubscription
        existing={rows.map((r) => r.id)}
        onCreated={(sub, again) => {
          setCreated({ sub, again });
          list.reload();
        }}
      />
      <section aria-label="Your subscriptions">
        <h2>Your subscriptions</h2>
        <ErrorNote error={list.error} />
        {list.loading && !list.data ? <p class="muted">Loading…</p> : null}
        {list.data && rows.length === 0 ? (
          <Empty title="No subscriptions yet">
            Create one above with the URL that should receive a webhook for each new lead. Zapier and n8n instant triggers create theirs here by themselves when they are
            turned on.
          </Empty>
        ) : null}
        {rows.length ? (
          <ListTable class="subscriptions" caption={counted(rows.length, 'subscription')} columns={['URL', 'Form', 'Description', 'Status', 'Created']}>
            {rows.map((sub) => (
              <tr key={sub.id} data-testid="subscription-row" data-id={sub.id}>
                <td>
                  <a class="url" {...onLink(`/site/subscriptions/${encodeURIComponent(sub.id)}`)}>
                    {sub.url}
                  </a>
                  <div class="muted small-text">
                    <code>{sub.id}</code>
                  </div>
                </td>
                <SubscriptionCells sub={sub} />
                <td>
                  <Time at={sub.created_at} />
                </td>
              </tr>
            ))}
          </ListTable>
        ) : null}
      </section>
    </>
  );
}

function EditSubscription({ sub, onSaved }: { sub: Subscription; onSaved: (s: Subscription) => void }) {
  const [fields, setFields] = useState<Fields>({ url: sub.url, formId: sub.form_id ?? '', description: sub.description ?? '' });
  const { url, formId, description } = fields;
  const [enabled, setEnabled] = useState(sub.enabled);
  const [saved, setSaved] = useState<string>();
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(undefined);
    const body: Record<string, unknown> = {};
    if (url.trim() !== sub.url) body.url = url.trim();
    if ((formId.trim() || null) !== sub.form_id) body.form_id = formId.trim() || null;
    if ((description.trim() || null) !== sub.description) body.description = description.trim() || null;
    if (enabled !== sub.enabled) body.enabled = enabled;
    if (Object.keys(body).length === 0) {
      setSaved('Nothing changed.');
      return;
    }
    const done = await action.run(() => call<Subscription>('PATCH', subPath(sub.id), body));
    if (done) {
      setSaved('Saved.');
      onSaved(done);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-label="Edit the subscription" noValidate>
      <h2>Settings</h2>
      <SubscriptionFields idPrefix="edit" value={fields} onChange={setFields} error={action.error} formHint="Leave empty for every form of the site." />
      <div class="check">
        <input id="edit-enabled" type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        <label for="edit-enabled">Enabled: deliver new leads to this URL</label>
      </div>
      <FieldError error={action.error} field="enabled" />
      <ErrorNote error={action.error} />
      {saved ? <Notice>{saved}</Notice> : null}
      <button type="submit" class="primary" disabled={action.busy}>
        {action.busy ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}

function TenantDeliveryRow({ subId, d, onChanged }: { subId: string; d: Delivery; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  const [version, setVersion] = useState(0);
  const retry = useAction();
  const [queued, setQueued] = useState(false);
  const detailId = `attempts-${d.id}`;
  const detail = useLoad(
    () => (open ? call<Delivery>('GET', `${subPath(subId)}/deliveries/${encodeURIComponent(d.id)}`) : Promise.resolve(undefined)),
    [open, version, d.id],
  );
  const retryNow = async () => {
    setQueued(false);
    const done = await retry.run(() => call<Delivery>('POST', `${subPath(subId)}/deliveries/${encodeURIComponent(d.id)}/retry`));
    if (done) {
      setQueued(true);
      setVersion((v) => v + 1);
      onChanged();
    }
  };
  return (
    <>
      <tr data-testid="delivery-row" data-id={d.id} data-status={d.status}>
        <td>
          <code>{d.id}</code>
        </td>
        <td>
          <Time at={d.created_at} />
        </td>
        <td>
          <Badge value={d.status} />
        </td>
        <DeliveryOutcomeCells d={d} />
        <td>
          <div class="row-actions" role="group" aria-label={`Actions for delivery ${d.id}`}>
            <button type="button" class="small" aria-expanded={open} aria-controls={detailId} onClick={() => setOpen((o) => !o)}>
              {open ? 'Hide attempts' : 'Show attempts'}
            </button>
            {d.status !== 'succeeded' ? (
              <button type="button" class="small" disabled={retry.busy} onClick={retryNow}>
                {retry.busy ? 'Retrying…' : 'Retry'}
              </button>
            ) : null}
          </div>
          {queued ? <span class="ok small-text">Queued for another attempt</span> : null}
          <ErrorNote error={retry.error} />
        </td>
      </tr>
      {open ? (
        <tr class="row-detail" id={detailId} data-testid="delivery-attempts">
          <td colSpan={7}>
            <ErrorNote error={detail.error} />
            {detail.loading && !detail.data ? <p class="muted">Loading attempts…</p> : null}
            {detail.data ? <AttemptLog attempts={detail.data.attempt_log ?? []} /> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

function TenantDeliveryLog({ sub, version }: { sub: Subscription; version: number }) {
  const [status, setStatus] = useState('');
  const [recoveries, setRecoveries] = useState(0);
  const list = usePaged(
    (before) => call<Page<Delivery>>('GET', `${subPath(sub.id)}/deliveries${query({ status, limit: PAGE_LIMIT, before })}`),
    [sub.id, status, version, recoveries],
  );
  const rows = list.data?.data ?? [];
  return (
    <section aria-label="Delivery log">
      <h2>Delivery log</h2>
      <div class="toolbar">
        <label for="log-status">Status</label>
        <select id="log-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">Any status</option>
          {DELIVERY_FILTER_STATUSES.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
        <button type="button" class="small" disabled={list.loading} onClick={list.reload}>
          {list.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <p class="muted">Loading…</p> : null}
      {list.data && rows.length === 0 ? (
        status ? (
          <Empty title={`No ${status} deliveries`}>Pick another status, or "Any status", to see the others.</Empty>
        ) : (
          <Empty title="No deliveries yet">A delivery appears here for each new lead{sub.form_id ? ` of form ${sub.form_id}` : ''}. Send a test event above to try the receiver now.</Empty>
        )
      ) : null}
      {rows.length ? (
        <ListTable
          class="deliveries"
          caption={counted(rows.length, 'delivery', 'deliveries')}
          page={list.pageNumber}
          columns={['Delivery', 'Created', 'Status', { label: 'Attempts', num: true }, { label: 'Last code', num: true }, 'Outcome', 'Actions']}
        >
          {rows.map((d) => (
            <TenantDeliveryRow key={d.id} subId={sub.id} d={d} onChanged={list.reload} />
          ))}
        </ListTable>
      ) : null}
      <Pager pageNumber={list.pageNumber} older={list.older} newer={list.newer} />
      <RecoverForm path={() => `${subPath(sub.id)}/recover`} subscription={sub.id} onRecovered={() => setRecoveries((n) => n + 1)} />
    </section>
  );
}

export function TenantSubscriptionPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const one = useLoad(() => call<Subscription>('GET', subPath(id)), [id]);
  const [rotated, setRotated] = useState<Rotated>();
  const [tested, setTested] = useState<TestResult>();
  const [logVersion, setLogVersion] = useState(0);
  const test = useAction();
  const sub = one.data;

  const sendTest = async () => {
    setTested(undefined);
    const result = await test.run(() => call<TestResult>('POST', `${subPath(id)}/test`));
    if (result) {
      setTested(result);
      setLogVersion((v) => v + 1);
    }
  };

  return (
    <>
      <p class="breadcrumb">
        <a {...onLink('/site/subscriptions')}>← All subscriptions</a>
      </p>
      <h1>Subscription</h1>
      <ErrorNote error={one.error} />
      {one.loading && !sub ? <p class="muted">Loading…</p> : null}
      {sub ? (
        <>
          <section class="card" aria-label="Subscription details">
            <p class="url subscription-url">{sub.url}</p>
            <dl class="kv" data-testid="subscription-details">
              <dt>Status</dt>
              <dd data-testid="subscription-status">
                <Badge value={sub.status} />
                {sub.disabled_reason ? <span class="reason"> {sub.disabled_reason}</span> : null}
              </dd>
              <dt>Id</dt>
              <dd>
                <code>{sub.id}</code>
              </dd>
              <dt>Form</dt>
              <dd>{sub.form_id ? <code>{sub.form_id}</code> : 'All forms'}</dd>
              <dt>Events</dt>
              <dd>{sub.events.join(', ')}</dd>
              <dt>Created</dt>
              <dd>
                <Time at={sub.created_at} /> <span class="muted">by {sub.created_by}</span>
              </dd>
              <dt>Changed</dt>
              <dd>
                <Time at={sub.updated_at} />
              </dd>
            </dl>
          </section>
          <EditSubscription key={sub.updated_at} sub={sub} onSaved={() => one.reload()} />
          <section class="card" aria-label="Signing secret and test event">
            <h2>Signing secret and test event</h2>
            {rotated ? <RotatedSecret rotated={rotated} url={sub.url} onDone={() => setRotated(undefined)} /> : null}
            <div class="actions">
              <ConfirmButton
                label="Rotate secret"
                title="Rotate the signing secret?"
                confirmLabel="Rotate secret"
                action={async () => setRotated(await call<Rotated>('POST', `${subPath(id)}/rotate-secret`))}
              >
                <p>A new whsec_ secret is issued and shown once. The current one keeps signing for 24 hours, so the receiver has that long to switch to the new one.</p>
              </ConfirmButton>
              <button type="button" disabled={test.busy || !sub.enabled} onClick={sendTest}>
                {test.busy ? 'Sending…' : 'Send test event'}
              </button>
            </div>
            {!sub.enabled ? <p class="hint">Enable the subscription to send a test event.</p> : null}
            <ErrorNote error={test.error} />
            {tested ? <TestOutcome result={tested} /> : null}
          </section>
          <section class="card danger-zone" aria-label="Delete the subscription">
            <h2>Delete</h2>
            <ConfirmButton
              danger
              label="Delete subscription"
              title="Delete this subscription permanently?"
              confirmLabel="Delete permanently"
              action={async () => {
                await call('DELETE', subPath(id));
                navigate('/site/subscriptions');
              }}
            >
              <p>
                Deleting the subscription to <span class="url">{sub.url}</span> is permanent: deliveries to it stop at once, including those still pending, and it cannot be
                undone. Create a new one to deliver again.
              </p>
            </ConfirmButton>
          </section>
          <TenantDeliveryLog sub={sub} version={logVersion} />
        </>
      ) : null}
    </>
  );
}
