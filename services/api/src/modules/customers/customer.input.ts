import type { components } from '@tally/contract';
import { invalidFields } from '../../errors/app-error.ts';
import { isCountryCode } from './country.ts';
import { canonicalTimeZone } from '../../billing/period/index.ts';

type CreateRequest = components['schemas']['CreateCustomerRequest'];
type UpdateRequest = components['schemas']['UpdateCustomerRequest'];

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
function toFields(body: CreateRequest | UpdateRequest, errors: Record<string, string>): CustomerFields {
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

export type NewCustomer = CustomerFields & { externalId: string; name: string };

export function parseCreateCustomer(body: CreateRequest): NewCustomer {
  const errors: Record<string, string> = {};
  const fields = toFields(body, errors);
  if (fields.externalId === undefined && !errors.external_customer_id) errors.external_id = 'is required';
  if (fields.name === undefined) errors.name = 'is required';
  if (Object.keys(errors).length) throw invalidFields(errors);
  return fields as NewCustomer;
}

export function parseUpdateCustomer(body: UpdateRequest): CustomerFields {
  const errors: Record<string, string> = {};
  const fields = toFields(body, errors);
  if (Object.keys(errors).length) throw invalidFields(errors);
  return fields;
}
