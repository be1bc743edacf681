import { Migration20261125191451_initial } from './Migration20261125191451_initial.ts';
import { Migration20261125195219_idempotency } from './Migration20261125195219_idempotency.ts';
import { Migration20261125195939_metering } from './Migration20261125195939_metering.ts';
import { Migration20261125215340_catalog } from './Migration20261125215340_catalog.ts';
import { Migration20261204150850_webhooks } from './Migration20261204150850_webhooks.ts';
import { Migration20261204171545_taxes } from './Migration20261204171545_taxes.ts';
import { Migration20261204170854_test_clocks } from './Migration20261204170854_test_clocks.ts';
import { Migration20261204172706_billing } from './Migration20261204172706_billing.ts';
import { Migration20261204182540_payments } from './Migration20261204182540_payments.ts';
import { Migration20261205051414_wallets } from './Migration20261205051414_wallets.ts';
import { Migration20261205083605_credit_notes } from './Migration20261205083605_credit_notes.ts';
import { Migration20261205090039_subscription_schedules } from './Migration20261205090039_subscription_schedules.ts';
import { Migration20261205091500_credit_grants } from './Migration20261205091500_credit_grants.ts';
import { Migration20261205091704_subscription_pauses } from './Migration20261205091704_subscription_pauses.ts';
import { Migration20261205171330_wallet_operations } from './Migration20261205171330_wallet_operations.ts';
import { Migration20261205235748_addon_associations } from './Migration20261205235748_addon_associations.ts';
import { Migration20261205235851_settings } from './Migration20261205235851_settings.ts';
import { Migration20261206002500_proration_credits } from './Migration20261206002500_proration_credits.ts';
import { Migration20261206064955_due_claim_order } from './Migration20261206064955_due_claim_order.ts';
import { Migration20261206195300_meter_usage_hours } from './Migration20261206195300_meter_usage_hours.ts';

/** Committed migrations, in order. New ones come from `npm run migration:create -w @tally/api`. */
export const migrationsList = [
  { name: 'Migration20261125191451_initial', class: Migration20261125191451_initial },
  { name: 'Migration20261125195219_idempotency', class: Migration20261125195219_idempotency },
  { name: 'Migration20261125195939_metering', class: Migration20261125195939_metering },
  { name: 'Migration20261125215340_catalog', class: Migration20261125215340_catalog },
  { name: 'Migration20261204150850_webhooks', class: Migration20261204150850_webhooks },
  { name: 'Migration20261204171545_taxes', class: Migration20261204171545_taxes },
  { name: 'Migration20261204170854_test_clocks', class: Migration20261204170854_test_clocks },
  { name: 'Migration20261204172706_billing', class: Migration20261204172706_billing },
  { name: 'Migration20261204182540_payments', class: Migration20261204182540_payments },
  { name: 'Migration20261205051414_wallets', class: Migration20261205051414_wallets },
  { name: 'Migration20261205083605_credit_notes', class: Migration20261205083605_credit_notes },
  { name: 'Migration20261205090039_subscription_schedules', class: Migration20261205090039_subscription_schedules },
  { name: 'Migration20261205091500_credit_grants', class: Migration20261205091500_credit_grants },
  { name: 'Migration20261205091704_subscription_pauses', class: Migration20261205091704_subscription_pauses },
  { name: 'Migration20261205171330_wallet_operations', class: Migration20261205171330_wallet_operations },
  { name: 'Migration20261205235748_addon_associations', class: Migration20261205235748_addon_associations },
  { name: 'Migration20261205235851_settings', class: Migration20261205235851_settings },
  { name: 'Migration20261206002500_proration_credits', class: Migration20261206002500_proration_credits },
  { name: 'Migration20261206064955_due_claim_order', class: Migration20261206064955_due_claim_order },
  { name: 'Migration20261206195300_meter_usage_hours', class: Migration20261206195300_meter_usage_hours },
];
