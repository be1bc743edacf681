import type { NewWebhookEvent } from '../webhooks/index.ts';
import { customerWebhookPayload, type Customer } from '../customers/index.ts';
import type { Subscription } from './subscription.entity.ts';
import { subscriptionWebhookPayload } from './subscription-response.ts';

export type SubscriptionEventType = 'subscription.created' | 'subscription.draft.created' | 'subscription.activated' | 'subscription.updated' | 'subscription.cancelled' | 'subscription.paused' | 'subscription.resumed' | 'subscription.plan_changed';

/** The system event announcing a change to `s`: FlexPrice's trimmed subscription (with its trimmed customer when known), taken at the change. */
export function subscriptionEvent(eventType: SubscriptionEventType, s: Subscription, at: Date, customer?: Customer): NewWebhookEvent {
  const trimmedCustomer = customer ? (customerWebhookPayload(customer).customer as Record<string, unknown>) : undefined;
  return { eventType, entityType: 'subscription', entityId: s.id, payload: subscriptionWebhookPayload(s, trimmedCustomer), at };
}
