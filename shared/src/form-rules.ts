/**
 * What LeadToSheet's form endpoints do to submitted fields (documented): values are
 * capped at 10,000 characters and sensitive field names (password, cvc, ssn, ...) are
 * dropped. The sandbox applies these rules; the contract check verifies them upstream.
 */
import type { FieldValue } from './contract.js';

export const FIELD_VALUE_MAX_CHARS = 10_000;

/** The documented examples; the list is open-ended ("..."), the rest below is our reading. */
export const SENSITIVE_FIELD_EXAMPLES = ['password', 'cvc', 'ssn'] as const;

const SENSITIVE_NAMES = new Set([
  ...SENSITIVE_FIELD_EXAMPLES,
  'passwd',
  'pwd',
  'passcode',
  'pin',
  'cvv',
  'cvv2',
  'cvc2',
  'cardnumber',
  'ccnumber',
  'creditcard',
  'creditcardnumber',
  'cardcvc',
  'cardcvv',
  'securitycode',
  'socialsecuritynumber',
  'iban',
]);

/** Case-insensitive, ignoring spaces, dashes, underscores and dots: "Card Number" = "card_number". */
export function isSensitiveFieldName(name: string): boolean {
  const normal = name.toLowerCase().replace(/[\s_.-]+/g, '');
  return SENSITIVE_NAMES.has(normal) || normal.includes('password');
}

export interface FormRulesResult {
  fields: Record<string, FieldValue>;
  /** Names of fields whose value was cut to the cap. */
  truncated: string[];
  /** Names of fields dropped as sensitive. */
  dropped: string[];
}

const cap = (v: string) => v.slice(0, FIELD_VALUE_MAX_CHARS);

export function applyFormRules(fields: Record<string, FieldValue>): FormRulesResult {
  const out: Record<string, FieldValue> = {};
  const truncated: string[] = [];
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (isSensitiveFieldName(name)) {
      dropped.push(name);
      continue;
    }
    if (typeof value === 'string' && value.length > FIELD_VALUE_MAX_CHARS) {
      truncated.push(name);
      out[name] = cap(value);
    } else if (Array.isArray(value) && value.some((v) => v.length > FIELD_VALUE_MAX_CHARS)) {
      truncated.push(name);
      out[name] = value.map(cap);
    } else {
      out[name] = value;
    }
  }
  return { fields: out, truncated, dropped };
}
