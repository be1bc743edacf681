import { Migration } from '@mikro-orm/migrations';

export class Migration20261205091500_credit_grants extends Migration {

  override name = 'Migration20261205091500_credit_grants';

  override up(): void | Promise<void> {
    this.addSql(`create table "credit_grants" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null, "scope" varchar(20) not null, "plan_id" varchar(64) null, "subscription_id" varchar(64) null, "addon_id" varchar(64) null, "credits" numeric not null, "cadence" varchar(20) not null, "period" varchar(20) null, "period_count" int null, "expiration_type" varchar(20) not null, "expiration_duration" int null, "expiration_duration_unit" varchar(10) null, "priority" int null, "start_date" timestamptz null, "end_date" timestamptz null, "credit_grant_anchor" timestamptz null, "conversion_rate" numeric null, "topup_conversion_rate" numeric null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "credit_grants_env_status_created_idx" on "credit_grants" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "credit_grants_plan_idx" on "credit_grants" ("tenant_id", "environment_id", "plan_id");`);
    this.addSql(`create index "credit_grants_addon_idx" on "credit_grants" ("tenant_id", "environment_id", "addon_id");`);
    this.addSql(`create index "credit_grants_subscription_idx" on "credit_grants" ("tenant_id", "environment_id", "subscription_id");`);

    this.addSql(`create table "credit_grant_applications" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "credit_grant_id" varchar(64) not null, "subscription_id" varchar(64) not null, "customer_id" varchar(64) not null, "scheduled_for" timestamptz not null, "applied_at" timestamptz null, "period_start" timestamptz not null, "period_end" timestamptz null, "application_status" varchar(20) not null, "application_reason" varchar(40) not null, "subscription_status_at_application" varchar(20) not null, "credits" numeric not null, "failure_reason" text null, "retry_count" int not null default 0, "idempotency_key" varchar(255) not null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "credit_grant_applications_env_status_created_idx" on "credit_grant_applications" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "credit_grant_applications_subscription_idx" on "credit_grant_applications" ("tenant_id", "environment_id", "subscription_id", "application_status");`);
    this.addSql(`create index "credit_grant_applications_customer_idx" on "credit_grant_applications" ("tenant_id", "environment_id", "customer_id", "application_status");`);
    this.addSql(`create index "credit_grant_applications_due_idx" on "credit_grant_applications" ("scheduled_for") where application_status = 'pending';`);
    this.addSql(`alter table "credit_grant_applications" add constraint "credit_grant_applications_period_uq" unique ("tenant_id", "environment_id", "credit_grant_id", "period_start");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "credit_grants" cascade;`);
    this.addSql(`drop table if exists "credit_grant_applications" cascade;`);
  }

}
