import { Migration } from '@mikro-orm/migrations';

export class Migration20261205235851_settings extends Migration {

  override name = 'Migration20261205235851_settings';

  override up(): void | Promise<void> {
    this.addSql(`create table "settings" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "key" varchar(64) not null, "value" jsonb not null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "settings_env_status_created_idx" on "settings" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`alter table "settings" add constraint "settings_key_uq" unique ("tenant_id", "environment_id", "key");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "settings" cascade;`);
  }

}
