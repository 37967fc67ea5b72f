/** lts-sandbox: a local emulator of the LeadToSheet REST API v1, for tests, demos and the contract check. */
export { createSandbox, API_BASE_PATH, ADMIN_BASE_PATH, DEFAULT_HOST } from './create-sandbox.js';
export type { Sandbox, RunningSandbox, NewSubmission } from './create-sandbox.js';
export type { SandboxOptions } from './options.js';
export type { Clock } from './clock.js';
export { Faults, seededRandom, type FaultOptions, type FaultSettings } from './http/faults.js';
export { DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW_MS } from './http/rate-limit.js';
export { BODY_LIMIT_BYTES } from './http/json-body.js';
export { Store, type StoreCounts } from './store/store.js';
export type { SiteRecord, KeyRecord, FormRecord, SubmissionRecord, StoreData } from './store/records.js';
export type { KeyView, IssuedKey, KeyStatus, CreateKeyInput } from './domain/keys.js';
export type { CreateSiteInput } from './domain/sites.js';
export type { CreateFormInput } from './domain/forms.js';
export { DEFAULT_FORM_NAME } from './domain/forms.js';
export type { DemoSeed } from './seed/demo.js';
export { openApiDocument } from './openapi/document.js';
export { streamLogger, silentLogger, type Logger } from './logger.js';
