/**
 * The sandbox's data: sites, keys, forms, submissions, in memory; with a data file,
 * loaded at start and written (atomically) after every change. Every change goes through
 * `mutate`, after the request has been fully validated: a failed request stores nothing.
 */
import { randomBytes } from 'node:crypto';
import { readDataFile, writeFileAtomic } from './persistence.js';
import { STORE_FORMAT_VERSION, type FormRecord, type KeyRecord, type SiteRecord, type StoreData, type SubmissionRecord } from './records.js';

export interface StoreOptions {
  /** JSON file to load from (when it exists) and to write after each change. */
  file?: string;
}

export interface StoreCounts {
  sites: number;
  keys: number;
  forms: number;
  submissions: number;
}

const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((i) => [i.id, i]));

export class Store {
  readonly file: string | undefined;
  /** Keys the HMAC of every API key. */
  readonly secret: Buffer;
  private sites = new Map<string, SiteRecord>();
  private keys = new Map<string, KeyRecord>();
  private keysByHash = new Map<string, KeyRecord>();
  private forms = new Map<string, FormRecord>();
  private submissions = new Map<string, SubmissionRecord>();
  /** The data file's content as last written: restored when a write fails. */
  private lastWritten: string | undefined;

  constructor(options: StoreOptions = {}) {
    this.file = options.file;
    const loaded = options.file ? readDataFile(options.file) : undefined;
    const data: StoreData = loaded ?? {
      version: STORE_FORMAT_VERSION,
      secret: randomBytes(32).toString('hex'),
      sites: [],
      keys: [],
      forms: [],
      submissions: [],
    };
    this.secret = Buffer.from(data.secret, 'hex');
    this.load(data);
    if (loaded) this.lastWritten = JSON.stringify(loaded);
    else this.persist();
  }

  /**
   * Runs a change, then writes the data file (when there is one). When the write fails,
   * the change is undone in memory too and the error goes up: the request fails whole.
   */
  mutate<T>(change: () => T): T {
    const result = change();
    try {
      this.persist();
    } catch (err) {
      if (this.lastWritten !== undefined) this.load(JSON.parse(this.lastWritten) as StoreData);
      throw err;
    }
    return result;
  }

  private load(data: StoreData) {
    this.sites = byId(data.sites);
    this.keys = byId(data.keys);
    this.keysByHash = new Map(data.keys.map((k) => [k.hash, k]));
    this.forms = byId(data.forms);
    this.submissions = byId(data.submissions);
  }

  site = (id: string) => this.sites.get(id);
  key = (id: string) => this.keys.get(id);
  keyByHash = (hash: string) => this.keysByHash.get(hash);
  form = (id: string) => this.forms.get(id);
  submission = (id: string) => this.submissions.get(id);

  allSites = () => [...this.sites.values()];
  keysOf = (siteId: string) => [...this.keys.values()].filter((k) => k.site_id === siteId);
  formsOf = (siteId: string) => [...this.forms.values()].filter((f) => f.site_id === siteId);
  submissionsOf = (siteId: string) => [...this.submissions.values()].filter((s) => s.site_id === siteId);

  counts(): StoreCounts {
    return { sites: this.sites.size, keys: this.keys.size, forms: this.forms.size, submissions: this.submissions.size };
  }

  /** Inserts a new record. Call inside `mutate`. */
  addSite(record: SiteRecord) {
    this.sites.set(record.id, record);
  }
  addKey(record: KeyRecord) {
    this.keys.set(record.id, record);
    this.keysByHash.set(record.hash, record);
  }
  addForm(record: FormRecord) {
    this.forms.set(record.id, record);
  }
  addSubmission(record: SubmissionRecord) {
    this.submissions.set(record.id, record);
  }

  /** A plain copy of everything, in the data file's format. */
  snapshot(): StoreData {
    return structuredClone(this.data());
  }

  private data(): StoreData {
    return {
      version: STORE_FORMAT_VERSION,
      secret: this.secret.toString('hex'),
      sites: [...this.sites.values()],
      keys: [...this.keys.values()],
      forms: [...this.forms.values()],
      submissions: [...this.submissions.values()],
    };
  }

  private persist() {
    if (!this.file) return;
    const text = JSON.stringify(this.data(), null, 2);
    writeFileAtomic(this.file, text);
    this.lastWritten = text;
  }
}
