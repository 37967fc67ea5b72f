/**
 * Zapier's yes/no fields arrive as booleans, or as text when mapped from an earlier step
 * ("yes", "False", "1"). Empty means "not given".
 */
import { invalidInput } from '@leadtosheet/shared';

const YES = /^(true|yes|y|1|on)$/i;
const NO = /^(false|no|n|0|off)$/i;

export function parseYesNo(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim();
  if (YES.test(text)) return true;
  if (NO.test(text)) return false;
  throw invalidInput(field, `expected yes or no, got "${text}"`);
}
