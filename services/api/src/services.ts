import type { MikroORM } from '@mikro-orm/core';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import { ApiKeyService } from './modules/api-keys/api-key.service.ts';
import { CustomerService } from './modules/customers/customer.service.ts';
import { EnvironmentService } from './modules/environments/environment.service.ts';

/** The use-case layer, built once per process. */
export type Services = {
  apiKeys: ApiKeyService;
  customers: CustomerService;
  environments: EnvironmentService;
};

export function createServices(orm: MikroORM, clock: Clock, log: Logger): Services {
  return {
    apiKeys: new ApiKeyService(orm, clock, (err) => log.warn({ err }, 'could not record API key use')),
    customers: new CustomerService(orm, clock),
    environments: new EnvironmentService(orm, clock),
  };
}
