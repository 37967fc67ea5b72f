/**
 * A minimal n8n host for driving the LeadToSheet node, trigger and credential outside n8n:
 * the execute / poll / load-options contexts a node sees, with n8n's request helpers
 * implemented over real HTTP (fetch), applying the credential's declarative `authenticate`
 * block exactly as n8n does for a generic credential, and n8n's credential test with its
 * response-code rules.
 *
 * Used by the n8n-node unit tests (fetch answered by nock) and by the end-to-end test
 * (fetch answered by the sandbox over loopback). It imports nothing from n8n: the parts of
 * n8n-workflow it needs (parameter defaults, NodeApiError) are handed in by the caller.
 */

type Json = Record<string, unknown>;

export interface NodePropertyLike {
  name: string;
  [key: string]: unknown;
}

/** An INodeType, as far as the host needs it. */
export interface NodeTypeLike {
  description: { name: string; version: number | number[]; properties: NodePropertyLike[]; [key: string]: unknown };
  execute?: (this: any) => Promise<unknown>;
  poll?: (this: any) => Promise<unknown>;
  methods?: { listSearch?: Record<string, (this: any, filter?: string, paginationToken?: string) => Promise<unknown>> };
  webhookMethods?: { default?: Partial<Record<HookMethod, (this: any) => Promise<boolean>>> };
  webhook?: (this: any) => Promise<unknown>;
}

export type HookMethod = 'checkExists' | 'create' | 'delete';

/** What n8n knows of the workflow and the webhook URL it registered for the node. */
export interface HookRun {
  webhookUrl: string;
  /** 'trigger' when the workflow is activated, 'manual' for the editor's test URL. */
  mode?: 'trigger' | 'manual';
  workflow?: { id: string; name: string };
}

/** One request to the node's webhook, as n8n's webhook server hands it over. */
export interface IncomingRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The exact body bytes (n8n keeps them as req.rawBody). */
  rawBody: string;
}

/** An ICredentialType with a generic `authenticate` block and a declarative `test`. */
export interface CredentialTypeLike {
  name: string;
  authenticate: { type: 'generic'; properties: { headers?: Record<string, unknown>; qs?: Record<string, unknown> } };
  test?: {
    request: { baseURL?: string; url?: string; method?: string };
    rules?: Array<{ type: string; properties: { value: unknown; message: string } }>;
  };
}

export interface HttpRequestOptions {
  url: string;
  baseURL?: string;
  method?: string;
  headers?: Json;
  qs?: Json;
  body?: unknown;
  json?: boolean;
  returnFullResponse?: boolean;
  ignoreHttpStatusErrors?: boolean;
}

export interface HostSetup {
  nodeType: NodeTypeLike;
  credentialType: CredentialTypeLike;
  credentials: Json;
  /** Node parameters as saved in a workflow (defaults are filled in by `resolveParameters`). */
  parameters?: Json;
  /** n8n-workflow's NodeHelpers.getNodeParameters, so missing parameters get their defaults as in n8n. */
  resolveParameters?: (properties: NodePropertyLike[], values: Json) => Json | null;
  /** How n8n-core reports a failed request: `new NodeApiError(node, error)`. Default: the error as is. */
  wrapRequestError?: (node: Json, error: unknown) => unknown;
  /** The workflow's timezone (n8n's GENERIC_TIMEZONE or the workflow setting). Default UTC. */
  timezone?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
  body?: unknown;
}

export interface RunOptions {
  /** Per-item parameter overrides, by input item index. */
  itemParameters?: Json[];
  continueOnFail?: boolean;
}

