import type { HandlersOf } from '../../request-context.ts';
import { fromMeterUsageRequest, fromUsageStatisticsRequest, toUsageResponse } from './usage.convert.ts';
import type { UsageService } from './usage.service.ts';

type UsageHandlers = HandlersOf<'getUsageStatistics' | 'getUsageByMeter'>;

export function usageHandlers(usage: UsageService): UsageHandlers {
  return {
    getUsageStatistics: async ({ body }, ctx) => toUsageResponse(await usage.statistics(ctx.auth, fromUsageStatisticsRequest(body))),
    getUsageByMeter: async ({ body }, ctx) => toUsageResponse(await usage.byMeter(ctx.auth, fromMeterUsageRequest(body))),
  };
}
