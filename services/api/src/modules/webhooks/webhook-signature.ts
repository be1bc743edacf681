import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret as Standard Webhooks and Svix write them: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` value: one `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` per
 * secret, space-separated (Standard Webhooks lets a receiver accept any of them). During a secret
 * rotation both the new and the previous secret sign.
 */
export function signatureOf(secrets: string[], id: string, at: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' ');
}

/**
 * The headers of a delivery: Standard Webhooks' names, and the same values under Svix's names so a
 * receiver written for FlexPrice Cloud (which delivers through Svix) verifies unchanged.
 */
export function signedHeaders(id: string, at: Date, signature: string): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
    'svix-id': id,
    'svix-timestamp': timestamp,
    'svix-signature': signature,
  };
}
