import { describe, expect, it } from '@jest/globals';
import { findScopeIn, isScope, operationLabels, operationScopes, scopeDescriptions, scopes, type Operation } from '@leadtosheet/shared';

describe('scopes', () => {
  it.each<[Operation, string | null]>([
    ['getSite', null],
    ['listSubmissions', 'submissions:read'],
    ['getSubmission', 'submissions:read'],
    ['createSubmission', 'submissions:write'],
    ['listForms', 'forms:read'],
    ['getForm', 'forms:read'],
    ['updateForm', 'forms:write'],
  ])('%s needs %p', (operation, scope) => {
    expect(operationScopes[operation]).toBe(scope);
    expect(operationLabels[operation]).toEqual(expect.any(String));
  });

  it('describes every scope', () => {
    expect(Object.keys(scopeDescriptions).sort()).toEqual([...scopes].sort());
  });

  it.each<[unknown, boolean]>([
    ['forms:write', true],
    ['forms:delete', false],
    ['FORMS:WRITE', false],
    [undefined, false],
  ])('isScope(%p) is %p', (value, expected) => {
    expect(isScope(value)).toBe(expected);
  });

  it.each<[string | undefined, string | undefined, string | undefined]>([
    ['This action requires forms:write', undefined, 'forms:write'],
    ['missing scope: submissions:write.', undefined, 'submissions:write'],
    ['no scope named here', undefined, undefined],
    [undefined, 'forms:read', undefined],
    ['Key has forms:read, needs forms:write', 'forms:write', 'forms:write'],
    ['Key has forms:read, needs forms:write', undefined, 'forms:read'],
    ['Needs forms:write', 'submissions:read', 'forms:write'],
  ])('findScopeIn(%p, prefer %p) is %p', (text, prefer, expected) => {
    expect(findScopeIn(text, prefer as never)).toBe(expected);
  });
});