/** One n8n "instance" running one node: parameters, credential, static data and a request log. */
export function createHost(setup: HostSetup) {
  const node: Json = {
    id: 'node-1',
    name: String(setup.nodeType.description.name),
    type: `n8n-nodes-leadtosheet.${setup.nodeType.description.name}`,
    typeVersion: Array.isArray(setup.nodeType.description.version)
      ? Math.max(...setup.nodeType.description.version)
      : setup.nodeType.description.version,
    position: [0, 0],
    parameters: setup.parameters ?? {},
  };
  const staticData: Json = {};
  const requests: RecordedRequest[] = [];

  const parametersFor = (overrides: Json = {}): Json => {
    const values = { ...(setup.parameters ?? {}), ...overrides };
    return setup.resolveParameters?.(setup.nodeType.description.properties, values) ?? values;
  };

  const helpers = {
    async httpRequestWithAuthentication(credentialsType: string, options: HttpRequestOptions) {
      if (credentialsType !== setup.credentialType.name) throw new Error(`unexpected credential type ${credentialsType}`);
      try {
        return await httpRequestWithAuthentication(setup.credentialType, setup.credentials, options, requests);
      } catch (error) {
        throw setup.wrapRequestError ? setup.wrapRequestError(node, error) : error;
      }
    },
    returnJsonArray(data: Json | Json[]) {
      return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
    },
  };

  const base = (itemParameters: Json[] = []) => ({
    getNode: () => node,
    getTimezone: () => setup.timezone ?? 'UTC',
    getCredentials: async (type: string) => {
      if (type !== setup.credentialType.name) throw new Error(`Node does not have credentials of type "${type}"`);
      return { ...setup.credentials };
    },
    getNodeParameter(name: string, itemIndex = 0, fallback?: unknown, options?: { extractValue?: boolean }) {
      const value = lookup(parametersFor(itemParameters[itemIndex]), name);
      if (value === undefined) {
        if (arguments.length >= 3) return fallback;
        throw new Error(`Could not get parameter "${name}"`);
      }
      // As n8n-core's extractValue for a resource locator: { mode, value } gives its value.
      if (options?.extractValue && value && typeof value === 'object' && 'mode' in value && 'value' in value) return (value as Json).value;
      return value;
    },
    helpers,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });

  /** Hook and webhook contexts: getNodeParameter(name, fallback, options) has no item index there. */
  const hookContext = (run: HookRun) => {
    const b = base();
    return {
      ...b,
      getNodeParameter: (name: string, fallback?: unknown, options?: { extractValue?: boolean }) => b.getNodeParameter(name, 0, fallback, options),
      getMode: () => run.mode ?? 'trigger',
      getActivationMode: () => 'activate',
      getWebhookName: () => 'default',
      getNodeWebhookUrl: (name: string) => (name === 'default' ? run.webhookUrl : undefined),
      getWorkflow: () => ({ id: run.workflow?.id ?? 'wf_1', name: run.workflow?.name ?? 'Leads to CRM', active: run.mode !== 'manual' }),
      getWorkflowStaticData: (type: string) => {
        if (type !== 'node') throw new Error('the trigger keeps its state per node');
        return staticData;
      },
    };
  };

  return {
    node,
    staticData,
    requests,

    /** Runs `execute` on the given input items, as one n8n node run. */
    async execute(items: Json[] = [{}], run: RunOptions = {}) {
      const context = {
        ...base(run.itemParameters),
        getInputData: () => items.map((json) => ({ json })),
        continueOnFail: () => run.continueOnFail ?? false,
        getMode: () => 'manual',
      };
      return (await setup.nodeType.execute!.call(context)) as Array<Array<{ json: Json; pairedItem?: unknown }>>;
    },

    /** Runs `poll` once: 'trigger' for an active workflow, 'manual' for "Fetch Test Event". */
    async poll(mode: 'trigger' | 'manual' = 'trigger') {
      const context = {
        ...base(),
        getMode: () => mode,
        getActivationMode: () => 'activate',
        getWorkflowStaticData: (type: string) => {
          if (type !== 'node') throw new Error('the trigger keeps its state per node');
          return staticData;
        },
      };
      return (await setup.nodeType.poll!.call(context)) as Array<Array<{ json: Json }>> | null;
    },

    /** Runs one of the node's webhookMethods, as n8n does when a workflow is activated or deactivated, or a test URL is listened on. */
    async hook(method: HookMethod, run: HookRun) {
      const fn = setup.nodeType.webhookMethods?.default?.[method];
      if (!fn) throw new Error(`no webhookMethods.default.${method}`);
      return await fn.call(hookContext(run));
    },

    /**
     * Hands one request to the node's `webhook`, as n8n's webhook server does. Returns what
     * the node returned and the answer it wrote itself (noWebhookResponse), if any.
     */
    async webhook(request: IncomingRequest, run: HookRun) {
      if (!setup.nodeType.webhook) throw new Error('the node has no webhook method');
      const answer: { status: number; body?: unknown } = { status: 200 };
      const response = {
        status(code: number) {
          answer.status = code;
          return response;
        },
        json(body: unknown) {
          answer.body = body;
          return response;
        },
        end() {
          return response;
        },
      };
      let parsed: Json = {};
      try {
        parsed = JSON.parse(request.rawBody) as Json;
      } catch {
        /* n8n passes an empty body object when it cannot parse one */
      }
      const context = {
        ...hookContext(run),
        getMode: () => 'webhook',
        getRequestObject: () => ({ headers: request.headers, body: parsed, rawBody: Buffer.from(request.rawBody, 'utf8') }),
        getResponseObject: () => response,
        getHeaderData: () => request.headers,
        getBodyData: () => parsed,
      };
      const result = (await setup.nodeType.webhook.call(context)) as {
        workflowData?: Array<Array<{ json: Json }>>;
        webhookResponse?: unknown;
        noWebhookResponse?: boolean;
      };
      return { result, answer };
    },

    /** Runs a resource locator search method, as the editor does when the list opens or scrolls. */
    async listSearch(method: string, filter?: string, paginationToken?: string) {
      const search = setup.nodeType.methods?.listSearch?.[method];
      if (!search) throw new Error(`no listSearch method ${method}`);
      const context = { ...base(), getCurrentNodeParameter: (name: string) => lookup(parametersFor(), name) };
      return (await search.call(context, filter, paginationToken)) as {
        results: Array<{ name: string; value: string }>;
        paginationToken?: string;
      };
    },
  };
}

