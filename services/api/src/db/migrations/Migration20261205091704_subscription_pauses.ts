import { Migration } from '@mikro-orm/migrations';

export class Migration20261205091704_subscription_pauses extends Migration {

  override name = 'Migration20261205091704_subscription_pauses';

  override up(): void | Promise<void> {
    this.addSql(`create table "subscription_pauses" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "subscription_id" varchar(64) not null, "customer_id" varchar(64) not null, "pause_status" varchar(20) not null, "pause_mode" varchar(20) not null, "resume_mode" varchar(20) null, "pause_start" timestamptz not null, "pause_end" timestamptz null, "resumed_at" timestamptz null, "original_period_start" timestamptz not null, "original_period_end" timestamptz not null, "reason" varchar(255) null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "subscription_pauses_env_status_created_idx" on "subscription_pauses" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "subscription_pauses_subscription_idx" on "subscription_pauses" ("tenant_id", "environment_id", "subscription_id");`);

    this.addSql(`alter table "subscriptions" add "pause_status" varchar(20) not null default 'none', add "active_pause_id" varchar(64) null, add "pause_due_at" timestamptz null;`);
    this.addSql(`create index "subscriptions_pause_due_idx" on "subscriptions" ("pause_due_at") where pause_due_at is not null and status = 'published';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "subscription_pauses" cascade;`);

    this.addSql(`drop index "subscriptions_pause_due_idx";`);
    this.addSql(`alter table "subscriptions" drop column "pause_status", drop column "active_pause_id", drop column "pause_due_at";`);
  }

}
