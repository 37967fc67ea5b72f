/**
 * /v1/subscriptions: a tenant's webhook subscriptions, bound to the site of the key used.
 * Creating one checks the key holds submissions:read, the target is a public http(s) URL
 * and the form exists; the whsec_ signing secret is returned once. Nothing is stored when
 * any check fails. Subscribing is idempotent per target URL: the same URL again (a retried
 * Zapier performSubscribe, a re-activated n8n workflow) answers 200 with the same
 * subscription, updated, enabled, and a fresh secret (the old one signs for 24 h more).
 * `GET /v1/subscriptions?url=` finds a URL's subscription.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { LeadToSheetError, type LeadToSheetClient } from '@leadtosheet/shared';
import { newId } from '../ids.js';
import { auditRepo } from '../db/audit-repo.js';
import { subscriptionsRepo, type SubscriptionRow } from '../db/subscriptions-repo.js';
import { sitesRepo } from '../db/sites-repo.js';
import { checkTarget } from '../delivery/safe-target.js';
import { maskSecret, newSigningSecret } from '../delivery/sign-webhook.js';
import { EVENT_TYPE } from '../polling/outbox.js';
import type { BridgeServices } from '../services.js';
import { HttpError, asyncRoute, fromUpstream, fromZod, invalid, notFound } from './http-error.js';
import { presentSubscription } from './present.js';

export const SECRET_GRACE_MS = 24 * 3_600_000;

/**
 * A new signing secret for a subscription, audited as `actor` in the same transaction; the
 * ones before it keep signing for SECRET_GRACE_MS. The secret is returned, never logged whole.
 */
export async function rotateSigningSecret(s: Pick<BridgeServices, 'db' | 'box' | 'log'>, row: Pick<SubscriptionRow, 'id' | 'site_id'>, actor: string) {
  const secret = newSigningSecret();
  const expires = await s.db.transaction(async (tx) => {
    await auditRepo.record(tx, { actor, action: 'subscription.secret_rotated', targetType: 'subscription', targetId: row.id, details: { site_id: row.site_id } });
    return subscriptionsRepo.rotateSecret(tx, row.id, { id: newId('sec'), sealed: s.box.seal(secret) }, SECRET_GRACE_MS);
  });
  s.log.info({ actor, subscription: row.id, secret: maskSecret(secret) }, 'signing secret rotated');
  return { secret, previous_secrets_expire_at: expires.toISOString() };
}

const eventsField = z
  .array(z.string(), { error: `events must be a list, such as ["${EVENT_TYPE}"]` })
  .min(1, `events must name at least one event type ("${EVENT_TYPE}")`)
  .refine((list) => list.every((e) => e === EVENT_TYPE), { message: `unknown event type; the only one is "${EVENT_TYPE}"` });
const formIdField = z.string().trim().min(1, 'form_id must not be empty').max(200).nullable();
const descriptionField = z.string().max(500, 'description must be at most 500 characters').nullable();

