/** lts-bridge as a library: start a bridge in-process (tests, embedding). */
export { loadConfig, describeConfig, ConfigError, type BridgeConfig } from './config.js';
export { createLogger, redactSecrets, type Logger } from './logger.js';
export { startBridge, type RunningBridge, type BridgeServices } from './services.js';
export { signWebhook, newSigningSecret, maskSecret, SECRET_PREFIX } from './delivery/sign-webhook.js';
export { checkTarget, isAllowedAddress, parseTargetUrl } from './delivery/safe-target.js';
export { nextRetryDelay } from './delivery/retry-schedule.js';
export { createCryptoBox } from './crypto-box.js';
export { RequestBudget, BudgetExhausted } from './polling/request-budget.js';
export { runDemo } from './demo/run-demo.js';
