/**
 * Scopes and which operation needs which: documented by LeadToSheet (hard rules).
 */
export const scopes = ['submissions:read', 'submissions:write', 'forms:read', 'forms:write'] as const;
export type Scope = (typeof scopes)[number];

export const isScope = (value: unknown): value is Scope => scopes.includes(value as Scope);

/** What each scope grants, in words a non-developer understands. */
export const scopeDescriptions: Record<Scope, string> = {
  'submissions:read': 'list and read submissions (leads)',
  'submissions:write': 'create submissions (leads)',
  'forms:read': 'list and read forms',
  'forms:write': 'update forms: rename, change the sheet tab, ignore',
};

export type Operation =
  | 'getSite'
  | 'listSubmissions'
  | 'getSubmission'
  | 'createSubmission'
  | 'listForms'
  | 'getForm'
  | 'updateForm';

/** The scope each operation needs; `null` means any valid key will do. */
export const operationScopes: Record<Operation, Scope | null> = {
  getSite: null,
  listSubmissions: 'submissions:read',
  getSubmission: 'submissions:read',
  createSubmission: 'submissions:write',
  listForms: 'forms:read',
  getForm: 'forms:read',
  updateForm: 'forms:write',
};

/** Short human names of operations, used in error messages. */
export const operationLabels: Record<Operation, string> = {
  getSite: 'read the site',
  listSubmissions: 'list submissions',
  getSubmission: 'read a submission',
  createSubmission: 'create a submission',
  listForms: 'list forms',
  getForm: 'read a form',
  updateForm: 'update a form',
};

/**
 * Finds a scope name inside a free-text message ("... requires forms:write ...").
 * When the text names several (the key's own scopes and the missing one), `prefer` wins
 * if it is among them: pass the scope the failed operation needs.
 */
export const findScopeIn = (text: string | undefined, prefer?: Scope | null): Scope | undefined => {
  if (!text) return undefined;
  if (prefer && text.includes(prefer)) return prefer;
  return scopes.find((s) => text.includes(s));
};
