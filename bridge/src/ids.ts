/** Time-sortable, unique ids with a type prefix: msg_ (deliveries = webhook-id), evt_, hook_, sec_, key_ (admin keys). */
import { randomFillSync } from 'node:crypto';

/** Random bytes per id, and how many ids one call to the CSPRNG serves. */
const ID_BYTES = 10;
const POOL_IDS = 256;

// One randomFillSync per POOL_IDS ids: a call per id (randomBytes) was 4 µs, 3% of the
// delivery thread's time while a drain created 40,000 ids (README "Benchmark", 2026-12-04).
// Each id takes its own bytes of the pool, never reused.
const pool = Buffer.alloc(ID_BYTES * POOL_IDS);
let offset = pool.length;

function randomPart(): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const part = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return part;
}

export function newId(prefix: 'msg' | 'evt' | 'hook' | 'sec' | 'key'): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomPart().replace(/[-_]/g, 'x')}`;
}
