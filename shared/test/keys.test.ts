import { describe, expect, it } from '@jest/globals';
import { checkKeyShape, maskKey, redactKeys } from '@leadtosheet/shared';

const KEY = 'lts_AbCd1234efgh5678IJKL';

describe('checkKeyShape', () => {
  it('accepts a well-formed key and gives it back unchanged', () => {
    expect(checkKeyShape(KEY)).toEqual({ ok: true, key: KEY });
    expect(checkKeyShape('lts_with-dash_and_underscore_0123')).toEqual({ ok: true, key: 'lts_with-dash_and_underscore_0123' });
  });

  it.each<[string, unknown, RegExp]>([
    ['missing (undefined)', undefined, /missing/i],
    ['missing (empty string)', '', /missing/i],
    ['not a string', 12345, /missing/i],
    ['an object', { key: KEY }, /missing/i],
    ['spaces around it', ` ${KEY} `, /spaces or line breaks around it/],
    ['a trailing line break', `${KEY}\n`, /spaces or line breaks around it/],
    ['"Bearer " in front', `Bearer ${KEY}`, /without the word "Bearer"/],
    ['"bearer " in lower case', `bearer ${KEY}`, /without the word "Bearer"/],
    ['a wrong prefix', 'sk_live_AbCd1234efgh5678IJKL', /keys start with "lts_"/],
    ['the prefix in upper case', 'LTS_AbCd1234efgh5678IJKL', /keys start with "lts_"/],
    ['a space inside', 'lts_AbCd1234 efgh5678IJKL', /contains a space or line break/],
    ['a line break inside', 'lts_AbCd1234\nefgh5678IJKL', /contains a space or line break/],
    ['characters a key never has', 'lts_AbCd1234efgh5678IJ+L', /characters a LeadToSheet key never has/],
    ['a dot', 'lts_AbCd1234.efgh5678IJKL', /characters a LeadToSheet key never has/],
    ['too short (cut off)', 'lts_AbCd1234', /too short \(12 characters\)/],
    ['too long', `lts_${'a'.repeat(201)}`, /too long \(205 characters\)/],
  ])('refuses a key that is %s', (_, input, problem) => {
    const result = checkKeyShape(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatch(problem);
    // The message never echoes what was pasted.
    if (typeof input === 'string' && input.length > 12) expect(result.problem).not.toContain(input.trim().slice(4, 12));
  });

  it('accepts the shortest and the longest secret', () => {
    expect(checkKeyShape(`lts_${'a'.repeat(16)}`).ok).toBe(true);
    expect(checkKeyShape(`lts_${'a'.repeat(200)}`).ok).toBe(true);
    expect(checkKeyShape(`lts_${'a'.repeat(15)}`).ok).toBe(false);
  });
});

describe('maskKey', () => {
  it.each([
    [KEY, 'lts_AbCd…'],
    ['lts_1234567890abcdefgh', 'lts_1234…'],
    ['sk_live_123', '(not an lts_ key)'],
    [undefined, '(not an lts_ key)'],
    [42, '(not an lts_ key)'],
  ])('masks %p as %p', (key, masked) => {
    expect(maskKey(key)).toBe(masked);
  });

  it('never shows more than the prefix and four characters', () => {
    expect(maskKey(KEY)).not.toContain(KEY.slice(8));
  });

  it.each([
    ['lts_abc', 'lts_…'],
    ['lts_12345678', 'lts_12…'],
    ['lts_', 'lts_…'],
  ])('shows no more than a quarter of a short (malformed) key: %p as %p', (key, masked) => {
    expect(maskKey(key)).toBe(masked);
  });
});

describe('redactKeys', () => {
  it.each([
    [`Key ${KEY} is revoked`, 'Key lts_AbCd… is revoked'],
    [`Authorization: Bearer ${KEY}`, 'Authorization: Bearer lts_AbCd…'],
    [`two keys: ${KEY}, lts_zzzz9999yyyy8888`, 'two keys: lts_AbCd…, lts_zzzz…'],
    ['{"key":"' + KEY + '"}', '{"key":"lts_AbCd…"}'],
    ['no key here', 'no key here'],
    ['lts_ alone and lts_short stay', 'lts_ alone and lts_short stay'],
  ])('redacts %p', (text, redacted) => {
    expect(redactKeys(text)).toBe(redacted);
  });

  it('is idempotent: a masked key stays masked', () => {
    expect(redactKeys(redactKeys(`x ${KEY} y`))).toBe('x lts_AbCd… y');
  });
});
