/** Usage, as other modules may read it. */
export { UsageService, type MeterUsage, type MeterUsageRequest } from './usage.service.ts';
export type { UsageAnswer } from './usage.convert.ts';
