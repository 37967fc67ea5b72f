/**
 * What the sandbox stores, exactly as it is written to a `--data` file. Field names are
 * snake_case like the API. A key record holds only the HMAC of the key, never the key.
 */
import type { FieldValue, Scope, SubmissionMetadata } from '@leadtosheet/shared';

export interface SiteRecord {
  id: string;
  name: string;
  domain: string | null;
  created_at: string;
}

export interface KeyRecord {
  id: string;
  site_id: string;
  name: string;
  /** The first characters of the key (`lts_ab12`), for lists and logs. */
  prefix: string;
  /** Hex HMAC-SHA256 of the full key under the store's secret. */
  hash: string;
  scopes: Scope[];
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked: boolean;
  revoked_at: string | null;
  /** The key that replaced this one by rotation. */
  replaced_by: string | null;
}

export interface FormRecord {
  id: string;
  site_id: string;
  name: string;
  sheet_tab: string;
  ignored: boolean;
  created_at: string;
  updated_at: string;
}

export interface SubmissionRecord {
  id: string;
  site_id: string;
  form_id: string;
  fields: Record<string, FieldValue>;
  metadata: SubmissionMetadata;
  is_spam: boolean;
  created_at: string;
}

export const STORE_FORMAT_VERSION = 1;

export interface StoreData {
  version: typeof STORE_FORMAT_VERSION;
  /** Hex server secret keying the key hashes: per store, kept with the data. */
  secret: string;
  sites: SiteRecord[];
  keys: KeyRecord[];
  forms: FormRecord[];
  submissions: SubmissionRecord[];
}
