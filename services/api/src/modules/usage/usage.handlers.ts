import type { Handlers } from '@tally/contract';
import type { RequestContext } from '../../request-context.ts';
import { parseMeterUsage, parseUsageStatistics } from './usage.input.ts';
import { toApiUsage } from './usage.mapper.ts';
import type { UsageService } from './usage.service.ts';

type UsageHandlers = Pick<Handlers<RequestContext>, 'getUsageStatistics' | 'getUsageByMeter'>;

/** Usage queries: map the wire to the service's inputs and back; nothing else. */
export function usageHandlers(usage: UsageService): UsageHandlers {
  return {
    getUsageStatistics: async ({ body }, ctx) => toApiUsage(await usage.statistics(ctx.auth, parseUsageStatistics(body))),
    getUsageByMeter: async ({ body }, ctx) => toApiUsage(await usage.byMeter(ctx.auth, parseMeterUsage(body))),
  };
}
