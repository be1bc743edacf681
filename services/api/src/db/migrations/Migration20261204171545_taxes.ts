import { Migration } from '@mikro-orm/migrations';

export class Migration20261204171545_taxes extends Migration {

  override name = 'Migration20261204171545_taxes';

  override up(): void | Promise<void> {
    this.addSql(`create table "taxes_applied" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "tax_rate_id" varchar(64) not null, "tax_association_id" varchar(64) null, "entity_type" varchar(20) not null, "entity_id" varchar(255) not null, "taxable_amount" numeric not null, "tax_amount" numeric not null, "currency" varchar(3) not null, "applied_at" timestamptz not null, "idempotency_key" varchar(64) not null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "taxes_applied_env_status_created_idx" on "taxes_applied" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "taxes_applied_entity_idx" on "taxes_applied" ("tenant_id", "environment_id", "entity_type", "entity_id", "status");`);
    this.addSql(`create index "taxes_applied_rate_idx" on "taxes_applied" ("tenant_id", "environment_id", "tax_rate_id");`);
    this.addSql(`alter table "taxes_applied" add constraint "taxes_applied_key_uq" unique ("tenant_id", "environment_id", "idempotency_key");`);

    this.addSql(`create table "tax_associations" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "tax_rate_id" varchar(64) not null, "entity_type" varchar(20) not null, "entity_id" varchar(255) not null, "priority" int not null default 0, "auto_apply" boolean not null default false, "currency" varchar(3) null, "metadata" jsonb not null default '{}', "start_date" timestamptz not null, "end_date" timestamptz null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "tax_associations_env_status_created_idx" on "tax_associations" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "tax_associations_entity_idx" on "tax_associations" ("tenant_id", "environment_id", "entity_type", "entity_id", "status");`);
    this.addSql(`create index "tax_associations_rate_idx" on "tax_associations" ("tenant_id", "environment_id", "tax_rate_id", "status");`);

    this.addSql(`create table "tax_rates" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null, "description" text not null default '', "code" varchar(255) not null, "tax_rate_status" varchar(20) not null, "tax_rate_type" varchar(20) not null, "scope" varchar(20) not null, "percentage_value" numeric null, "fixed_value" numeric null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "tax_rates_env_status_created_idx" on "tax_rates" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create unique index "tax_rates_live_code_uq" on "tax_rates" ("tenant_id", "environment_id", "code") where status = 'published';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "taxes_applied" cascade;`);
    this.addSql(`drop table if exists "tax_associations" cascade;`);
    this.addSql(`drop table if exists "tax_rates" cascade;`);
  }

}
