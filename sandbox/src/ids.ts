/**
 * Ids such as `sub_01jd6z7q3k8m2n4p5r6s7t8v9w`: a prefix, then a ULID-style body in
 * lower-case Crockford base32 (10 characters of milliseconds, 16 of randomness).
 * Ids sort in creation order, also within one millisecond (the random part is
 * incremented instead of redrawn), and never repeat.
 */
import { randomBytes } from 'node:crypto';

export const idPrefixes = { site: 'site', key: 'key', form: 'form', submission: 'sub' } as const;
export type IdKind = keyof typeof idPrefixes;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_BITS = 80n;
const RANDOM_MAX = (1n << RANDOM_BITS) - 1n;

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out;
}

let lastTime = -1;
let lastRandom = 0n;

/** A new unique, sortable id of the given kind. */
export function newId(kind: IdKind, nowMs: number = Date.now()): string {
  if (nowMs > lastTime || lastRandom >= RANDOM_MAX) {
    lastTime = Math.max(nowMs, lastTime + 1);
    // Top bit left clear: room to count up within one millisecond.
    lastRandom = BigInt(`0x${randomBytes(10).toString('hex')}`) >> 1n;
  } else {
    // Same millisecond (or the clock went back): count up, so ids keep sorting in order.
    lastRandom += 1n;
  }
  return `${idPrefixes[kind]}_${encode(BigInt(lastTime), 10)}${encode(lastRandom, 16)}`;
}

/** True when `id` looks like one of ours for this kind (anything else is simply not found). */
export const isIdOf = (kind: IdKind, id: string): boolean => new RegExp(`^${idPrefixes[kind]}_[0-9a-z]{26}$`).test(id);
