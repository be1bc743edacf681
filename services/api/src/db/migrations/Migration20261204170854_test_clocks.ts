import { Migration } from '@mikro-orm/migrations';

export class Migration20261204170854_test_clocks extends Migration {

  override name = 'Migration20261204170854_test_clocks';

  override up(): void | Promise<void> {
    this.addSql(`create table "test_clocks" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null default '', "frozen_time" timestamptz not null, "clock_status" varchar(20) not null default 'ready', "advance_target" timestamptz null, "advance_token" varchar(64) null, "lease_until" timestamptz null, "failed_at" timestamptz null, "failure_message" text null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "test_clocks_env_status_created_idx" on "test_clocks" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "test_clocks_advancing_idx" on "test_clocks" ("lease_until") where clock_status = 'advancing';`);

    this.addSql(`alter table "customers" add "test_clock_id" varchar(64) null;`);
    this.addSql(`create index "customers_test_clock_idx" on "customers" ("tenant_id", "environment_id", "test_clock_id") where test_clock_id is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "test_clocks" cascade;`);

    this.addSql(`drop index "customers_test_clock_idx";`);
    this.addSql(`alter table "customers" drop column "test_clock_id";`);
  }

}
