/**
 * n8n's date & time pickers give wall-clock text without an offset ("2026-02-01T09:00:00"),
 * meant in the workflow's timezone. The API wants an instant, so such a value is read in
 * that timezone; a value with "Z" or an offset is already an instant and passes through.
 */
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

export function inTimezone(value: unknown, timeZone: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	const m = WALL_CLOCK.exec(text);
	if (!m) return text;
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
	const wall = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, +ms.padEnd(3, '0'));
	// The offset at the guessed instant, then again at the corrected one (daylight saving edges).
	let instant = wall - offsetAt(wall, timeZone);
	instant = wall - offsetAt(instant, timeZone);
	return new Date(instant).toISOString();
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(new Date(instant));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wall - (instant - (((instant % 1000) + 1000) % 1000));
}
