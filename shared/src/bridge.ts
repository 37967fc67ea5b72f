/**
 * The bridge's side of the contract, for the instant triggers (Zapier REST hook, n8n
 * webhook node): its tenant API (/v1/subscriptions, called with the same lts_ key), the
 * webhook events it pushes, and their Standard Webhooks signature check, done with the
 * official `standardwebhooks` library. Written once here; the bridge signs, the
 * platforms verify.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { z } from 'zod';
import { SubmissionSchema, type Submission } from './contract.js';
import { LeadToSheetError, toLeadToSheetError } from './errors.js';
import { parseHttpUrl, type Transport, type TransportRequest } from './transport.js';

export const SIGNING_SECRET_PREFIX = 'whsec_';

/** The event types the bridge pushes. `site.auth_failed` goes to every subscription of the site. */
export const bridgeEvents = {
  submissionCreated: 'submission.created',
  siteAuthFailed: 'site.auth_failed',
} as const;

/** How far a webhook's timestamp may be from now (the library's default, 5 minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export const SubmissionCreatedEventSchema = z.looseObject({
  type: z.literal(bridgeEvents.submissionCreated),
  timestamp: z.string(),
  data: SubmissionSchema,
});
export const SiteAuthFailedEventSchema = z.looseObject({
  type: z.literal(bridgeEvents.siteAuthFailed),
  timestamp: z.string(),
  data: z.looseObject({ site_id: z.string(), key_prefix: z.string(), message: z.string() }),
});
export const BridgeEventSchema = z.discriminatedUnion('type', [SubmissionCreatedEventSchema, SiteAuthFailedEventSchema]);
export type BridgeEvent = z.infer<typeof BridgeEventSchema>;

export const BridgeSubscriptionSchema = z.looseObject({
  id: z.string(),
  url: z.string(),
  form_id: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  status: z.string(),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable().optional(),
  site_id: z.string(),
});
export type BridgeSubscription = z.infer<typeof BridgeSubscriptionSchema>;
const CreatedSubscriptionSchema = BridgeSubscriptionSchema.extend({ secret: z.string().startsWith(SIGNING_SECRET_PREFIX) });
export type CreatedBridgeSubscription = z.infer<typeof CreatedSubscriptionSchema>;

export const bridgeErrorCodes = {
  notConfigured: 'bridge_not_configured',
  invalidSignature: 'invalid_signature',
  unexpectedEvent: 'unexpected_event',
} as const;

/**
 * Reads the bridge base URL of a setting (`LTS_BRIDGE_URL`, a credential field): an
 * http(s) URL, trailing slashes dropped. Unset or wrong: a message naming the setting.
 */
export function bridgeBaseUrl(raw: string | undefined, setting: string): string {
  const value = raw?.trim();
  if (!value) {
    throw new LeadToSheetError({
      status: 0,
      code: bridgeErrorCodes.notConfigured,
      retryable: false,
      message: `Instant triggers need the LeadToSheet bridge, and its URL is not set: ${setting}. Use the polling trigger meanwhile.`,
    });
  }
  if (!parseHttpUrl(value)) {
    throw new LeadToSheetError({
      status: 0,
      code: bridgeErrorCodes.notConfigured,
      retryable: false,
      message: `The bridge URL is not an http(s) URL: "${value}". Fix it: ${setting}.`,
    });
  }
  return value.replace(/\/+$/, '');
}

export interface SubscribeInput {
  /** The hook URL the bridge will POST to (Zapier's targetUrl, n8n's webhook URL). */
  url: string;
  formId?: string | null;
  /** Names the Zap or workflow, shown to operators. */
  description?: string;
}

/**
 * The bridge's tenant API over the shared Transport (the platform adds the lts_ Bearer
 * header, as for LeadToSheet itself). Failures are LeadToSheetErrors, so each platform's
 * edge maps them as it maps LeadToSheet's: 401 means reconnect.
 */
export class BridgeClient {
  constructor(
    private readonly transport: Transport,
    private readonly options: { baseUrl: string; key?: string },
  ) {}

  /** Idempotent per URL: subscribing a URL that already has a subscription updates it and returns a fresh secret. */
  async subscribe(input: SubscribeInput): Promise<CreatedBridgeSubscription> {
    const body = { url: input.url, form_id: input.formId || null, ...(input.description ? { description: input.description.slice(0, 500) } : {}) };
    return this.call('subscribe to new leads', { method: 'POST', path: '/v1/subscriptions', body, idempotent: true }, CreatedSubscriptionSchema);
  }

  /** The subscription of this hook URL, if any. */
  async findByUrl(url: string): Promise<BridgeSubscription | undefined> {
    const page = await this.call('find the subscription', { method: 'GET', path: '/v1/subscriptions', query: { url }, idempotent: true }, z.looseObject({ data: z.array(BridgeSubscriptionSchema) }));
    return page.data[0];
  }

