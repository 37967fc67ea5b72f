import { describe, expect, it } from '@jest/globals';
import { isIdOf, newId } from '../src/ids.js';

describe('ids', () => {
  it('carry their kind as a prefix and a 26-character sortable body', () => {
    expect(newId('site')).toMatch(/^site_[0-9a-z]{26}$/);
    expect(newId('key')).toMatch(/^key_[0-9a-z]{26}$/);
    expect(newId('form')).toMatch(/^form_[0-9a-z]{26}$/);
    expect(isIdOf('submission', newId('submission'))).toBe(true);
    expect(isIdOf('submission', newId('form'))).toBe(false);
  });

  it('sort in creation order within one millisecond, and never repeat', () => {
    const at = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 1000 }, () => newId('submission', at));
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keep increasing when the clock goes back', () => {
    const later = newId('submission', Date.UTC(2030, 0, 1));
    const earlier = newId('submission', Date.UTC(2020, 0, 1));
    expect(earlier > later).toBe(true);
  });

  it('a later millisecond sorts after an earlier one', () => {
    const a = newId('form', Date.UTC(2031, 0, 1, 0, 0, 0, 1));
    const b = newId('form', Date.UTC(2031, 0, 1, 0, 0, 0, 2));
    expect(b > a).toBe(true);
    expect(b.slice(5, 15)).not.toBe(a.slice(5, 15));
  });
});
