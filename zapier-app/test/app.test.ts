/** The definition as a whole: schema-valid, and complete for a no-code user. */
import { describe, expect, it } from '@jest/globals';
import zapier from 'zapier-platform-core';
import { App } from './helpers.js';

type Handler = (event: { command: string }) => Promise<{ results: unknown }>;
const createAppHandler = (zapier as unknown as { createAppHandler: (app: object) => Handler }).createAppHandler;

const operations = [
  ...Object.values(App.triggers).map((o) => ['trigger', o] as const),
  ...Object.values(App.creates).map((o) => ['action', o] as const),
  ...Object.values(App.searches).map((o) => ['search', o] as const),
];

describe('the app definition', () => {
  it('passes zapier-platform-core\'s schema validation (what `zapier-platform validate` runs)', async () => {
    const { results } = await createAppHandler(App)({ command: 'validate' });
    expect(results).toEqual([]);
  });

  it('declares every operation the issue asks for', () => {
    expect(Object.keys(App.triggers)).toEqual(['new_submission', 'new_submission_instant', 'new_form', 'form_list']);
    expect(Object.keys(App.creates)).toEqual(['create_lead', 'update_form']);
    expect(Object.keys(App.searches)).toEqual(['find_submission', 'find_form']);
    expect(Object.keys(App.searchOrCreates)).toEqual(['find_submission']);
  });

  it.each(operations.map(([kind, op]) => [`${kind} ${op.key}`, op] as const))('%s has a label, a description, output fields and a sample', (_name, op) => {
    expect(op.display.label).toMatch(/^[A-Z]/);
    expect(op.display.description?.length).toBeGreaterThan(10);
    expect(op.operation.outputFields?.length).toBeGreaterThan(0);
    expect(op.operation.sample).toHaveProperty('id');
  });

  it('every static output field has a human label', () => {
    for (const [, op] of operations) {
      for (const field of op.operation.outputFields ?? []) {
        if (typeof field === 'object') expect(field.label).toMatch(/^[A-Z]/);
      }
    }
  });

  it('reports the package version and the core it runs on', () => {
    expect(App.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(App.platformVersion).toBe(zapier.version);
  });
});
