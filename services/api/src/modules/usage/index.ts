/** Usage, as other modules may read it. */
export { UsageService } from './usage.service.ts';
export type { UsageAnswer } from './usage.convert.ts';
