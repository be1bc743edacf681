import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const pool = new Uint8Array(4096);
let next = pool.length;

/**
 * Cryptographic random numbers in [0, 1), read from a pool refilled 4 KiB at a time: the default draws
 * one byte per system call, 16 per id, which cost 4% of the CPU of event ingestion. A byte / 256 picks
 * each of ULID's 32 characters with exactly equal chance.
 */
export function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 256;
}

/** Monotonic: ids made in the same millisecond still sort in creation order. */
export const ulid = monotonicFactory(pooledRandom);

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
  systemEvent: 'sys_event',
  webhookEndpoint: 'whep',
  taxRate: 'taxrate',
  taxAssociation: 'ta',
  taxApplied: 'taxapp',
  /** A Tally extension: Stripe's prefix for test clocks. */
  testClock: 'clock',
  subscription: 'subs',
  subscriptionLineItem: 'subs_line',
  subscriptionSchedule: 'sched',
  subscriptionPause: 'pause',
  /** Tally's own: a proration credit given to a line item (never on the wire). */
  prorationCredit: 'proration_credit',
  couponAssociation: 'coupon_assoc',
  addonAssociation: 'addon_assoc',
  invoice: 'inv',
  invoiceLineItem: 'inv_line',
  couponApplication: 'coupon_app',
  payment: 'pay',
  wallet: 'wallet',
  walletTransaction: 'wtxn',
  walletAlertState: 'walert',
  creditGrant: 'cg',
  creditGrantApplication: 'cga',
  creditNote: 'cn',
  creditNoteLineItem: 'cn_line',
  setting: 'setting',
} as const;

/** `<prefix>_<ULID>`: time-sortable, 26 upper-case Crockford base-32 characters after the prefix. */
export function newId(kind: keyof typeof idPrefix): string {
  return `${idPrefix[kind]}_${ulid()}`;
}
