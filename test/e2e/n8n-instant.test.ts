/**
 * The BUILT n8n "LeadToSheet Instant Trigger" end to end over real HTTP: a served bridge
 * polls the sandbox; the node's webhookMethods (checkExists / create / delete) manage the
 * bridge subscription as n8n does on activation, deactivation and for the editor's test
 * URL; a local HTTP server stands in for n8n's webhook server and hands each push to the
 * node's webhook handler (test/e2e/n8n-host.ts), which verifies the signature and emits
 * the lead in the polling trigger's item shape. Tampered or unsigned pushes are refused
 * with 401 before any workflow runs; a revoked key raises the reconnect error.
 *
 * Needs `npm run build -w n8n-node` and `npx tsc -b` first (test:all does both).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { createHost, type CredentialTypeLike, type HookRun, type NodeTypeLike } from './n8n-host.js';
import { api, startSandboxSite, waitFor, type SandboxSite } from './support/bridge-harness.js';
import { startServedBridge } from './support/bridge-process.js';

const require = createRequire(import.meta.url);
const pkgDir = new URL('../../n8n-node/', import.meta.url).pathname;
const pkg = require(`${pkgDir}package.json`) as { n8n: { nodes: string[]; credentials: string[] } };

function loadBuilt<T>(entry: string, className: string): T {
  const file = `${pkgDir}${entry}`;
  if (!existsSync(file)) throw new Error(`${entry} is not built: run "npm run build -w n8n-node" first`);
  return new (require(file) as Record<string, new () => T>)[className]!();
}
const workflow = require(`${pkgDir}node_modules/n8n-workflow`) as {
  NodeApiError: new (node: unknown, error: unknown) => Error;
  NodeHelpers: { getNodeParameters: (...args: unknown[]) => Record<string, unknown> | null };
};
const credentialType = loadBuilt<CredentialTypeLike>(pkg.n8n.credentials[0]!, 'LeadToSheetApi');
const instantEntry = pkg.n8n.nodes.find((n) => n.includes('/LeadToSheetInstantTrigger/'))!;
const pollingEntry = pkg.n8n.nodes.find((n) => n.includes('/LeadToSheetTrigger/'))!;

type Host = ReturnType<typeof createHost>;
type Json = Record<string, unknown>;

let s: SandboxSite;
let bridge: Awaited<ReturnType<typeof startServedBridge>>;
const servers: http.Server[] = [];

beforeAll(async () => {
  s = await startSandboxSite('n8n Instant');
  bridge = await startServedBridge(s.api.baseUrl);
});
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((r) => server.close(r))));
  await bridge?.close();
  await s?.sandbox.close();
});

function host(entry: string, className: string, parameters: Json = {}, credentials: Json = {}) {
  return createHost({
    nodeType: loadBuilt<NodeTypeLike>(entry, className),
    credentialType,
    credentials: { apiKey: s.keys.full, baseUrl: s.api.baseUrl, bridgeUrl: bridge.url, ...credentials },
    parameters,
    resolveParameters: (properties, values) => workflow.NodeHelpers.getNodeParameters(properties, values, true, false, { typeVersion: 1 }, null),
    wrapRequestError: (node, error) => new workflow.NodeApiError(node, error),
  });
}

/** n8n's webhook server for one node: every request goes to the node's webhook handler. */
async function webhookServer(node: Host, path = '/webhook/abc/webhook') {
  const emitted: Json[][] = [];
  const answers: number[] = [];
  const errors: Error[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      node
        .webhook({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') }, run)
        .then(({ result, answer }) => {
          if (result.workflowData) emitted.push(result.workflowData[0]!.map((i) => i.json));
          answers.push(answer.status);
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body ?? { ok: true }));
        })
        .catch((error: Error) => {
          errors.push(error);
          answers.push(500);
          res.writeHead(500).end(JSON.stringify({ message: 'Workflow could not be started!' }));
        });
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const run: HookRun = { webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, workflow: { id: 'wf_42', name: 'Leads to CRM' } };
  return { run, emitted, answers, errors };
}

const lead = (email: string, formName = 'Contact') => s.sandbox.createSubmission(s.siteId, { formName, fields: { Email: email } });
const subscriptionsOf = async (url: string) => (await api(bridge.url, s.keys.full, 'GET', `/v1/subscriptions?url=${encodeURIComponent(url)}`)).body.data as Json[];

describe('LeadToSheet Instant Trigger through a real bridge', () => {
  let node: Host;
  let hook: Awaited<ReturnType<typeof webhookServer>>;

  beforeAll(async () => {
    node = host(instantEntry, 'LeadToSheetInstantTrigger');
    hook = await webhookServer(node);
  });

  it('activation: checkExists is false, create subscribes once (idempotent), checkExists is then true', async () => {
    expect(await node.hook('checkExists', hook.run)).toBe(false);
    expect(await node.hook('create', hook.run)).toBe(true);
    const first = node.staticData.subscriptionId;
    expect(await node.hook('create', hook.run)).toBe(true); // n8n retrying an activation
    expect(node.staticData.subscriptionId).toBe(first);
    expect(node.staticData.secret).toMatch(/^whsec_/);
    const subs = await subscriptionsOf(hook.run.webhookUrl);
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ id: first, status: 'active', description: 'n8n: workflow "Leads to CRM" (wf_42)' });
    expect(await node.hook('checkExists', hook.run)).toBe(true);
  });

  it('a new lead is pushed, verified and emitted in the polling trigger\'s item shape', async () => {
    const created = lead('grace@example.com');
    await waitFor('the emitted lead', () => hook.emitted.length >= 1);
    expect(hook.emitted[0]).toHaveLength(1);
    const item = hook.emitted[0]![0]!;
    const polling = host(pollingEntry, 'LeadToSheetTrigger');
    const manual = await polling.poll('manual');
    expect(item).toEqual(manual?.[0]?.[0]?.json);
    expect(item).toMatchObject({ id: created.id, form_name: 'Contact', fields: { Email: 'grace@example.com' } });
    expect(hook.answers[0]).toBe(200);
  });

  it('refuses a tampered body, an unsigned request and a stale one with 401, emitting nothing', async () => {
    const secret = String(node.staticData.secret);
    const body = JSON.stringify({ type: 'submission.created', timestamp: new Date().toISOString(), data: { id: 'sub_x', form_id: 'f', created_at: new Date().toISOString(), fields: {} } });
    const signed = (at: Date) => ({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_1', at, body) });
    const tampered = await node.webhook({ headers: signed(new Date()), rawBody: body.replace('sub_x', 'sub_y') }, hook.run);
    expect(tampered.answer.status).toBe(401);
    expect(JSON.stringify(tampered.answer.body)).toMatch(/signature does not match/);
    expect(tampered.result.workflowData).toBeUndefined();
    const unsigned = await node.webhook({ headers: {}, rawBody: body }, hook.run);
    expect(unsigned.answer.status).toBe(401);
    expect(JSON.stringify(unsigned.answer.body)).toMatch(/no webhook-id, webhook-timestamp, webhook-signature headers/);
    const stale = await node.webhook({ headers: signed(new Date(Date.now() - 600_000)), rawBody: body }, hook.run);
    expect(stale.answer.status).toBe(401);
    expect(JSON.stringify(stale.answer.body)).toMatch(/s old/);
    const good = await node.webhook({ headers: signed(new Date()), rawBody: body }, hook.run);
    expect(good.result.workflowData?.[0]?.[0]?.json).toMatchObject({ id: 'sub_x' });
  });

  it('deactivation: delete removes the subscription and the bridge stops pushing', async () => {
    expect(await node.hook('delete', hook.run)).toBe(true);
    expect(await subscriptionsOf(hook.run.webhookUrl)).toEqual([]);
    expect(node.staticData.subscriptionId).toBeUndefined();
    const before = hook.answers.length;
    lead('after-deactivation@example.com');
    await new Promise((r) => setTimeout(r, 3_000)); // three poll intervals of the test bridge
    expect(hook.answers.length).toBe(before);
    expect(await node.hook('checkExists', hook.run)).toBe(false);
  });
});

describe('LeadToSheet Instant Trigger: test URL, form filter, revoked key, no bridge URL', () => {
  it('test mode: the editor\'s test URL gets its own subscription, removed when listening stops', async () => {
    const node = host(instantEntry, 'LeadToSheetInstantTrigger', { form: { __rl: true, mode: 'id', value: s.formIds.Newsletter } });
    const hook = await webhookServer(node, '/webhook-test/abc/webhook');
    const run = { ...hook.run, mode: 'manual' as const };
    expect(await node.hook('create', run)).toBe(true);
    expect((await subscriptionsOf(run.webhookUrl))[0]).toMatchObject({ form_id: s.formIds.Newsletter, description: 'n8n: workflow "Leads to CRM" (wf_42), test URL' });
    lead('contact@example.com', 'Contact');
    const wanted = lead('news@example.com', 'Newsletter');
    await waitFor('the newsletter lead', () => hook.emitted.length >= 1);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(hook.emitted.flat().map((i) => i.id)).toEqual([wanted.id]);
    expect(await node.hook('delete', run)).toBe(true);
    expect(await subscriptionsOf(run.webhookUrl)).toEqual([]);
  });

  it('a revoked key: the bridge pushes site.auth_failed and the node raises the reconnect error', async () => {
    const temp = s.sandbox.createKey(s.siteId, { name: 'n8n key', scopes: ['submissions:read'] });
    const node = host(instantEntry, 'LeadToSheetInstantTrigger', {}, { apiKey: temp.key });
    const hook = await webhookServer(node);
    expect(await node.hook('create', hook.run)).toBe(true);
    s.sandbox.revokeKey(temp.api_key.id);
    await waitFor('the reconnect error', () => hook.errors.length >= 1);
    expect(hook.errors[0]!.message).toMatch(/refused the API key .*reconnect/);
    expect(hook.errors[0]!.message).not.toContain(temp.key);
    await expect(node.hook('create', { ...hook.run, webhookUrl: `${hook.run.webhookUrl}2` })).rejects.toThrow(/invalid, expired or was revoked/);
  });

  it('says what to fill in when the credential has no Bridge URL', async () => {
    const node = host(instantEntry, 'LeadToSheetInstantTrigger', {}, { bridgeUrl: '' });
    await expect(node.hook('create', { webhookUrl: 'https://n8n.example.com/webhook/x/webhook' })).rejects.toThrow(/fill in "Bridge URL"/);
  });
});
