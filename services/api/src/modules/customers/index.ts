/** Customers, as other modules may use them. */
import { CustomerRepo, type CustomerReader } from './customer.repo.ts';

export { CustomerService, type CustomerDeletionGuard, type TestClockCheck } from './customer.service.ts';
export type { Customer } from './customer.entity.ts';
export { toCustomerResponse, type CustomerResponse } from './customer.convert.ts';
export { customerWebhookPayload } from './customer.webhook.ts';
export type { CustomerReader };
export { byCustomerId, type CustomerFilter } from './customer-filter.ts';

/** Published customers, read in the caller's unit of work. */
export const customerReader: CustomerReader = new CustomerRepo();
