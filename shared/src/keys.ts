/**
 * API key helpers. Documented facts: every key starts with `lts_`, is sent as a Bearer
 * token, must never be logged in full; lists show only a prefix.
 */
export const KEY_PREFIX = 'lts_';
/** Characters shown after `lts_` when a key is masked. */
export const MASK_VISIBLE_CHARS = 4;
const MIN_SECRET = 16;
const MAX_SECRET = 200;
const SECRET_CHARS = /^[A-Za-z0-9_-]+$/;

export type KeyCheck = { ok: true; key: string } | { ok: false; problem: string };

/**
 * Checks a key's shape before it is ever sent, with a message precise enough to fix the
 * mistake (pasted with spaces, wrong key, truncated...). Never echoes the key itself.
 */
export function checkKeyShape(input: unknown): KeyCheck {
  if (typeof input !== 'string' || input.length === 0) {
    return { ok: false, problem: 'The API key is missing. Paste the key that starts with "lts_".' };
  }
  const key = input.trim();
  if (key !== input) {
    return {
      ok: false,
      problem: 'The API key has spaces or line breaks around it. Paste only the key, starting with "lts_".',
    };
  }
  if (/^bearer\s/i.test(key)) {
    return { ok: false, problem: 'Paste the key alone, without the word "Bearer" in front of it.' };
  }
  if (!key.startsWith(KEY_PREFIX)) {
    return {
      ok: false,
      problem: `This is not a LeadToSheet API key: keys start with "lts_" (this one starts with "${key.slice(0, 3)}…").`,
    };
  }
  const secret = key.slice(KEY_PREFIX.length);
  if (/\s/.test(secret)) {
    return { ok: false, problem: 'The API key contains a space or line break. Copy it again in one piece.' };
  }
  if (!SECRET_CHARS.test(secret)) {
    return {
      ok: false,
      problem: 'The API key contains characters a LeadToSheet key never has (only letters, digits, "_" and "-"). Copy it again.',
    };
  }
  if (secret.length < MIN_SECRET) {
    return { ok: false, problem: `The API key is too short (${key.length} characters): it was probably cut off. Copy it again.` };
  }
  if (secret.length > MAX_SECRET) {
    return { ok: false, problem: `The API key is too long (${key.length} characters): something extra was pasted with it.` };
  }
  return { ok: true, key };
}

/** `lts_ab12…`: safe to show in labels, logs and errors. */
export function maskKey(key: unknown): string {
  if (typeof key !== 'string' || !key.startsWith(KEY_PREFIX)) return '(not an lts_ key)';
  // A real key shows four characters; a short (malformed) one never more than a quarter of itself.
  const visible = Math.min(MASK_VISIBLE_CHARS, Math.floor((key.length - KEY_PREFIX.length) / 4));
  return `${key.slice(0, KEY_PREFIX.length + visible)}…`;
}

/** Replaces every `lts_…` key inside a text with its masked form. */
export function redactKeys(text: string): string {
  return text.replace(/lts_[A-Za-z0-9_-]{8,}/g, (k) => maskKey(k));
}
