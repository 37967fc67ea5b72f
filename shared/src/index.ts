/** @leadtosheet/shared: the one LeadToSheet API v1 contract, used by every product. */
export * from './contract.js';
export * from './scopes.js';
export * from './keys.js';
export * from './errors.js';
export * from './retry-after.js';
export * from './retry-policy.js';
export * from './transport.js';
export * from './validation.js';
export * from './pagination.js';
export * from './client.js';
export * from './polling.js';
export * from './form-rules.js';
export * from './bridge.js';
