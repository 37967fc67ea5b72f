/** The sandbox's notion of "now", injectable so tests can move time without sleeping. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** ISO 8601 UTC with milliseconds: 2026-01-31T09:00:00.000Z. */
export const isoAt = (clock: Clock): string => clock().toISOString();
