/** lts-bridge as a library: start a bridge in-process (tests, embedding). */
export { loadConfig, describeConfig, ConfigError, type BridgeConfig } from './config.js';
export { createLogger, redactSecrets, type Logger } from './logger.js';
export { startBridge, type RunningBridge, type BridgeServices } from './services.js';
export { signWebhook, signingKey, newSigningSecret, maskSecret, SECRET_PREFIX } from './delivery/sign-webhook.js';
export { newId } from './ids.js';
export { checkTarget, isAllowedAddress, parseTargetUrl, deliveryDispatcher } from './delivery/safe-target.js';
export { postWebhook, RESPONSE_KEEP_CHARS, type PostResult } from './delivery/post-webhook.js';
export { nextRetryDelay } from './delivery/retry-schedule.js';
export { createCryptoBox } from './crypto-box.js';
export { RequestBudget, BudgetExhausted } from './polling/request-budget.js';
export { runDemo } from './demo/run-demo.js';
export { createAdminKeys, CLI_ACTOR, type AdminKeys, type AdminKeyView, type IssuedAdminKey, type Actor } from './admin/key-service.js';
export { adminKeysOf } from './admin/admin-router.js';
export { ADMIN_SCOPES, type AdminScope } from './admin/scopes.js';
export { parseExpiry, TEMPORARY_MS } from './admin/expiry.js';
export { generateAdminKey, adminKeyPrefix, hashAdminKey, sameHash, redactAdminKeys, HASH_SECRET_LABEL } from './admin/key-secret.js';
export { openDatabase, type Database } from './db/database.js';
export { migrate } from './db/schema.js';
