import { Migration } from '@mikro-orm/migrations';

export class Migration20261204150850_webhooks extends Migration {

  override name = 'Migration20261204150850_webhooks';

  override up(): void | Promise<void> {
    this.addSql(`create table "webhook_deliveries" ("event_id" varchar(64) not null, "endpoint_id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "state" varchar(20) not null, "attempts" int not null default 0, "max_attempts" int not null, "next_attempt_at" timestamptz null, "last_status_code" int null, "last_error" text null, "succeeded_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("event_id", "endpoint_id"));`);
    this.addSql(`create index "webhook_deliveries_due_idx" on "webhook_deliveries" ("next_attempt_at") where state in ('pending', 'delivering');`);
    this.addSql(`create index "webhook_deliveries_updated_idx" on "webhook_deliveries" ("updated_at");`);

    this.addSql(`create table "webhook_delivery_attempts" ("event_id" varchar(64) not null, "endpoint_id" varchar(64) not null, "attempt" int not null, "started_at" timestamptz not null, "duration_ms" int not null, "status_code" int null, "response_body" text not null default '', "error" text null, primary key ("event_id", "endpoint_id", "attempt"));`);
    this.addSql(`create index "webhook_delivery_attempts_started_idx" on "webhook_delivery_attempts" ("started_at");`);

    this.addSql(`create table "webhook_endpoints" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "url" text not null, "description" text not null default '', "event_types" jsonb not null default '[]', "disabled" boolean not null default false, "disabled_reason" text null, "disabled_at" timestamptz null, "failing_since" timestamptz null, "metadata" jsonb not null default '{}', "secret" varchar(128) not null, "previous_secret" varchar(128) null, "previous_secret_expires_at" timestamptz null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "webhook_endpoints_env_status_created_idx" on "webhook_endpoints" ("tenant_id", "environment_id", "status", "created_at");`);

    this.addSql(`create table "webhook_events" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "event_type" varchar(100) not null, "entity_type" varchar(64) not null, "entity_id" varchar(255) not null, "endpoint_id" varchar(64) null, "payload" jsonb not null, "created_at" timestamptz not null, "fanned_out_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "webhook_events_env_created_idx" on "webhook_events" ("tenant_id", "environment_id", "created_at");`);
    this.addSql(`create index "webhook_events_entity_idx" on "webhook_events" ("tenant_id", "environment_id", "entity_type", "entity_id");`);
    this.addSql(`create index "webhook_events_fan_out_idx" on "webhook_events" ("id") where fanned_out_at is null;`);
    this.addSql(`create index "webhook_events_created_idx" on "webhook_events" ("created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery_attempts" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);
    this.addSql(`drop table if exists "webhook_events" cascade;`);
  }

}
