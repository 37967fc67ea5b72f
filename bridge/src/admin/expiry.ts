/**
 * A key's expiry as people write it: a date ("2027-01-31", "2027-01-31T09:00:00Z") or a
 * duration from now ("90m", "12h", "30d", "2w"). Always in the future, at most ten years out.
 */
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const MAX_MS = 3650 * 86_400_000;
export const TEMPORARY_MS = 3_600_000;

export type ExpiryResult = { ok: true; at: Date } | { ok: false; message: string };

export function parseExpiry(text: string, now: Date): ExpiryResult {
  const t = text.trim();
  const duration = /^(\d{1,7})\s*([mhdw])$/.exec(t);
  let at: Date;
  if (duration) {
    const ms = Number(duration[1]) * UNIT_MS[duration[2]!]!;
    if (ms <= 0) return { ok: false, message: 'must be a duration greater than zero, such as 30d' };
    at = new Date(now.getTime() + ms);
  } else if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t) && isCalendarDate(t.slice(0, 10)) && !Number.isNaN(Date.parse(t))) {
    at = new Date(/T|\s/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/.test(t) ? `${t.replace(' ', 'T')}Z` : t);
  } else {
    return { ok: false, message: `must be a date such as 2027-01-31 or 2027-01-31T09:00:00Z, or a duration such as 12h or 30d (got "${t.slice(0, 40)}")` };
  }
  if (at.getTime() <= now.getTime()) return { ok: false, message: `is in the past (${at.toISOString()}): a key must expire in the future` };
  if (at.getTime() - now.getTime() > MAX_MS) return { ok: false, message: 'is more than ten years away' };
  return { ok: true, at };
}

/** "2027-02-30" is not a day (Date.parse would roll it over to March). */
function isCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
