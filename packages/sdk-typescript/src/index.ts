export { Tally, type TallyApis } from './client.js';
export { defaultBaseUrl, type TallyOptions } from './options.js';
export {
  type ErrorEnvelope,
  TallyApiError,
  TallyAuthenticationError,
  TallyConflictError,
  TallyConnectionError,
  TallyError,
  TallyIdempotencyError,
  TallyNotFoundError,
  TallyPermissionError,
  TallyRateLimitError,
  TallyServerError,
  TallyTimeoutError,
  TallyValidationError,
} from './errors.js';
export { collectAll, type Page, type PageRequest, paginate } from './paginate.js';
export { idempotencyHeader } from './retrying-fetch.js';
export { TallyWebhookVerificationError, verifyWebhook, type WebhookHeaders, type WebhookPayload } from './webhooks.js';
// The generated core: operation classes, models and the runtime they share.
export * from './generated/index.js';