  /** Deletes a subscription; false when it was already gone. */
  async unsubscribe(id: string): Promise<boolean> {
    try {
      await this.call('delete the subscription', { method: 'DELETE', path: `/v1/subscriptions/${encodeURIComponent(id)}`, idempotent: true }, z.unknown());
      return true;
    } catch (err) {
      if (err instanceof LeadToSheetError && err.status === 404) return false;
      throw err;
    }
  }

  private async call<T extends z.ZodType>(doing: string, request: TransportRequest, schema: T): Promise<z.infer<T>> {
    const where = hostOf(this.options.baseUrl);
    let response;
    try {
      response = await this.transport.send(request);
    } catch (err) {
      const e = toLeadToSheetError(err, { baseUrl: this.options.baseUrl, service: { name: 'the LeadToSheet bridge', check: 'check the bridge URL and that the bridge is running' } });
      throw new LeadToSheetError({ status: 0, code: e.code, retryable: true, cause: err, message: `${e.message} (This happened while trying to ${doing}.)` });
    }
    if (response.status >= 200 && response.status < 300) {
      const parsed = schema.safeParse(response.body);
      if (parsed.success) return parsed.data;
      throw new LeadToSheetError({ status: 0, code: 'unexpected_response', retryable: false, message: `The bridge at ${where} answered in an unexpected format while trying to ${doing}. Check the bridge URL points at a LeadToSheet bridge.` });
    }
    const e = toLeadToSheetError(response, { key: this.options.key });
    if (response.status === 401) throw e; // LeadToSheet refused the key: the reconnect message
    const said = e.serverMessage ? `: ${e.serverMessage}` : ` (HTTP ${response.status})`;
    throw new LeadToSheetError({
      status: response.status,
      code: e.code,
      retryable: e.retryable,
      ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
      ...(e.details ? { details: e.details } : {}),
      ...(e.requiredScope ? { requiredScope: e.requiredScope } : {}),
      message: `The LeadToSheet bridge at ${where} could not ${doing}${said}`,
    });
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export interface IncomingWebhook {
  /** The signing secret the subscription was created with (whsec_…). */
  secret: string;
  /** Request headers, any case; Zapier's raw "Http-Webhook-Id" form is read too. */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body, exactly as received. */
  body: string;
}

const signatureHeaders = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * Checks a pushed webhook's Standard Webhooks signature and timestamp, then its shape.
 * Throws a LeadToSheetError (code invalid_signature / unexpected_event) saying what was
 * wrong; never passes an unsigned or stale request.
 */
export function verifyBridgeWebhook(incoming: IncomingWebhook): BridgeEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    const lower = name.toLowerCase().replace(/^http-/, '');
    const text = Array.isArray(value) ? value.join(' ') : value;
    if (text !== undefined && (signatureHeaders as readonly string[]).includes(lower)) headers[lower] = text;
  }
  const missing = signatureHeaders.filter((h) => !headers[h]);
  if (missing.length > 0) throw signatureError(`the request has no ${missing.join(', ')} header${missing.length > 1 ? 's' : ''}, so it was not sent by the LeadToSheet bridge`);
  let payload: unknown;
  try {
    payload = new Webhook(incoming.secret).verify(incoming.body, headers);
  } catch (err) {
    if (!(err instanceof WebhookVerificationError)) throw signatureError('the subscription signing secret is unreadable; re-create the trigger');
    throw signatureError(describeFailure(err.message, headers['webhook-timestamp']!));
  }
  const event = BridgeEventSchema.safeParse(payload);
  if (!event.success) {
    throw new LeadToSheetError({ status: 0, code: bridgeErrorCodes.unexpectedEvent, retryable: false, message: `The bridge sent a signed event this version does not understand (type ${JSON.stringify((payload as { type?: unknown } | null)?.type)}).` });
  }
  return event.data;
}

function describeFailure(reason: string, timestamp: string): string {
  if (reason === 'Message timestamp too old' || reason === 'Message timestamp too new') {
    const skew = Math.round(Date.now() / 1000 - Number(timestamp));
    return `its timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'} (at most ${WEBHOOK_TOLERANCE_SECONDS} s is accepted): a replayed request, or a clock far off`;
  }
  if (reason === 'Invalid Signature Headers') return 'its webhook-timestamp header is not a number of seconds';
  return 'its signature does not match the subscription signing secret: the body was changed on the way, or it was signed for another subscription';
}

const signatureError = (why: string) =>
  new LeadToSheetError({ status: 0, code: bridgeErrorCodes.invalidSignature, retryable: false, message: `Refused a webhook: ${why}.` });

/** A verified submission event's lead, or undefined for other event types. */
export const submissionOf = (event: BridgeEvent): Submission | undefined => (event.type === bridgeEvents.submissionCreated ? event.data : undefined);
