/**
 * Every page of the dashboard: who may open it (operator with a scope, or tenant) and what
 * draws it. The navigation offers only the pages the session may open; opening another
 * one by its URL shows why it is not available (the API would refuse it too).
 */
import type { FunctionComponent } from 'preact';
import type { Scope, Session } from './api';
import { AuditPage } from './pages/audit';
import { DeliveriesPage, DeliveryPage } from './pages/deliveries';
import { KeysPage } from './pages/keys';
import { SitesPage } from './pages/sites';
import { SubscriptionsPage } from './pages/subscriptions';
import { TenantSubscriptionPage, TenantSubscriptionsPage } from './pages/tenant';

export interface PageRoute {
  /** A path pattern; `:name` parts become props. */
  path: string;
  title: string;
  /** Shown in the navigation (detail pages are not). */
  nav: boolean;
  who: 'operator' | 'tenant';
  scope?: Scope;
  page: FunctionComponent<{ params: Record<string, string> }>;
}

export const ROUTES: PageRoute[] = [
  { path: '/keys', title: 'Admin keys', nav: true, who: 'operator', scope: 'keys:admin', page: KeysPage },
  { path: '/sites', title: 'Sites', nav: true, who: 'operator', scope: 'subscriptions:read', page: SitesPage },
  { path: '/subscriptions', title: 'Subscriptions', nav: true, who: 'operator', scope: 'subscriptions:read', page: SubscriptionsPage },
  { path: '/deliveries', title: 'Deliveries', nav: true, who: 'operator', scope: 'deliveries:read', page: DeliveriesPage },
  { path: '/deliveries/:id', title: 'Delivery', nav: false, who: 'operator', scope: 'deliveries:read', page: DeliveryPage },
  { path: '/audit', title: 'Audit log', nav: true, who: 'operator', scope: 'audit:read', page: AuditPage },
  { path: '/site/subscriptions', title: 'Subscriptions', nav: true, who: 'tenant', page: TenantSubscriptionsPage },
  { path: '/site/subscriptions/:id', title: 'Subscription', nav: false, who: 'tenant', page: TenantSubscriptionPage },
];

export function match(path: string): { route: PageRoute; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    const names: string[] = [];
    const re = new RegExp(`^${route.path.replace(/:(\w+)/g, (_m, n: string) => (names.push(n), '([^/]+)'))}$`);
    const m = re.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return undefined;
}

/** Why this session may not open the route, or undefined when it may. */
export function refusal(s: Session, r: PageRoute): string | undefined {
  if (r.who === 'operator' && s.kind !== 'operator') return `${r.title} is an operator page: it needs a bridge admin key (ltb_…). You signed in with the site key ${s.prefix} for ${s.name}.`;
  if (r.who === 'tenant' && s.kind !== 'tenant') return `${r.title} is a site owner's page: sign in with that site's LeadToSheet API key (lts_…).`;
  if (r.scope && !s.scopes.includes(r.scope)) return `${r.title} needs the scope ${r.scope}, which the admin key ${s.prefix}… does not hold.`;
  return undefined;
}

export const allowed = (s: Session) => ROUTES.filter((r) => !refusal(s, r));
