import type { HandlersOf } from '../../request-context.ts';
import { fromSubscriptionChangeRequest, toSubscriptionChangeExecuteResponse, toSubscriptionChangePreviewResponse } from './subscription-change-v1.convert.ts';
import type { SubscriptionReplacements } from './subscription-change-v1.service.ts';

type ReplacementHandlers = HandlersOf<'previewSubscriptionChange' | 'executeSubscriptionChange'>;

/** The v1 plan change: the subscription replaced by a new one on the target plan. */
export function replacementHandlers(replacements: SubscriptionReplacements): ReplacementHandlers {
  return {
    previewSubscriptionChange: async ({ path, body }, ctx) => toSubscriptionChangePreviewResponse(await replacements.preview(ctx.auth, path.id, fromSubscriptionChangeRequest(body))),
    executeSubscriptionChange: async ({ path, body }, ctx) => toSubscriptionChangeExecuteResponse(await replacements.execute(ctx.auth, path.id, fromSubscriptionChangeRequest(body))),
  };
}
