import { Secret } from '../modules/api-keys/secret.entity.ts';
import { Customer } from '../modules/customers/customer.entity.ts';
import { Environment } from '../modules/environments/environment.entity.ts';
import { Event } from '../modules/events/event.entity.ts';
import { Feature } from '../modules/features/feature.entity.ts';
import { Meter } from '../modules/meters/meter.entity.ts';
import { IdempotencyRecord } from '../modules/idempotency/idempotency-record.entity.ts';
import { Tenant } from '../modules/tenancy/tenant.entity.ts';
import { Addon } from '../modules/addons/addon.entity.ts';
import { Coupon } from '../modules/coupons/coupon.entity.ts';
import { Entitlement } from '../modules/entitlements/entitlement.entity.ts';
import { Plan } from '../modules/plans/plan.entity.ts';
import { PriceUnit } from '../modules/price-units/price-unit.entity.ts';
import { Price } from '../modules/prices/price.entity.ts';
import { TaxApplied } from '../modules/taxes/tax-applied.entity.ts';
import { TaxAssociation } from '../modules/taxes/tax-association.entity.ts';
import { TaxRate } from '../modules/taxes/tax-rate.entity.ts';
import { WebhookDelivery, WebhookDeliveryAttempt } from '../modules/webhooks/webhook-delivery.entity.ts';
import { WebhookEndpoint } from '../modules/webhooks/webhook-endpoint.entity.ts';
import { WebhookEvent } from '../modules/webhooks/webhook-event.entity.ts';
import { TestClock } from '../modules/test-clocks/test-clock.entity.ts';

/** Every entity the ORM knows; migrations are generated from this list. */
export const entities = [Tenant, Environment, Secret, Customer, IdempotencyRecord, Meter, Feature, Event, Plan, PriceUnit, Price, Addon, Entitlement, Coupon, TaxRate, TaxAssociation, TaxApplied, WebhookEndpoint, WebhookEvent, WebhookDelivery, WebhookDeliveryAttempt, TestClock];
