/**
 * The factory behind every trigger: display, polling operation, the shared client and
 * the error edge, so a trigger file only says what it lists.
 */
import type { LeadToSheetClient } from '@leadtosheet/shared';
import { defineTrigger, type Bundle, type InputFields, type OutputFields, type ZObject } from 'zapier-platform-core';
import { withClient } from '../lib/with-client.js';
import type { Feature } from '../lib/zapier-errors.js';

export interface PollingTriggerSpec<K extends string, F extends InputFields> {
  key: K;
  noun: string;
  label: string;
  description: string;
  hidden?: boolean;
  inputFields?: F;
  /** Input labels for error messages (see Feature). */
  inputs?: Feature['inputs'];
  outputFields: OutputFields;
  sample: Record<string, unknown>;
  /** Dropdown triggers: Zapier asks page after page (bundle.meta.page). */
  canPaginate?: boolean;
  list: (lts: LeadToSheetClient, bundle: Bundle, z: ZObject) => Promise<Array<{ id: string }>>;
}

export function pollingTrigger<const K extends string, const F extends InputFields = []>(spec: PollingTriggerSpec<K, F>) {
  const feature: Feature = { name: `the "${spec.label}" trigger`, inputs: spec.inputs, notFound: 'Form' };
  return defineTrigger({
    key: spec.key,
    noun: spec.noun,
    display: { label: spec.label, description: spec.description, ...(spec.hidden ? { hidden: true } : {}) },
    operation: {
      type: 'polling',
      ...(spec.inputFields ? { inputFields: spec.inputFields } : {}),
      ...(spec.canPaginate ? { canPaginate: true } : {}),
      perform: withClient(feature, spec.list),
      outputFields: spec.outputFields,
      sample: spec.sample,
    },
  });
}

/** How many items a poll should return: Zapier's page size, else a sensible default. */
export function pollSize(bundle: Bundle, fallback = 100): number {
  const limit = bundle.meta?.limit;
  if (typeof limit === 'number' && limit > 0) return limit;
  return bundle.meta?.isPopulatingDedupe ? fallback * 5 : fallback;
}
