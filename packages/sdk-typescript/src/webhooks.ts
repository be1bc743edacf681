import { Webhook } from 'standardwebhooks';
import { TallyError } from './errors.js';

/** What Tally POSTs to an endpoint: FlexPrice's flat body, `event_type` and one entity key. */
export interface WebhookPayload {
  event_type: string;
  [entity: string]: unknown;
}

/** Request headers as Node (`req.headers`), fetch (`Headers`) or a plain object carry them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** The delivery's signature did not verify (wrong secret, altered body, missing headers, or a timestamp more than 5 minutes off). */
export class TallyWebhookVerificationError extends TallyError {
  override name = 'TallyWebhookVerificationError';
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

/**
 * Verifies a webhook delivery with the endpoint's secret (`whsec_…`) and returns its parsed body.
 * Pass the raw body exactly as received (a string or the bytes, before any JSON parsing). Tally
 * signs with the Standard Webhooks scheme; this wraps the `standardwebhooks` library. The
 * `webhook-*` headers are read, or the `svix-*` ones (FlexPrice Cloud's) when those are absent.
 * Deliveries are at least once: deduplicate on the `webhook-id` header.
 */
export function verifyWebhook<T extends WebhookPayload = WebhookPayload>(payload: string | Uint8Array, headers: WebhookHeaders, secret: string): T {
  const pick = (name: string) => headerValue(headers, `webhook-${name}`) ?? headerValue(headers, `svix-${name}`) ?? '';
  try {
    return new Webhook(secret).verify(payload, { 'webhook-id': pick('id'), 'webhook-timestamp': pick('timestamp'), 'webhook-signature': pick('signature') }) as T;
  } catch (err) {
    throw new TallyWebhookVerificationError(`webhook verification failed: ${(err as Error).message}`, { cause: err });
  }
}
