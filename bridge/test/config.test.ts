import { describe, expect, it } from '@jest/globals';
import { ConfigError, describeConfig, loadConfig } from 'lts-bridge';

describe('bridge configuration', () => {
  it('has working defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', pollIntervalMs: 10_000, deliveryTimeoutMs: 15_000, allowPrivateTargets: [], trustProxy: false });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.retryScheduleMs).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(c.ltsBaseUrl).toBe('https://www.leadtosheet.com/api/v1');
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '9000',
      DATABASE_URL: 'postgresql://u:p@db:5432/bridge',
      POLL_INTERVAL_SECONDS: '1',
      RETRY_SCHEDULE: '500ms,2s,1m',
      DELIVERY_TIMEOUT_SECONDS: '5',
      ALLOW_PRIVATE_TARGETS: '127.0.0.0/8, ::1/128',
      BRIDGE_ENCRYPTION_KEY: 'a'.repeat(64),
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
    });
    expect(c.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(c).toMatchObject({ port: 9000, pollIntervalMs: 1000, retryScheduleMs: [500, 2000, 60_000], deliveryTimeoutMs: 5000, allowPrivateTargets: ['127.0.0.0/8', '::1/128'] });
    expect(c.encryptionKey).toHaveLength(32);
    expect(JSON.stringify(describeConfig(c))).not.toContain(':p@');
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['port out of range', { PORT: '70000' }, /PORT must be a whole number from 0 to 65535, got "70000"/],
    ['poll interval below 1 s', { POLL_INTERVAL_SECONDS: '0' }, /POLL_INTERVAL_SECONDS must be a whole number from 1/],
    ['poll interval not a number', { POLL_INTERVAL_SECONDS: 'often' }, /POLL_INTERVAL_SECONDS .* got "often"/],
    ['retry schedule with a bad step', { RETRY_SCHEDULE: '5s,soon' }, /RETRY_SCHEDULE must be a comma-separated list of durations/],
    ['database URL of another kind', { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    ['base URL without scheme', { LTS_BASE_URL: 'www.leadtosheet.com' }, /LTS_BASE_URL must be an http\(s\) URL/],
    ['short encryption key', { BRIDGE_ENCRYPTION_KEY: 'abc' }, /BRIDGE_ENCRYPTION_KEY must be 32 bytes/],
    ['allowlist entry that is not a CIDR', { ALLOW_PRIVATE_TARGETS: '127.0.0.1' }, /ALLOW_PRIVATE_TARGETS must be comma-separated CIDR ranges .* got "127.0.0.1"/],
    ['trust proxy "true" (every hop would be trusted)', { TRUST_PROXY: 'true' }, /TRUST_PROXY must be the number of proxies .* got "true"/],
    ['trust proxy with a host name', { TRUST_PROXY: 'proxy.internal' }, /TRUST_PROXY must be .* got "proxy.internal"/],
    ['unknown log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ];
  it.each(bad)('refuses %s, naming the variable and what was expected', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', POLL_INTERVAL_SECONDS: '0' })).toThrow(/PORT[\s\S]*POLL_INTERVAL_SECONDS/);
  });
});
