/** The demo site's content: realistic leads for "Acme Demo", times relative to now. */
import type { FieldValue, Scope, SubmissionMetadata } from '@leadtosheet/shared';
import { scopes } from '@leadtosheet/shared';

export const DEMO_SITE = { name: 'Acme Demo', domain: 'acme.example' } as const;

export const DEMO_FORMS = [
  { name: 'Contact', sheet_tab: 'Contact' },
  { name: 'Newsletter', sheet_tab: 'Newsletter' },
  { name: 'Demo request', sheet_tab: 'Demo requests' },
] as const;
export type DemoFormName = (typeof DEMO_FORMS)[number]['name'];

export const DEMO_KEYS: { role: 'full' | 'readOnly'; name: string; scopes: Scope[] }[] = [
  { role: 'full', name: 'Demo full access', scopes: [...scopes] },
  { role: 'readOnly', name: 'Demo read-only', scopes: ['submissions:read', 'forms:read'] },
];

export interface DemoLead {
  form: DemoFormName;
  hoursAgo: number;
  fields: Record<string, FieldValue>;
  metadata: SubmissionMetadata;
}

const UA_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const UA_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const UA_PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

export const DEMO_LEADS: DemoLead[] = [
  {
    form: 'Contact',
    hoursAgo: 70,
    fields: { 'Full name': 'Alice Martin', Email: 'alice.martin@example.com', Phone: '+1 415 555 0132', Message: 'Do you integrate with HubSpot? We have ~2,000 leads a month.' },
    metadata: { page_url: 'https://acme.example/contact', referrer: 'https://www.google.com/', utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand-q3', gclid: 'Cj0KCQjw-demo-1', user_agent: UA_MAC, ip: '203.0.113.10' },
  },
  {
    form: 'Newsletter',
    hoursAgo: 52,
    fields: { Email: 'bob.nguyen@example.org', 'First name': 'Bob', Interests: ['Product updates', 'Case studies'] },
    metadata: { page_url: 'https://acme.example/blog/lead-routing', referrer: 'https://news.ycombinator.com/', utm_source: 'hn', user_agent: UA_WIN, ip: '198.51.100.24' },
  },
  {
    form: 'Demo request',
    hoursAgo: 47,
    fields: { 'Full name': 'Chloé Dubois', Email: 'chloe@dubois-conseil.example', Company: 'Dubois Conseil', 'Team size': 12, 'Preferred date': '2026-02-03' },
    metadata: { page_url: 'https://acme.example/demo', referrer: 'https://www.linkedin.com/', utm_source: 'linkedin', utm_medium: 'social', utm_campaign: 'webinar-jan', user_agent: UA_MAC, ip: '192.0.2.77' },
  },
  {
    form: 'Contact',
    hoursAgo: 30,
    fields: { 'Full name': 'Dmitri Ivanov', Email: 'dmitri@example.net', Message: 'Invoice question: can we pay yearly by bank transfer?', 'Accepts marketing': false },
    metadata: { page_url: 'https://acme.example/pricing', referrer: null, user_agent: UA_WIN, ip: '203.0.113.52' },
  },
  {
    form: 'Demo request',
    hoursAgo: 26,
    fields: { 'Full name': 'Emma Schmidt', Email: 'emma.schmidt@example.de', Company: 'Schmidt & Partner GmbH', 'Team size': 45, Phone: '+49 30 5550 1234' },
    metadata: { page_url: 'https://acme.example/demo', referrer: 'https://www.facebook.com/', utm_source: 'facebook', utm_medium: 'paid-social', utm_campaign: 'retargeting', fbclid: 'IwAR-demo-2', user_agent: UA_PHONE, ip: '198.51.100.88' },
  },
  {
    form: 'Newsletter',
    hoursAgo: 9,
    fields: { Email: 'farid.haddad@example.com', 'First name': 'Farid' },
    metadata: { page_url: 'https://acme.example/', referrer: 'https://duckduckgo.com/', user_agent: UA_PHONE, ip: '192.0.2.15' },
  },
  {
    form: 'Contact',
    hoursAgo: 3,
    fields: { 'Full name': 'Grace Okafor', Email: 'grace.okafor@example.com', Message: 'Urgent: our Google Sheet stopped receiving leads since this morning.', Priority: 'High' },
    metadata: { page_url: 'https://acme.example/support', referrer: 'https://acme.example/docs', utm_source: 'docs', user_agent: UA_MAC, ip: '203.0.113.99' },
  },
  {
    form: 'Demo request',
    hoursAgo: 0.5,
    fields: { 'Full name': 'Hiro Tanaka', Email: 'hiro@tanaka-design.example', Company: 'Tanaka Design', 'Team size': 4, 'How did you hear about us?': 'A friend' },
    metadata: { page_url: 'https://acme.example/demo', referrer: 'https://www.bing.com/', utm_source: 'bing', utm_medium: 'cpc', utm_term: 'lead capture google sheets', user_agent: UA_WIN, ip: '198.51.100.3' },
  },
];
