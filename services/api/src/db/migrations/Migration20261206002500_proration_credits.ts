import { Migration } from '@mikro-orm/migrations';

export class Migration20261206002500_proration_credits extends Migration {

  override name = 'Migration20261206002500_proration_credits';

  override up(): void | Promise<void> {
    this.addSql(`create table "subscription_proration_credits" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "subscription_id" varchar(64) not null, "subscription_line_item_id" varchar(64) not null, "period_start" timestamptz not null, "period_end" timestamptz not null, "effective_date" timestamptz not null, "amount" numeric not null, "cause" varchar(30) not null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "subscription_proration_credits_env_status_created_idx" on "subscription_proration_credits" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "subscription_proration_credits_subscription_idx" on "subscription_proration_credits" ("tenant_id", "environment_id", "subscription_id", "period_start");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "subscription_proration_credits" cascade;`);
  }

}
