/**
 * The bridge CLI's rules on the shared parseArgs wrapper (@leadtosheet/shared/cli-args): every
 * command takes --json, positional words are named and required, input quoted back is cut short.
 */
import { integer as integerValue, parseCommandLine, type CliOptions } from '@leadtosheet/shared/cli-args';

export { required } from '@leadtosheet/shared/cli-args';

export const parse = <O extends CliOptions>(args: string[], options: O, positionals: string[] = []) =>
  parseCommandLine(args, { ...options, json: { type: 'boolean' } }, { positionals, quoteMax: 40 });

export const integer = (value: string | undefined, flag: string, min: number, max: number): number | undefined =>
  integerValue(value, flag, min, max, { quoteMax: 20 });
