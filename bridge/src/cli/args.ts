/** util.parseArgs with the CLI's rules: unknown flags, missing values and extra words are usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: string[], options: O, positionals: string[] = []) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, '.') : String(err));
  }
  if (parsed.positionals.length > positionals.length) throw new UsageError(`Unexpected argument "${parsed.positionals[positionals.length]!.slice(0, 40)}".`);
  const missing = positionals[parsed.positionals.length];
  if (missing) throw new UsageError(`${missing} is required.`);
  return parsed;
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required.`);
  return value;
}

export function integer(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value.slice(0, 20)}").`);
  return n;
}