const CreateBody = z.strictObject({
  url: z.string({ error: 'url is required: the https URL that will receive the webhooks' }),
  events: eventsField.default([EVENT_TYPE]),
  form_id: formIdField.optional(),
  description: descriptionField.optional(),
});
const UpdateBody = z
  .strictObject({ url: z.string().optional(), form_id: formIdField.optional(), enabled: z.boolean().optional(), description: descriptionField.optional(), events: eventsField.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update: give at least one of url, form_id, enabled, description' });

export function subscriptionsRoutes(s: BridgeServices): Router {
  const r = Router();

  const targetOrThrow = async (url: string) => {
    const check = await checkTarget(url, s.config.allowPrivateTargets);
    if (!check.ok) throw invalid('url', check.reason);
    return check.url.toString();
  };

  /** A form filter must name a form of this site (when the key may read forms). */
  const checkForm = async (client: LeadToSheetClient, formId: string) => {
    try {
      await client.getForm(formId);
    } catch (err) {
      if (err instanceof LeadToSheetError && err.status === 404) throw invalid('form_id', `no form "${formId}" on this site`);
      if (err instanceof LeadToSheetError && err.status === 403) return; // the key cannot read forms: accept the id as given
      throw err;
    }
  };

  const own = async (req: Request) => {
    const id = String(req.params.id);
    const row = await subscriptionsRepo.get(s.db, id, req.tenant!.site.id);
    if (!row) throw notFound(`Subscription "${id}"`);
    return row;
  };

  r.post(
    '/',
    asyncRoute(async (req, res) => {
      const tenant = req.tenant!;
      const body = CreateBody.safeParse(req.body ?? {});
      if (!body.success) throw fromZod(body.error);
      const url = await targetOrThrow(body.data.url);
      try {
        await tenant.client.listSubmissions({ perPage: 1 });
      } catch (err) {
        if (err instanceof LeadToSheetError) throw fromUpstream(err);
        throw err;
      }
      if (body.data.form_id) await checkForm(tenant.client, body.data.form_id);

      // Baseline before the first subscription of a site: leads from now on are delivered.
      const existing = await sitesRepo.get(s.db, tenant.site.id);
      const baseline = existing?.poll_state ? undefined : (await s.poller.runEngine(tenant.client, null)).state;

      const secret = newSigningSecret();
      const sealed = { id: newId('sec'), sealed: s.box.seal(secret) };
      const formId = body.data.form_id ?? null;
      const outcome = await s.db.transaction(async (tx) => {
        await sitesRepo.upsertWithKey(tx, { id: tenant.site.id, name: tenant.site.name, keySealed: s.box.seal(tenant.key), keyPrefix: tenant.keyPrefix });
        if (baseline) await sitesRepo.setBaselineIfMissing(tx, tenant.site.id, baseline);
        // Idempotent per target URL: a retried subscribe (Zapier, n8n) finds the first one.
        await subscriptionsRepo.lockUrl(tx, tenant.site.id, url);
        const [existing] = await subscriptionsRepo.findByUrl(tx, tenant.site.id, url);
        if (existing) {
          await subscriptionsRepo.update(tx, existing.id, { formId, enabled: true, description: body.data.description === undefined ? undefined : body.data.description });
          await subscriptionsRepo.rotateSecret(tx, existing.id, sealed, SECRET_GRACE_MS);
          await auditRepo.record(tx, { actor: tenant.keyPrefix, action: 'subscription.resubscribed', targetType: 'subscription', targetId: existing.id, details: { site_id: tenant.site.id, target_host: new URL(url).host, form_id: formId } });
          return { id: existing.id, created: false };
        }
        const id = newId('hook');
        await subscriptionsRepo.insert(tx, { id, siteId: tenant.site.id, url, events: body.data.events, formId, description: body.data.description ?? null, createdBy: tenant.keyPrefix }, sealed);
        await auditRepo.record(tx, { actor: tenant.keyPrefix, action: 'subscription.created', targetType: 'subscription', targetId: id, details: { site_id: tenant.site.id, target_host: new URL(url).host, form_id: formId } });
        return { id, created: true };
      });
      await s.polls.schedule(tenant.site.id);
      s.log.info({ subscription: outcome.id, site: tenant.site.id, key: tenant.keyPrefix }, outcome.created ? 'subscription created' : 'subscription re-subscribed: same target URL, new signing secret');
      const row = (await subscriptionsRepo.get(s.db, outcome.id))!;
      res.status(outcome.created ? 201 : 200).json({ ...presentSubscription(row, tenant.site), secret });
    }),
  );

  r.get(
    '/',
    asyncRoute(async (req, res) => {
      const url = req.query.url;
      if (url !== undefined && (typeof url !== 'string' || !URL.canParse(url))) throw invalid('url', 'give one absolute http(s) URL to find its subscription, such as ?url=https://hooks.example.com/abc');
      const site = req.tenant!.site.id;
      const rows = url === undefined ? await subscriptionsRepo.listBySite(s.db, site) : await subscriptionsRepo.findByUrl(s.db, site, new URL(url).toString());
      res.json({ data: rows.map((row) => presentSubscription(row, req.tenant!.site)) });
    }),
  );

  r.get(
    '/:id',
    asyncRoute(async (req, res) => {
      res.json(presentSubscription(await own(req), req.tenant!.site));
    }),
  );

  r.patch(
    '/:id',
    asyncRoute(async (req, res) => {
      const row = await own(req);
      const body = UpdateBody.safeParse(req.body ?? {});
      if (!body.success) throw fromZod(body.error);
      const url = body.data.url === undefined ? undefined : await targetOrThrow(body.data.url);
      if (body.data.form_id) await checkForm(req.tenant!.client, body.data.form_id);
      await s.db.transaction(async (tx) => {
        if (url !== undefined && url !== row.url) {
          // One subscription per target URL, as subscribing keeps it.
          await subscriptionsRepo.lockUrl(tx, row.site_id, url);
          const [taken] = await subscriptionsRepo.findByUrl(tx, row.site_id, url);
          if (taken) throw new HttpError(409, 'url_taken', `url: subscription "${taken.id}" already delivers to this URL; change or delete that one instead`, [{ field: 'url', message: `already used by subscription "${taken.id}"` }]);
        }
        await subscriptionsRepo.update(tx, row.id, { url, formId: body.data.form_id, enabled: body.data.enabled, description: body.data.description });
        await auditRepo.record(tx, { actor: req.tenant!.keyPrefix, action: 'subscription.changed', targetType: 'subscription', targetId: row.id, details: { site_id: row.site_id, fields: Object.keys(body.data), ...(body.data.enabled !== undefined ? { enabled: body.data.enabled } : {}) } });
      });
      if (body.data.enabled) await s.polls.schedule(row.site_id);
      res.json(presentSubscription((await subscriptionsRepo.get(s.db, row.id))!, req.tenant!.site));
    }),
  );

  r.delete(
    '/:id',
    asyncRoute(async (req, res) => {
      const row = await own(req);
      await s.db.transaction(async (tx) => {
        await subscriptionsRepo.delete(tx, row.id);
        await auditRepo.record(tx, { actor: req.tenant!.keyPrefix, action: 'subscription.deleted', targetType: 'subscription', targetId: row.id, details: { site_id: row.site_id, target_host: new URL(row.url).host } });
      });
      s.log.info({ subscription: row.id, site: row.site_id }, 'subscription deleted');
      res.status(204).end();
    }),
  );

  r.post(
    '/:id/rotate-secret',
    asyncRoute(async (req, res) => {
      res.json(await rotateSigningSecret(s, await own(req), req.tenant!.keyPrefix));
    }),
  );

  r.post(
    '/:id/test',
    asyncRoute(async (req, res) => {
      const row = await own(req);
      if (!row.enabled) throw new HttpError(409, 'subscription_disabled', 'The subscription is disabled; enable it before sending a test event');
      res.json(await s.testEvent(row));
    }),
  );

  return r;
}
