/**
 * Crash safety, with the built bridge as real child processes (`node bridge/dist/cli.js
 * serve`): a burst of 2,000 leads while a bridge is SIGKILLed at random (seeded) moments
 * and restarted on the same store. Afterwards every lead reached every matching
 * subscription at least once, each duplicate carried the webhook-id of its first copy, no
 * lead reached a subscription whose form filter it does not match, and every signature
 * verifies with the official standardwebhooks library.
 *
 * - embedded: one bridge on a data directory, killed and restarted on it.
 * - postgres: two bridges on one fresh database; one of them is killed and restarted
 *   again and again while the other keeps running.
 *
 * Needs the build (npx tsc -b). Seed: BRIDGE_CRASH_SEED (default 20260301).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { api, freshPgDatabase, startReceiver, startSandboxSite, STORES, waitFor, type SandboxSite, type StoreKind } from './support/bridge-harness.js';
import { assertBridgeBuilt, startBridgeProcess, type BridgeProcess, type Exit } from './support/bridge-process.js';

const LEADS = 2_000;
const BATCH = 100;
const BATCH_EVERY_MS = 250;
const KILLS = Number(process.env.BRIDGE_CRASH_KILLS ?? 4);
const SEED = Number(process.env.BRIDGE_CRASH_SEED ?? 20260301);
const DRAIN_TIMEOUT_MS = 150_000;

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deliveries a bridge process has made so far (its metrics), to show a kill hit one at work. */
async function succeeded(b: BridgeProcess): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${b.url}/metrics`, { signal: AbortSignal.timeout(1_000) })).text();
    const m = /^lts_bridge_deliveries_total\{outcome="succeeded"\} (\d+)/m.exec(text);
    return m ? Number(m[1]) : 0;
  } catch {
    return undefined;
  }
}

describe.each(STORES)('bridge crash safety (%s store)', (store: StoreKind) => {
  let site: SandboxSite;
  let pgDb: Awaited<ReturnType<typeof freshPgDatabase>> | undefined;
  let dataDir: string;
  const receivers: Receiver[] = [];
  const bridges = new Set<BridgeProcess>();
  /** Exits we did not cause (a restart that failed, a crash). */
  const unexpected: string[] = [];

  beforeAll(async () => {
    assertBridgeBuilt();
    site = await startSandboxSite('Crash');
    if (store === 'postgres') pgDb = await freshPgDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'lts-bridge-crash-'));
  });

  afterAll(async () => {
    await Promise.all([...bridges].map((b) => b.kill()));
    await Promise.all(receivers.map((r) => r.close()));
    await site?.sandbox.close();
    await pgDb?.drop();
    if (dataDir && !process.env.BRIDGE_CRASH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    else if (dataDir) console.log(`kept the embedded store in ${dataDir}`);
  });

  const encryptionKey = randomBytes(32).toString('base64');
  const env = (): Record<string, string> => ({
    LTS_BASE_URL: site.api.baseUrl,
    BRIDGE_ENCRYPTION_KEY: encryptionKey,
    ALLOW_PRIVATE_TARGETS: '127.0.0.0/8',
    POLL_INTERVAL_SECONDS: '1',
    RETRY_SCHEDULE: '1s,2s,3s,5s,5s,5s,5s,5s',
    DELIVERY_TIMEOUT_SECONDS: '5',
    LTS_REQUESTS_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    // Two processes share the work only if one cannot take every subscription's slots
    // alone (3 subscriptions x SUBSCRIPTION_CONCURRENCY 4): then the victim is killed at work.
    ...(store === 'postgres' ? { DATABASE_URL: pgDb!.url, DELIVERY_CONCURRENCY: '4' } : { BRIDGE_DATA_DIR: dataDir }),
  });

  const spawnBridge = async (name: string) => {
    const b = await startBridgeProcess(name, env());
    bridges.add(b);
    b.exited.then((exit: Exit) => {
      bridges.delete(b);
      if (exit.signal !== 'SIGKILL') unexpected.push(`${name} exited by itself (${JSON.stringify(exit)}):\n${b.output()}`);
    });
    return b;
  };

  it(
    `loses nothing when a bridge is SIGKILLed ${KILLS} times during a burst of ${LEADS} leads`,
    async () => {
      const random = rng(SEED + (store === 'postgres' ? 1 : 0));
      const pickForm = rng(SEED + 100);
      // embedded: the one bridge is the victim. postgres: "steady" keeps running beside it.
      let victim = await spawnBridge('bridge-1');
      const steady = store === 'postgres' ? await spawnBridge('steady') : undefined;
      await victim.ready();
      await steady?.ready();

      const all = [await startReceiver(), await startReceiver()];
      const contactOnly = await startReceiver();
      receivers.push(...all, contactOnly);
      const subscribe = async (url: string, extra: Record<string, unknown> = {}) => {
        const res = await api((steady ?? victim).url, site.keys.full, 'POST', '/v1/subscriptions', { url, ...extra });
        expect(res.status).toBe(201);
        return res.body as { id: string; secret: string };
      };
      const subs = [
        { receiver: all[0]!, sub: await subscribe(all[0]!.url), form: undefined as string | undefined },
        { receiver: all[1]!, sub: await subscribe(all[1]!.url), form: undefined as string | undefined },
        { receiver: contactOnly, sub: await subscribe(contactOnly.url, { form_id: site.formIds.Contact }), form: site.formIds.Contact },
      ];

      // The burst: batches of leads on both forms, while the victim is killed and restarted.
      const created: { id: string; form_id: string | null | undefined }[] = [];
      const burst = (async () => {
        for (let n = 0; n < LEADS; ) {
          for (const end = Math.min(LEADS, n + BATCH); n < end; n++) {
            const form = pickForm() < 0.5 ? 'Contact' : 'Newsletter';
            const s = site.sandbox.createSubmission(site.siteId, { formName: form, fields: { Email: `lead${n}@example.com`, n } });
            created.push({ id: s.id, form_id: s.form_id });
          }
          await sleep(BATCH_EVERY_MS);
        }
      })();

      const kills: string[] = [];
      for (let k = 1; k <= KILLS; k++) {
        // Now and then during start-up (store recovery, migrations, queue start), mostly while it works.
        const duringStartup = k === 2 || (k > 2 && random() < 0.3);
        if (!duringStartup) await victim.ready();
        const wait = Math.round(duringStartup ? 100 + random() * 700 : 200 + random() * 2_500);
        await sleep(wait);
        const done = duringStartup ? undefined : await succeeded(victim);
        await victim.kill();
        kills.push(`${duringStartup ? 'start-up' : `working (${done ?? '?'} delivered)`} +${wait}ms`);
        victim = await spawnBridge(`bridge-${k + 1}`);
      }
      await burst;
      await victim.ready();

      // Every lead at every matching subscription, at least once.
      const expected = subs.map(({ form }) => new Set(created.filter((c) => !form || c.form_id === form).map((c) => c.id)));
      const reached = subs.map(() => new Set<string>());
      const scanned = subs.map(() => 0);
      const missing = () =>
        subs.map(({ receiver }, i) => {
          for (; scanned[i]! < receiver.received.length; scanned[i]!++) reached[i]!.add(JSON.parse(receiver.received[scanned[i]!]!.body).data.id);
          return [...expected[i]!].filter((id) => !reached[i]!.has(id)).length;
        });
      await waitFor(
        'every lead at every matching subscription',
        () => {
          if (unexpected.length) throw new Error(unexpected.join('\n'));
          return missing().every((m) => m === 0);
        },
        DRAIN_TIMEOUT_MS,
      ).catch(async (err: Error) => {
        // What the bridges say about their queue, to tell a stuck poll from stuck deliveries.
        const metrics = await Promise.all(
          [...bridges].map(async (b) => {
            const text = await fetch(`${b.url}/metrics`).then((r) => r.text(), (e: Error) => e.message);
            return `${b.name}: ${text.split('\n').filter((l) => /^lts_bridge_(queue|events|polls|deliveries)/.test(l)).join('; ')}\n${b.output().slice(-3_000)}`;
          }),
        );
        throw new Error(`${err.message}; still missing per subscription: ${missing().join(', ')}\n${metrics.join('\n')}`);
      });
      expect(unexpected).toEqual([]);

      let deliveries = 0;
      let duplicates = 0;
      subs.forEach(({ receiver, sub, form }, i) => {
        const verifier = new Webhook(sub.secret);
        const idsBySubmission = new Map<string, Set<string>>();
        for (const m of receiver.received) {
          const body = verifier.verify(m.body, m.headers as Record<string, string>) as { data: { id: string; form_id: string } };
          // Nothing a filter excludes, nothing that was not created in the burst.
          expect(expected[i]!.has(body.data.id)).toBe(true);
          if (form) expect(body.data.form_id).toBe(form);
          const ids = idsBySubmission.get(body.data.id) ?? new Set<string>();
          ids.add(String(m.headers['webhook-id']));
          idsBySubmission.set(body.data.id, ids);
        }
        // Each duplicate carries the same webhook-id as the first copy.
        const differing = [...idsBySubmission].filter(([, ids]) => ids.size !== 1);
        expect(differing).toEqual([]);
        expect(idsBySubmission.size).toBe(expected[i]!.size);
        deliveries += receiver.received.length;
        duplicates += receiver.received.length - idsBySubmission.size;
      });
      const expectedTotal = expected.reduce((n, s) => n + s.size, 0);
      console.log(
        `bridge crash (${store}): ${LEADS} leads, ${expectedTotal} expected deliveries, ${deliveries} received, ${duplicates} duplicates ` +
          `(same webhook-id), 0 lost; ${kills.length} SIGKILLs (${kills.join(', ')}), seed ${SEED}`,
      );
    },
    270_000,
  );
});
