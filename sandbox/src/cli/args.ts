/**
 * The sandbox CLI's rules on the shared parseArgs wrapper (@leadtosheet/shared/cli-args): a
 * number of positional words the command checks itself, a blank required value is missing.
 */
import { parseCommandLine, required as requiredValue, type CliOptions } from '@leadtosheet/shared/cli-args';

export { integer, ratio } from '@leadtosheet/shared/cli-args';

export const parse = <O extends CliOptions>(args: string[], options: O, positionals = 0) => parseCommandLine(args, options, { positionals });

export const required = (value: string | undefined, flag: string): string => requiredValue(value, flag, { blankIsMissing: true });
