import { monotonicFactory } from 'ulid';

/** Monotonic: ids made in the same millisecond still sort in creation order. */
export const ulid = monotonicFactory();

/** FlexPrice's id prefixes for the entities Tally has so far. */
export const idPrefix = {
  customer: 'cust',
  environment: 'env',
  tenant: 'tenant',
  secret: 'secret',
  meter: 'meter',
  feature: 'feat',
  event: 'event',
  plan: 'plan',
  price: 'price',
  priceUnit: 'price_unit',
  addon: 'addon',
  entitlement: 'ent',
  coupon: 'coupon',
} as const;

/** `<prefix>_<ULID>`: time-sortable, 26 upper-case Crockford base-32 characters after the prefix. */
export function newId(kind: keyof typeof idPrefix): string {
  return `${idPrefix[kind]}_${ulid()}`;
}
