/**
 * util.parseArgs with the rules of our command lines (lts-sandbox, lts-bridge): unknown flags,
 * missing values and extra words are usage errors, and so are bad values of the helpers below.
 * Each CLI sets its own few rules in its cli/args.ts. Lives behind its own entry point
 * (`@leadtosheet/shared/cli-args`) so Zapier and n8n never load it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A bad command line: the CLI prints the message and its usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type CliOptions = NonNullable<ParseArgsConfig['options']>;

export interface ParseRules {
  /** The positional words: how many may follow (default none), or their names, each then required in turn ("KEY is required."). */
  positionals?: number | readonly string[];
  /** Quote at most this many characters of an unexpected word back (default: all of it). */
  quoteMax?: number;
}

const quote = (value: string, max: number | undefined) => (max === undefined ? value : value.slice(0, max));

export function parseCommandLine<O extends CliOptions>(args: string[], options: O, rules: ParseRules = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, '.') : String(err));
  }
  const names = typeof rules.positionals === 'number' ? [] : (rules.positionals ?? []);
  const most = typeof rules.positionals === 'number' ? rules.positionals : names.length;
  if (parsed.positionals.length > most) throw new UsageError(`Unexpected argument "${quote(parsed.positionals[most]!, rules.quoteMax)}".`);
  const missing = names[parsed.positionals.length];
  if (missing) throw new UsageError(`${missing} is required.`);
  return parsed;
}

/** The value, or a usage error naming the flag when it is absent (or, with `blankIsMissing`, only white space). */
export function required(value: string | undefined, flag: string, rules: { blankIsMissing?: boolean } = {}): string {
  if (value === undefined || (rules.blankIsMissing && value.trim() === '')) throw new UsageError(`${flag} is required.`);
  return value;
}

/** A whole number from `min` to `max`, or undefined when absent; quotes at most `quoteMax` characters of a bad value back. */
export function integer(value: string | undefined, flag: string, min: number, max: number, rules: { quoteMax?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${quote(value, rules.quoteMax)}").`);
  return n;
}

/** A number from 0 to 1, or undefined when absent. */
export function ratio(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${flag} must be a number from 0 to 1 (got "${value}").`);
  return n;
}
