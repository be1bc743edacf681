/** Usage events, as the composition root wires them. */
export { EventIngestion } from './event-ingestion.service.ts';
export { EventQuery } from './event-query.service.ts';
export { RejectedEvents } from './event-rejections.service.ts';
export { EventRepo } from './event.repo.ts';
