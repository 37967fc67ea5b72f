/**
 * The demo seed: site "Acme Demo" (acme.example) with 3 forms, 8 leads with metadata, a
 * full-access key and a read-only key (submissions:read + forms:read). Seeding a store
 * that already holds the demo site adds nothing twice: it only issues the two keys anew
 * (rotating the previous demo keys), since a key can never be shown again.
 */
import type { Form, Site } from '@leadtosheet/shared';
import type { DomainContext } from '../domain/context.js';
import { createForm, formView, listForms } from '../domain/forms.js';
import { createKey, rotateKey } from '../domain/keys.js';
import { createSite, siteView } from '../domain/sites.js';
import { createSubmission } from '../domain/submissions.js';
import { DEMO_FORMS, DEMO_KEYS, DEMO_LEADS, DEMO_SITE } from './demo-data.js';

export interface DemoSeed {
  site: Site;
  forms: Form[];
  /** The two full keys, shown this once. */
  keys: { full: string; readOnly: string };
  keyIds: { full: string; readOnly: string };
}

const HOUR_MS = 3_600_000;

export function seedDemo(ctx: DomainContext): DemoSeed {
  const existing = ctx.store.allSites().find((s) => s.domain === DEMO_SITE.domain && s.name === DEMO_SITE.name);
  const site = existing ?? createSite(ctx, DEMO_SITE);

  if (!existing) {
    const forms = new Map(DEMO_FORMS.map((f) => [f.name, createForm(ctx, site.id, f)]));
    const now = ctx.now().getTime();
    for (const lead of DEMO_LEADS) {
      createSubmission(
        ctx,
        site.id,
        { form_id: forms.get(lead.form)!.id, fields: lead.fields, metadata: lead.metadata },
        { createdAt: new Date(now - lead.hoursAgo * HOUR_MS) },
      );
    }
  }

  const keys = { full: '', readOnly: '' };
  const keyIds = { full: '', readOnly: '' };
  for (const spec of DEMO_KEYS) {
    const previous = ctx.store.keysOf(site.id).find((k) => k.name === spec.name && !k.revoked);
    const issued = previous ? rotateKey(ctx, previous.id) : createKey(ctx, site.id, { name: spec.name, scopes: spec.scopes });
    keys[spec.role] = issued.key;
    keyIds[spec.role] = issued.api_key.id;
  }

  return { site: siteView(ctx, site), forms: listForms(ctx, site.id).map((f) => formView(ctx, f)), keys, keyIds };
}