/** n8n's `httpRequestWithAuthentication` for a generic credential, over fetch. */
export async function httpRequestWithAuthentication(
  credentialType: CredentialTypeLike,
  credentials: Json,
  options: HttpRequestOptions,
  log?: RecordedRequest[],
): Promise<unknown> {
  const auth = credentialType.authenticate.properties;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries(auth.headers ?? {})) headers[k.toLowerCase()] = resolveCredentialExpression(String(v), credentials);

  const url = new URL(options.baseURL ? joinUrl(options.baseURL, options.url) : options.url);
  for (const [k, v] of Object.entries(options.qs ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  for (const [k, v] of Object.entries(auth.qs ?? {})) url.searchParams.set(k, resolveCredentialExpression(String(v), credentials));

  let body: string | undefined;
  if (options.body !== undefined && options.body !== null && !(typeof options.body === 'object' && Object.keys(options.body).length === 0)) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (options.json) headers.accept ??= 'application/json';
  const method = (options.method ?? 'GET').toUpperCase();
  log?.push({ method, url: url.toString(), authorization: headers.authorization, body: options.body });

  let res: Response;
  try {
    res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' });
  } catch (error) {
    // Like axios: the failure carries the system error code (ECONNREFUSED, ...).
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw Object.assign(new Error(cause?.message ?? (error as Error).message), { code: cause?.code, cause: error });
  }
  const text = await res.text();
  const isJson = options.json || (res.headers.get('content-type') ?? '').includes('json');
  let parsed: unknown = text === '' ? undefined : text;
  if (isJson && text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const responseHeaders = Object.fromEntries(res.headers.entries());
  if (res.status >= 400 && !options.ignoreHttpStatusErrors) {
    throw Object.assign(new Error(`Request failed with status code ${res.status}`), {
      response: { status: res.status, statusText: res.statusText, headers: responseHeaders, data: parsed },
    });
  }
  return options.returnFullResponse
    ? { body: parsed, headers: responseHeaders, statusCode: res.status, statusMessage: res.statusText }
    : parsed;
}

/** n8n's credential test for a declarative `test` request, with its response-code rules. */
export async function testCredential(credentialType: CredentialTypeLike, credentials: Json): Promise<{ status: 'OK' | 'Error'; message: string }> {
  const test = credentialType.test;
  if (!test) throw new Error(`${credentialType.name} has no test request`);
  const request = test.request;
  try {
    await httpRequestWithAuthentication(credentialType, credentials, {
      url: resolveCredentialExpression(request.url ?? '', credentials),
      ...(request.baseURL ? { baseURL: resolveCredentialExpression(request.baseURL, credentials) } : {}),
      method: request.method ?? 'GET',
      json: true,
    });
  } catch (error) {
    const response = (error as { response?: { status: number; statusText?: string } }).response;
    if (response) {
      const rule = test.rules?.find((r) => r.type === 'responseCode' && r.properties.value === response.status);
      if (rule) return { status: 'Error', message: rule.properties.message };
      return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}` };
    }
    const code = (error as { code?: string }).code;
    return { status: 'Error', message: code ?? (error as Error).message };
  }
  return { status: 'OK', message: 'Connection successful!' };
}

/** Resolves `={{$credentials.name}}` templates, the only expressions a generic credential here uses. */
export function resolveCredentialExpression(value: string, credentials: Json): string {
  if (!value.startsWith('=')) return value;
  return value.slice(1).replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const match = /^\$credentials\??\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
    if (!match) throw new Error(`the test host only resolves {{$credentials.<name>}}, not {{${expression}}}`);
    return String(credentials[match[1]!] ?? '');
  });
}

function joinUrl(base: string, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Reads `a.b.c` from nested parameters (n8n allows dotted names such as "fields.field"). */
function lookup(values: Json, path: string): unknown {
  let current: unknown = values;
  for (const part of path.split('.')) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Json)[part];
  }
  return current;
}
