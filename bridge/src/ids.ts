/** Time-sortable, unique ids with a type prefix: msg_ (deliveries = webhook-id), evt_, hook_, sec_, key_ (admin keys). */
import { randomBytes } from 'node:crypto';

export function newId(prefix: 'msg' | 'evt' | 'hook' | 'sec' | 'key'): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(10).toString('base64url').replace(/[-_]/g, 'x')}`;
}
