/**
 * The edge: a LeadToSheetError (shared, with its friendly message) becomes the Zapier
 * error that makes the editor do the right thing: reconnect, wait, or point at an input.
 */
import { isLeadToSheetError, localErrorCodes, scopeDescriptions, type LeadToSheetError } from '@leadtosheet/shared';
import type { ZObject } from 'zapier-platform-core';

/** What the user was doing, in their words. */
export interface Feature {
  /** 'the "Update Form" action'. */
  name: string;
  /** Zapier input label by API or client field name ("sheet_tab" -> "Sheet Tab"). */
  inputs?: Record<string, string>;
  /** The input whose id a 404 points at ("Form"). */
  notFound?: string;
}

const INPUT_STATUSES = new Set([400, 404, 413, 422]);

export function toZapierError(z: ZObject, error: unknown, feature: Feature): Error {
  if (!isLeadToSheetError(error)) return error instanceof Error ? error : new Error(String(error));
  if (error.status === 401 || error.code === localErrorCodes.invalidKey) return new z.errors.ExpiredAuthError(error.message);
  if (error.status === 403) return new z.errors.Error(scopeMessage(error, feature), error.code, 403);
  if (error.status === 429) {
    const seconds = error.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return new z.errors.ThrottledError(error.message, seconds);
  }
  if (INPUT_STATUSES.has(error.status) || error.code === localErrorCodes.invalidInput) {
    return new z.errors.Error(inputMessage(error, feature), error.code, error.status || 400);
  }
  return new z.errors.Error(error.message, error.code, error.status || undefined);
}

function scopeMessage(error: LeadToSheetError, feature: Feature): string {
  const scope = error.requiredScope;
  if (!scope) return `${capitalize(feature.name)} was refused: ${error.message}`;
  return (
    `${capitalize(feature.name)} needs the "${scope}" scope (${scopeDescriptions[scope]}), and this API key does not have it. ` +
    `Create a LeadToSheet API key that includes "${scope}" in your LeadToSheet dashboard (API keys), then reconnect LeadToSheet in Zapier with it.`
  );
}

function inputMessage(error: LeadToSheetError, feature: Feature): string {
  if (error.status === 404) {
    return feature.notFound ? `Check the "${feature.notFound}" field. ${error.message}` : error.message;
  }
  const problems = (error.details ?? []).filter((d) => d.field || d.message);
  const named = problems
    .map((d) => ({ label: labelFor(d.field, feature), message: d.message ?? 'invalid value' }))
    .filter((p): p is { label: string; message: string } => p.label !== undefined);
  if (named.length === 0) return error.message;
  return named.map((p) => `Check the "${p.label}" field: ${p.message}`).join(' ');
}

/** "sheet_tab" -> "Sheet Tab"; "fields.Email" -> "Email" (a lead field is named by itself). */
function labelFor(field: string | undefined, feature: Feature): string | undefined {
  if (!field) return undefined;
  const inputs = feature.inputs ?? {};
  if (inputs[field]) return inputs[field];
  if (field.startsWith('fields.')) return field.slice('fields.'.length);
  return inputs[field.split('.')[0] ?? ''];
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
