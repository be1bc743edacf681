import { Migration } from '@mikro-orm/migrations';

export class Migration20261125195939_metering extends Migration {

  override name = 'Migration20261125195939_metering';

  override up(): void | Promise<void> {
    this.addSql(`create table "events" ("tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "id" varchar(255) not null, "external_customer_id" varchar(255) not null, "customer_id" varchar(64) null, "event_name" varchar(255) not null, "source" varchar(255) null, "timestamp" timestamptz not null, "properties" jsonb not null default '{}', "ingested_at" timestamptz not null default now(), primary key ("tenant_id", "environment_id", "id"));`);
    this.addSql(`create index "events_usage_idx" on "events" ("tenant_id", "environment_id", "external_customer_id", "event_name", "timestamp");`);
    this.addSql(`create index "events_name_time_idx" on "events" ("tenant_id", "environment_id", "event_name", "timestamp");`);
    this.addSql(`create index "events_time_idx" on "events" ("tenant_id", "environment_id", "timestamp");`);

    this.addSql(`create table "features" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null, "lookup_key" varchar(255) null, "description" text null, "type" varchar(20) not null, "meter_id" varchar(64) null, "metadata" jsonb not null default '{}', "unit_singular" varchar(255) null, "unit_plural" varchar(255) null, "reporting_unit" jsonb null, "alert_settings" jsonb null, "group_id" varchar(64) null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "features_env_status_created_idx" on "features" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "features_meter_idx" on "features" ("tenant_id", "environment_id", "meter_id");`);
    this.addSql(`create unique index "features_live_lookup_key_uq" on "features" ("tenant_id", "environment_id", "lookup_key") where status = 'published' and lookup_key is not null;`);

    this.addSql(`create table "meters" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null, "event_name" varchar(255) not null, "aggregation" jsonb not null, "filters" jsonb not null default '[]', "reset_usage" varchar(20) not null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "meters_env_status_created_idx" on "meters" ("tenant_id", "environment_id", "status", "created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "events" cascade;`);
    this.addSql(`drop table if exists "features" cascade;`);
    this.addSql(`drop table if exists "meters" cascade;`);
  }

}
