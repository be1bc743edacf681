import { Migration } from '@mikro-orm/migrations';

export class Migration20261205090039_subscription_schedules extends Migration {

  override name = 'Migration20261205090039_subscription_schedules';

  override up(): void | Promise<void> {
    this.addSql(`create table "subscription_schedules" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "subscription_id" varchar(64) not null, "customer_id" varchar(64) not null, "schedule_type" varchar(20) not null, "schedule_status" varchar(20) not null, "scheduled_at" timestamptz not null, "configuration" jsonb not null default '{}', "execution_result" jsonb null, "executed_at" timestamptz null, "cancelled_at" timestamptz null, "error_message" text null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "subscription_schedules_env_status_created_idx" on "subscription_schedules" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "subscription_schedules_subscription_idx" on "subscription_schedules" ("tenant_id", "environment_id", "subscription_id");`);
    this.addSql(`create unique index "subscription_schedules_one_pending_uq" on "subscription_schedules" ("tenant_id", "environment_id", "subscription_id", "schedule_type") where schedule_status = 'pending';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "subscription_schedules" cascade;`);
  }

}
