/**
 * The bridge's configuration: the environment, parsed once and checked. A bad value stops
 * start-up with the variable's name and what was expected.
 */
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { DEFAULT_BASE_URL } from '@leadtosheet/shared';
import type { SignInLimits } from './dashboard/dashboard.js';
import { ConfigError } from './config-error.js';
import { formatDuration, parseDuration } from './duration.js';

const int = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const durations = (name: string, fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const text = v?.trim() ? v : fallback;
      const parts = text.split(',').map((p) => parseDuration(p));
      if (parts.some((p) => p === undefined || p <= 0)) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a comma-separated list of durations such as "5s,5m,30m,2h", got "${v}"` });
        return z.NEVER;
      }
      return parts as number[];
    });

const EnvSchema = z.object({
  PORT: int('PORT', 0, 65535, 8080),
  HOST: z.string().optional().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^postgres(ql)?:\/\//.test(v), 'DATABASE_URL must be a postgres:// or postgresql:// connection string'),
  BRIDGE_DATA_DIR: z.string().optional(),
  LTS_BASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^https?:\/\/[^\s]+$/.test(v), 'LTS_BASE_URL must be an http(s) URL such as https://www.leadtosheet.com/api/v1'),
  BRIDGE_ENCRYPTION_KEY: z
    .string()
    .optional()
    .refine((v) => !v || decodeKey(v) !== undefined, 'BRIDGE_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64 (generate one with: openssl rand -base64 32)'),
  POLL_INTERVAL_SECONDS: int('POLL_INTERVAL_SECONDS', 1, 86_400, 10),
  LTS_REQUESTS_PER_MINUTE: int('LTS_REQUESTS_PER_MINUTE', 1, 100_000, 120),
  RETRY_SCHEDULE: durations('RETRY_SCHEDULE', '5s,5m,30m,2h,5h,10h,10h'),
  DELIVERY_TIMEOUT_SECONDS: int('DELIVERY_TIMEOUT_SECONDS', 1, 300, 15),
  DELIVERY_CONCURRENCY: int('DELIVERY_CONCURRENCY', 1, 256, 16),
  SUBSCRIPTION_CONCURRENCY: int('SUBSCRIPTION_CONCURRENCY', 1, 100, 4),
  SHUTDOWN_GRACE_SECONDS: int('SHUTDOWN_GRACE_SECONDS', 0, 600, 10),
  ALLOW_PRIVATE_TARGETS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const bad = list.find((c) => !isCidr(c));
      if (bad) {
        ctx.addIssue({ code: 'custom', message: `ALLOW_PRIVATE_TARGETS must be comma-separated CIDR ranges such as 127.0.0.0/8,::1/128, got "${bad}"` });
        return z.NEVER;
      }
      return list;
    }),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const text = v?.trim() ?? '';
      if (text === '' || text === 'false') return false;
      if (/^\d{1,2}$/.test(text)) return Number(text);
      const list = text.split(',').map((p) => p.trim()).filter(Boolean);
      const bad = list.find((p) => !['loopback', 'linklocal', 'uniquelocal'].includes(p) && !isCidr(p) && !ipaddr.isValid(p));
      if (bad || text === 'true') {
        ctx.addIssue({ code: 'custom', message: `TRUST_PROXY must be the number of proxies in front of the bridge, or their addresses (loopback, uniquelocal, CIDR ranges), got "${bad ?? text}"` });
        return z.NEVER;
      }
      return list;
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
});

export interface BridgeConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  ltsBaseUrl: string;
  encryptionKey?: Buffer;
  pollIntervalMs: number;
  requestsPerMinute: number;
  retryScheduleMs: number[];
  deliveryTimeoutMs: number;
  deliveryConcurrency: number;
  subscriptionConcurrency: number;
  shutdownGraceMs: number;
  allowPrivateTargets: string[];
  logLevel: string;
  /** Express's "trust proxy": the TLS proxy in front, so the dashboard's cookie is Secure and sign-in limits count the real client. */
  trustProxy: false | number | string[];
  /** Not from the environment: the clock admin keys are checked against (tests move it; default the system clock). */
  clock?: () => Date;
  /** Not from the environment: how failed dashboard sign-ins are slowed and refused (tests shorten it; default SIGN_IN_LIMITS). */
  dashboardSignIn?: SignInLimits;
}

export { ConfigError };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0] ?? '')}: ${i.message}`);
    throw new ConfigError(`The bridge's configuration is invalid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    dataDir: path.resolve(e.BRIDGE_DATA_DIR ?? '.data/bridge'),
    ltsBaseUrl: e.LTS_BASE_URL ?? DEFAULT_BASE_URL,
    ...(e.BRIDGE_ENCRYPTION_KEY ? { encryptionKey: decodeKey(e.BRIDGE_ENCRYPTION_KEY)! } : {}),
    pollIntervalMs: e.POLL_INTERVAL_SECONDS * 1000,
    requestsPerMinute: e.LTS_REQUESTS_PER_MINUTE,
    retryScheduleMs: e.RETRY_SCHEDULE,
    deliveryTimeoutMs: e.DELIVERY_TIMEOUT_SECONDS * 1000,
    deliveryConcurrency: e.DELIVERY_CONCURRENCY,
    subscriptionConcurrency: e.SUBSCRIPTION_CONCURRENCY,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    allowPrivateTargets: e.ALLOW_PRIVATE_TARGETS,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
  };
}

/** What the configuration looks like with secrets left out, for the start-up log. */
export function describeConfig(c: BridgeConfig) {
  return {
    listen: `${c.host}:${c.port}`,
    store: c.databaseUrl ? `postgresql (${redactUrl(c.databaseUrl)})` : `embedded (${c.dataDir})`,
    ltsBaseUrl: c.ltsBaseUrl,
    pollInterval: formatDuration(c.pollIntervalMs),
    retrySchedule: c.retryScheduleMs.map(formatDuration).join(','),
    deliveryTimeout: formatDuration(c.deliveryTimeoutMs),
    allowPrivateTargets: c.allowPrivateTargets,
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export function decodeKey(text: string): Buffer | undefined {
  const t = text.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  return buf.length === 32 ? buf : undefined;
}

function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}
