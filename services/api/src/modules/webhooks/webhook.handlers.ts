import type { Handlers } from '@tally/contract';
import { listResponse } from '../../listing/pagination.ts';
import type { RequestContext } from '../../request-context.ts';
import {
  fromCreateWebhookEndpointRequest,
  fromUpdateWebhookEndpointRequest,
  fromWebhookEndpointListRequest,
  toWebhookEndpointResponse,
} from './webhook-endpoint.convert.ts';
import type { WebhookEndpointService } from './webhook-endpoint.service.ts';
import { fromRetryWebhookEventRequest, fromWebhookEventListRequest, toWebhookDeliveryResponses, toWebhookEventResponse } from './webhook-event.convert.ts';
import type { WebhookEventService } from './webhook-event.service.ts';

type WebhookHandlers = Pick<
  Handlers<RequestContext>,
  | 'createWebhookEndpoint'
  | 'listWebhookEndpoints'
  | 'getWebhookEndpoint'
  | 'updateWebhookEndpoint'
  | 'deleteWebhookEndpoint'
  | 'rotateWebhookEndpointSecret'
  | 'testWebhookEndpoint'
  | 'listWebhookEvents'
  | 'getWebhookEvent'
  | 'listWebhookEventDeliveries'
  | 'retryWebhookEvent'
  | 'retryOutboundWebhook'
>;

export function webhookHandlers(endpoints: WebhookEndpointService, events: WebhookEventService): WebhookHandlers {
  return {
    createWebhookEndpoint: async ({ body }, ctx) => {
      const { endpoint, secret } = await endpoints.create(ctx.auth, fromCreateWebhookEndpointRequest(body));
      return toWebhookEndpointResponse(endpoint, secret);
    },
    listWebhookEndpoints: async ({ query }, ctx) => {
      const page = fromWebhookEndpointListRequest(query);
      return listResponse(await endpoints.list(ctx.auth, page), page, (e) => toWebhookEndpointResponse(e));
    },
    getWebhookEndpoint: async ({ path }, ctx) => toWebhookEndpointResponse(await endpoints.get(ctx.auth, path.id)),
    updateWebhookEndpoint: async ({ path, body }, ctx) =>
      toWebhookEndpointResponse(await endpoints.update(ctx.auth, path.id, fromUpdateWebhookEndpointRequest(body))),
    deleteWebhookEndpoint: async ({ path }, ctx) => {
      await endpoints.delete(ctx.auth, path.id);
      return { message: 'Webhook endpoint deleted successfully' };
    },
    rotateWebhookEndpointSecret: async ({ path }, ctx) => {
      const { endpoint, secret } = await endpoints.rotateSecret(ctx.auth, path.id);
      return toWebhookEndpointResponse(endpoint, secret);
    },
    testWebhookEndpoint: async ({ path }, ctx) => toWebhookEventResponse(await endpoints.sendTest(ctx.auth, path.id)),
    listWebhookEvents: async ({ query }, ctx) => {
      const filter = fromWebhookEventListRequest(query);
      return listResponse(await events.list(ctx.auth, filter), filter.page, toWebhookEventResponse);
    },
    getWebhookEvent: async ({ path }, ctx) => toWebhookEventResponse(await events.get(ctx.auth, path.id)),
    listWebhookEventDeliveries: async ({ path }, ctx) => {
      const { deliveries, attempts } = await events.deliveries(ctx.auth, path.id);
      return { items: toWebhookDeliveryResponses(deliveries, attempts) };
    },
    retryWebhookEvent: async ({ path, body }, ctx) => {
      const { deliveries, attempts } = await events.retry(ctx.auth, path.id, fromRetryWebhookEventRequest(body).endpointId);
      return { items: toWebhookDeliveryResponses(deliveries, attempts) };
    },
    retryOutboundWebhook: async ({ body }, ctx) => {
      await events.retryOutbound(ctx.auth, body.system_event_id);
      return { success: true, message: 'Webhook delivery scheduled for the system event', system_event_id: body.system_event_id };
    },
  };
}
