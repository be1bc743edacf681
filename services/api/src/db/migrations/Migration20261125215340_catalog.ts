import { Migration } from '@mikro-orm/migrations';

export class Migration20261125215340_catalog extends Migration {

  override name = 'Migration20261125215340_catalog';

  override up(): void | Promise<void> {
    this.addSql(`create table "addons" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null, "lookup_key" varchar(255) not null, "description" text null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "addons_env_status_created_idx" on "addons" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create unique index "addons_live_lookup_key_uq" on "addons" ("tenant_id", "environment_id", "lookup_key") where status = 'published';`);

    this.addSql(`create table "coupons" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null, "coupon_code" varchar(255) null, "type" varchar(20) not null, "cadence" varchar(20) not null, "amount_off" numeric null, "percentage_off" numeric null, "currency" varchar(3) null, "duration_in_periods" int null, "max_redemptions" int null, "total_redemptions" int not null default 0, "redeem_after" timestamptz null, "redeem_before" timestamptz null, "rules" jsonb null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "coupons_env_status_created_idx" on "coupons" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create unique index "coupons_live_code_uq" on "coupons" ("tenant_id", "environment_id", "coupon_code") where status = 'published' and coupon_code is not null;`);

    this.addSql(`create table "entitlements" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "entity_type" varchar(20) not null, "entity_id" varchar(64) not null, "feature_id" varchar(64) not null, "feature_type" varchar(20) not null, "is_enabled" boolean not null default true, "usage_limit" bigint null, "usage_reset_period" varchar(20) null, "is_soft_limit" boolean not null default false, "static_value" text null, "config_value" jsonb null, "display_order" int not null default 0, "parent_entitlement_id" varchar(64) null, "start_date" timestamptz null, "end_date" timestamptz null, "grant_measure" varchar(20) null, "grant_quota" numeric null, "grant_duration_value" int null, "grant_duration_unit" varchar(30) null, "grant_allocation_behavior" varchar(30) null, "aggregation_mode" varchar(20) null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "entitlements_env_status_created_idx" on "entitlements" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "entitlements_entity_idx" on "entitlements" ("tenant_id", "environment_id", "entity_type", "entity_id");`);
    this.addSql(`create index "entitlements_feature_idx" on "entitlements" ("tenant_id", "environment_id", "feature_id");`);
    this.addSql(`create unique index "entitlements_live_feature_uq" on "entitlements" ("tenant_id", "environment_id", "entity_type", "entity_id", "feature_id") where status = 'published' and (aggregation_mode is null or aggregation_mode <> 'parallel');`);

    this.addSql(`create table "plans" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null, "lookup_key" varchar(255) null, "description" text null, "display_order" int null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "plans_env_status_created_idx" on "plans" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create unique index "plans_live_lookup_key_uq" on "plans" ("tenant_id", "environment_id", "lookup_key") where status = 'published' and lookup_key is not null;`);

    this.addSql(`create table "prices" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "entity_type" varchar(20) not null, "entity_id" varchar(64) not null, "type" varchar(20) not null, "currency" varchar(3) not null, "amount" numeric not null, "billing_period" varchar(20) not null, "billing_period_count" int not null, "billing_model" varchar(20) not null, "billing_cadence" varchar(20) not null default 'RECURRING', "invoice_cadence" varchar(20) not null, "trial_period_days" int not null default 0, "tier_mode" varchar(20) null, "tiers" jsonb null, "transform_quantity" jsonb null, "meter_id" varchar(64) null, "min_quantity" numeric null, "price_unit_type" varchar(20) not null default 'FIAT', "price_unit_id" varchar(64) null, "price_unit" varchar(3) null, "price_unit_amount" numeric null, "price_unit_tiers" jsonb null, "conversion_rate" numeric null, "lookup_key" varchar(255) null, "description" text null, "display_name" varchar(255) null, "metadata" jsonb not null default '{}', "parent_price_id" varchar(64) null, "group_id" varchar(64) null, "start_date" timestamptz not null, "end_date" timestamptz null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "prices_env_status_created_idx" on "prices" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "prices_entity_idx" on "prices" ("tenant_id", "environment_id", "entity_type", "entity_id");`);
    this.addSql(`create index "prices_meter_idx" on "prices" ("tenant_id", "environment_id", "meter_id");`);
    this.addSql(`create unique index "prices_live_lookup_key_uq" on "prices" ("tenant_id", "environment_id", "lookup_key") where status = 'published' and lookup_key is not null and end_date is null;`);

    this.addSql(`create table "price_units" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null, "code" varchar(3) not null, "symbol" varchar(10) not null, "base_currency" varchar(3) not null, "conversion_rate" numeric not null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "price_units_env_status_created_idx" on "price_units" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create unique index "price_units_live_code_uq" on "price_units" ("tenant_id", "environment_id", "code") where status = 'published';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "addons" cascade;`);
    this.addSql(`drop table if exists "coupons" cascade;`);
    this.addSql(`drop table if exists "entitlements" cascade;`);
    this.addSql(`drop table if exists "plans" cascade;`);
    this.addSql(`drop table if exists "prices" cascade;`);
    this.addSql(`drop table if exists "price_units" cascade;`);
  }

}
