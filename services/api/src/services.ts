import type { MikroORM } from '@mikro-orm/core';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import { ApiKeyService } from './modules/api-keys/api-key.service.ts';
import { CustomerService } from './modules/customers/customer.service.ts';
import { EnvironmentService } from './modules/environments/environment.service.ts';
import { EventIngestion, writeConcurrencyOf } from './modules/events/event-ingestion.ts';
import { EventQuery } from './modules/events/event-query.ts';
import { EventStore } from './modules/events/event.store.ts';
import { FeatureService } from './modules/features/feature.service.ts';
import { MeterService } from './modules/meters/meter.service.ts';
import { UsageService } from './modules/usage/usage.service.ts';

/** The use-case layer, built once per process. */
export type Services = {
  apiKeys: ApiKeyService;
  customers: CustomerService;
  environments: EnvironmentService;
  meters: MeterService;
  features: FeatureService;
  eventIngestion: EventIngestion;
  eventQuery: EventQuery;
  usage: UsageService;
};

export function createServices(orm: MikroORM, clock: Clock, log: Logger): Services {
  const meters = new MeterService(orm, clock);
  const eventStore = new EventStore(orm);
  return {
    apiKeys: new ApiKeyService(orm, clock, (err) => log.warn({ err }, 'could not record API key use')),
    customers: new CustomerService(orm, clock),
    environments: new EnvironmentService(orm, clock),
    meters,
    features: new FeatureService(orm, clock, meters),
    eventIngestion: new EventIngestion(eventStore, clock, { maxConcurrentWrites: writeConcurrencyOf(orm) }),
    eventQuery: new EventQuery(eventStore, clock),
    usage: new UsageService(orm, clock),
  };
}
