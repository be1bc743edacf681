/** Customers, as other modules may use them. */
import { CustomerRepo, type CustomerReader } from './customer.repo.ts';

export { CustomerService, type TestClockCheck } from './customer.service.ts';
export type { Customer } from './customer.entity.ts';
export type { CustomerReader };

/** Published customers, read in the caller's unit of work. */
export const customerReader: CustomerReader = new CustomerRepo();
