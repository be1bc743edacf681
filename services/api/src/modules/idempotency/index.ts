/** Idempotency-Key records, as the HTTP edge uses them. */
export { IdempotencyService, abandonedAfterMs, retentionMs, type Claim, type StoredResponse } from './idempotency.service.ts';
