/**
 * `npm start` with no LeadToSheet key configured: the whole flow on this machine, narrated.
 * The sandbox (a local LeadToSheet API) with demo data, the bridge on its embedded store,
 * a receiver that verifies each signature, and a few demo leads arriving.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSandbox } from 'lts-sandbox';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { startBridge } from '../services.js';
import { adminKeysOf } from '../admin/admin-router.js';
import { CLI_ACTOR } from '../admin/key-service.js';
import { ADMIN_SCOPES } from '../admin/scopes.js';
import { startReceiver } from './receiver.js';

const DEMO_LEADS: { formName: string; fields: Record<string, string> }[] = [
  { formName: 'Contact', fields: { Email: 'maria.garcia@example.com', 'Full name': 'Maria Garcia', Message: 'Could you send me a quote for 20 seats?' } },
  { formName: 'Demo request', fields: { Email: 'kenji.sato@example.com', 'Full name': 'Kenji Sato', Company: 'Sato Logistics' } },
  { formName: 'Newsletter', fields: { Email: 'olu.adeyemi@example.com' } },
];

export interface DemoOptions {
  /** Stop once every demo lead was received (tests); otherwise run until Ctrl+C. */
  exitWhenDone?: boolean;
  out?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runDemo(options: DemoOptions = {}): Promise<void> {
  const say = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const env = options.env ?? process.env;
  say('\nLeadToSheet bridge: demo mode (no LeadToSheet API key is configured)\n');

  const sandbox = createSandbox();
  const seed = sandbox.seedDemo();
  const api = await sandbox.listen(0);
  say(`1. A local LeadToSheet API (the sandbox) runs at ${api.baseUrl}`);
  say(`   with the demo site "${seed.site.name}" and its forms: ${seed.forms.map((f) => f.name).join(', ')}.`);

  const received = new Set<string>();
  let resolveAll!: () => void;
  const allReceived = new Promise<void>((r) => (resolveAll = r));
  const receiver = await startReceiver(
    (e) => {
      const f = e.body.data.fields;
      say(`   ✔ received ${e.body.type} ${e.id}: ${String(f['Full name'] ?? f.Email)} <${String(f.Email)}> via "${e.body.data.form_name}" (signature verified)`);
      received.add(e.body.data.id);
      if (received.size >= DEMO_LEADS.length) resolveAll();
    },
    (reason) => say(`   ✘ a push was rejected by the receiver: ${reason}`),
  );
  say(`2. A webhook receiver listens at ${receiver.url} and verifies each signature with the standardwebhooks library.`);

  const dataDir = mkdtempSync(path.join(tmpdir(), 'lts-bridge-demo-'));
  const config = loadConfig({
    ...env,
    LTS_BASE_URL: api.baseUrl,
    BRIDGE_DATA_DIR: dataDir,
    BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    POLL_INTERVAL_SECONDS: env.POLL_INTERVAL_SECONDS ?? '2',
    ALLOW_PRIVATE_TARGETS: '127.0.0.0/8,::1/128',
    PORT: env.PORT ?? '8080',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  });
  const bridge = await startBridge(config, createLogger(config.logLevel)).catch(async (err) => {
    if (!/EADDRINUSE/.test(String(err?.code ?? err))) throw err;
    return startBridge({ ...config, port: 0 }, createLogger(config.logLevel));
  });
  say(`3. The bridge runs at ${bridge.url} on its embedded store (${dataDir}).`);

  const res = await fetch(`${bridge.url}/v1/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${seed.keys.full}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, events: ['submission.created'], description: 'demo receiver' }),
  });
  const sub = (await res.json()) as { id: string; secret: string; error?: { message: string } };
  if (!res.ok) throw new Error(`could not subscribe: ${sub.error?.message ?? res.status}`);
  receiver.setSecret(sub.secret);
  say(`4. Subscribed the receiver with the site's API key: subscription ${sub.id}, signing secret ${sub.secret.slice(0, 10)}… (shown once).`);
  say(`   The bridge polls LeadToSheet every ${config.pollIntervalMs / 1000} s and pushes each new lead, signed, retried until it lands.\n`);

  say('5. New leads arrive on the site:');
  for (const lead of DEMO_LEADS) {
    const created = sandbox.createSubmission(seed.site.id, lead);
    say(`   + ${created.id} on "${created.form_name}" from ${String(lead.fields.Email)}`);
    await new Promise((r) => setTimeout(r, 700));
  }

  const shutdown = async () => {
    await bridge.stop();
    await receiver.close();
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  if (options.exitWhenDone) {
    const timeout = setTimeout(() => resolveAll(), 60_000);
    await allReceived;
    clearTimeout(timeout);
    say(`\nDone: ${received.size} of ${DEMO_LEADS.length} leads delivered.`);
    await shutdown();
    if (received.size < DEMO_LEADS.length) throw new Error('not every demo lead was delivered');
    return;
  }
  await allReceived;
  say('\nTry it yourself (Ctrl+C stops the demo):');
  say(`   curl -s -X POST ${api.baseUrl}/submissions -H 'authorization: Bearer ${seed.keys.full}' -H 'content-type: application/json' -d '{"fields":{"Email":"you@example.com"}}'`);
  say(`   curl -s ${bridge.url}/v1/subscriptions/${sub.id}/deliveries -H 'authorization: Bearer ${seed.keys.full}'`);
  say(`   curl -s ${bridge.url}/metrics | grep lts_bridge_deliveries`);
  const operator = await adminKeysOf(bridge.services).create(CLI_ACTOR, { name: 'demo operator', scopes: [...ADMIN_SCOPES] });
  say(`\nThe dashboard: ${bridge.url}/dashboard/`);
  say(`   sign in as an operator with the demo admin key ${operator.key} (made for this demo, shown once)`);
  say(`   or as the site's owner with its LeadToSheet API key ${seed.keys.full}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  say('\nStopping the demo…');
  await shutdown();
}
