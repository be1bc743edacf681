import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

/** A customer of a tenant's environment. Soft-deleted by `status = 'deleted'`. */
export const CustomerSchema = defineEntity(environmentRecord('Customer', 'customers', {
  externalId: p.string().length(255),
  name: p.string().length(255),
  email: p.string().length(255).nullable(),
  contact: p.string().length(20).nullable(),
  addressLine1: p.string().length(255).nullable(),
  addressLine2: p.string().length(255).nullable(),
  addressCity: p.string().length(100).nullable(),
  addressState: p.string().length(100).nullable(),
  addressPostalCode: p.string().length(20).nullable(),
  addressCountry: p.string().length(2).nullable(),
  timezone: p.string().length(64).default('UTC'),
  metadata: p.json<Record<string, string>>().default('{}'),
  /** The test clock the customer lives on (Tally extension; development environments only), set at creation. */
  testClockId: p.string().length(64).nullable(),
}, {
  uniques: [inEnvironment('customers_live_external_id_uq', ['externalId'], "status = 'published'")],
  indexes: [inEnvironment('customers_test_clock_idx', ['testClockId'], 'test_clock_id is not null')],
}));
export class Customer extends CustomerSchema.class {}
CustomerSchema.setClass(Customer);
