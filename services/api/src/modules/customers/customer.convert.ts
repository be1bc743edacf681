import type { components } from '@tally/contract';
import type { QueryParams } from '../../wire/contract-types.ts';
import { canonicalTimeZone } from '../../billing/period/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { isCountryCode } from './country.ts';
import type { Customer } from './customer.entity.ts';
import { customerSearchFields } from './customer.search.ts';

type CreateRequest = components['schemas']['CreateCustomerRequest'];
type UpdateRequest = components['schemas']['UpdateCustomerRequest'];
type SearchRequest = components['schemas']['CustomerFilter'];
export type CustomerResponse = components['schemas']['CustomerResponse'];

/** The customer fields a create or update may set, after validation. */
export type CustomerFields = {
  externalId?: string;
  name?: string;
  email?: string;
  contact?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressCity?: string;
  addressState?: string;
  addressPostalCode?: string;
  addressCountry?: string;
  timezone?: string;
  metadata?: Record<string, string>;
};

/**
 * Rules the schema cannot express, checked together so one response names every bad field:
 * the `external_customer_id` alias, IANA time zones and ISO country codes.
 */
function toFields(body: CreateRequest | UpdateRequest, errors: Problems): CustomerFields {
  const { external_id: externalId, external_customer_id: alias } = body;
  if (externalId !== undefined && alias !== undefined && externalId !== alias) {
    errors.external_customer_id = 'must equal external_id when both are given (it is an alias)';
  }
  let timezone: string | undefined;
  if (body.timezone !== undefined) {
    timezone = canonicalTimeZone(body.timezone);
    if (!timezone) errors.timezone = `'${body.timezone}' is not an IANA time zone name (e.g. UTC, Europe/Berlin)`;
  }
  if (body.address_country !== undefined && !isCountryCode(body.address_country)) {
    errors.address_country = `'${body.address_country}' is not an ISO 3166-1 alpha-2 country code`;
  }
  return {
    externalId: externalId ?? alias,
    name: body.name,
    email: body.email,
    contact: body.contact,
    addressLine1: body.address_line1,
    addressLine2: body.address_line2,
    addressCity: body.address_city,
    addressState: body.address_state,
    addressPostalCode: body.address_postal_code,
    addressCountry: body.address_country,
    timezone,
    metadata: body.metadata,
  };
}

/** A customer to create: its fields, and the test clock it lives on (Tally extension; only at creation). */
export type NewCustomer = CustomerFields & { externalId: string; name: string; testClockId?: string };

export function fromCreateCustomerRequest(body: CreateRequest): NewCustomer {
  const problems: Problems = {};
  const fields = toFields(body, problems);
  if (fields.externalId === undefined && !problems.external_customer_id) problems.external_id = 'is required';
  if (fields.name === undefined) problems.name = 'is required';
  throwIfProblems(problems);
  return { ...fields, testClockId: body.test_clock_id } as NewCustomer;
}

export function fromUpdateCustomerRequest(body: UpdateRequest): CustomerFields {
  const problems: Problems = {};
  const fields = toFields(body, problems);
  throwIfProblems(problems);
  return fields;
}

/** A list or search of customers, as the GET list and the search body both express it. */
export type CustomerQuery = ListQuery & {
  customerIds?: string[];
  externalIds?: string[];
  externalId?: string;
  email?: string;
  metadata?: Record<string, string>;
};

export function fromCustomerListRequest(input: QueryParams<'listCustomers'> | SearchRequest | undefined): CustomerQuery {
  return {
    ...listQueryOf(input, customerSearchFields, 'customer'),
    // Accepted and ignored on customer searches, as in FlexPrice.
    startTime: undefined,
    endTime: undefined,
    customerIds: input?.customer_ids,
    externalIds: input?.external_ids,
    externalId: input?.external_id,
    email: input?.email,
    metadata: input && 'metadata' in input ? input.metadata : undefined,
  };
}

/**
 * Entity → wire. Empty strings for unset text fields and `contact` omitted when empty, as FlexPrice
 * sends them; `test_clock_id` (Tally extension) only for a customer on a test clock.
 */
export function toCustomerResponse(c: Customer): CustomerResponse {
  return {
    id: c.id,
    external_id: c.externalId,
    name: c.name,
    email: c.email ?? '',
    ...(c.contact ? { contact: c.contact } : {}),
    address_line1: c.addressLine1 ?? '',
    address_line2: c.addressLine2 ?? '',
    address_city: c.addressCity ?? '',
    address_state: c.addressState ?? '',
    address_postal_code: c.addressPostalCode ?? '',
    address_country: c.addressCountry ?? '',
    timezone: c.timezone,
    metadata: c.metadata ?? {},
    ...recordFields(c),
    ...(c.testClockId ? { test_clock_id: c.testClockId } : {}),
  };
}
