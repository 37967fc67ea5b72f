/**
 * Sites (operators, subscriptions:read): every LeadToSheet site the bridge polls, with its
 * key's prefix, the last and next poll, a refused key (auth_failed) and the last error up
 * front, its subscriptions (active of all, linked to the subscriptions page filtered by the
 * site), the backlog still to deliver and what is parked.
 */
import { call, query } from '../api';
import { onLink } from '../router';
import { holds, useSession } from '../session';
import { Badge, counted, Empty, ErrorNote, ListTable, Time, useLoad } from '../ui';

interface Site {
  id: string;
  name: string;
  key_prefix: string;
  auth_failed: boolean;
  last_poll_at: string | null;
  next_poll_at: string | null;
  last_error_code: string | null;
  last_error: string | null;
  consecutive_errors: number;
  subscriptions: number;
  active_subscriptions: number;
  backlog: number;
  parked: number;
}

function SiteRow({ site, canReadDeliveries }: { site: Site; canReadDeliveries: boolean }) {
  const subsLink = onLink(`/subscriptions${query({ site: site.id })}`);
  return (
    <tr data-testid="site-row" data-id={site.id} class={site.auth_failed ? 'row-alert' : site.consecutive_errors > 0 ? 'row-warn' : ''}>
      <td>
        <strong class="site-name">{site.name}</strong>
        <div class="muted small-text">
          <code>{site.id}</code>
        </div>
      </td>
      <td>
        <code>{site.key_prefix}</code>
      </td>
      <td>
        {site.auth_failed ? (
          <div class="auth-failed" data-testid="auth-failed">
            <Badge value="auth_failed" />
            <p>
              <strong>LeadToSheet refused this site's API key{site.last_error_code ? ` (${site.last_error_code})` : ''}.</strong> Polling has stopped. {site.last_error}
            </p>
            <p class="hint">A site owner re-creates a subscription with a working lts_ key; polling starts again with that key.</p>
          </div>
        ) : site.consecutive_errors > 0 ? (
          <div class="poll-errors" data-testid="poll-errors">
            <Badge value="retrying" />
            <p>
              {site.consecutive_errors} failed poll{site.consecutive_errors === 1 ? '' : 's'} in a row{site.last_error_code ? ` (${site.last_error_code})` : ''}: {site.last_error ?? 'no message'}
            </p>
          </div>
        ) : site.active_subscriptions === 0 ? (
          <Badge value="idle" />
        ) : (
          <Badge value="ok" />
        )}
      </td>
      <td>
        <dl class="kv compact">
          <dt>Last poll</dt>
          <dd>
            <Time at={site.last_poll_at} none="Not polled yet" />
          </dd>
          <dt>Next poll</dt>
          <dd>
            {site.auth_failed ? <span class="muted">Stopped: the key was refused</span> : <Time at={site.next_poll_at} none="Not scheduled" />}
          </dd>
        </dl>
      </td>
      <td class="num">
        <a {...subsLink} aria-label={`Subscriptions of ${site.name}: ${site.active_subscriptions} active of ${site.subscriptions}`}>
          {site.active_subscriptions} / {site.subscriptions}
        </a>
      </td>
      <td class="num">{site.backlog}</td>
      <td class="num">
        {site.parked > 0 && canReadDeliveries ? (
          <a {...onLink(`/deliveries${query({ site: site.id, status: 'parked' })}`)} aria-label={`${site.parked} parked deliveries of ${site.name}`}>
            {site.parked}
          </a>
        ) : (
          site.parked
        )}
      </td>
      <td>
        <div class="row-actions" role="group" aria-label={`Actions for ${site.name}`}>
          <a class="button-link small" {...subsLink}>
            Subscriptions
          </a>
          {canReadDeliveries ? (
            <a class="button-link small" {...onLink(`/deliveries${query({ site: site.id })}`)}>
              Deliveries
            </a>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

export function SitesPage(_props: { params: Record<string, string> }) {
  const session = useSession();
  const canReadDeliveries = holds(session, 'deliveries:read');
  const list = useLoad(() => call<{ data: Site[] }>('GET', '/admin/v1/sites'), []);
  const sites = list.data?.data ?? [];
  const refused = sites.filter((s) => s.auth_failed);

  return (
    <>
      <h1>Sites</h1>
      <p class="lead">Every LeadToSheet site the bridge polls for new leads, with the state of its polling and what is waiting to be delivered.</p>
      <div class="toolbar">
        <button type="button" class="small" disabled={list.loading} onClick={list.reload}>
          {list.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <ErrorNote error={list.error} />
      {refused.length ? (
        <div class="error" role="alert" data-testid="auth-failed-summary">
          LeadToSheet refused the API key of {refused.length === 1 ? `1 site (${refused[0]!.name})` : `${refused.length} sites (${refused.map((s) => s.name).join(', ')})`}: polling
          stopped there until a subscription is re-created with a working key.
        </div>
      ) : null}
      {list.loading && !list.data ? <p class="muted">Loading…</p> : null}
      {list.data && sites.length === 0 ? (
        <Empty title="No sites yet">
          A site appears here once it has a subscription: a site owner creates one with the site's LeadToSheet API key (lts_…), by signing in to this dashboard with it,
          through <code>POST /v1/subscriptions</code>, or by turning on a Zapier or n8n instant trigger.
        </Empty>
      ) : null}
      {sites.length ? (
        <ListTable
          class="sites"
          caption={counted(sites.length, 'site')}
          columns={['Site', 'Key', 'State', 'Polling', { label: 'Subscriptions (active / all)', num: true }, { label: 'Backlog', num: true }, { label: 'Parked', num: true }, 'Links']}
        >
          {sites.map((s) => (
            <SiteRow key={s.id} site={s} canReadDeliveries={canReadDeliveries} />
          ))}
        </ListTable>
      ) : null}
    </>
  );
}
