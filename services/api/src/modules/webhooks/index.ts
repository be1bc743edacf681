/** Outbound webhooks, as other modules and the composition root use them. */
export { record, recordAll, type NewWebhookEvent, type WebhookEventType } from './webhook-outbox.ts';
export { webhookChannel } from './webhook-event.repo.ts';
export { WebhookEndpointService, type EnvironmentTypeOf } from './webhook-endpoint.service.ts';
export { WebhookEventService } from './webhook-event.service.ts';
export { WebhookDeliveryService } from './webhook-delivery.service.ts';
export { WebhookDispatcher, type DispatcherOptions } from './webhook-dispatcher.ts';
export { WebhookSender } from './webhook-sender.ts';
export type { AddressPolicy } from './url-safety.ts';
