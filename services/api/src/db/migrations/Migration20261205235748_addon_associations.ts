import { Migration } from '@mikro-orm/migrations';

export class Migration20261205235748_addon_associations extends Migration {

  override name = 'Migration20261205235748_addon_associations';

  override up(): void | Promise<void> {
    this.addSql(`create table "addon_associations" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "entity_id" varchar(64) not null, "entity_type" varchar(20) not null, "addon_id" varchar(64) not null, "cadence" varchar(20) not null, "start_date" timestamptz not null, "end_date" timestamptz null, "addon_status" varchar(20) not null, "cancellation_reason" text null, "cancelled_at" timestamptz null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "addon_associations_env_status_created_idx" on "addon_associations" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "addon_associations_entity_idx" on "addon_associations" ("tenant_id", "environment_id", "entity_id");`);
    this.addSql(`create index "addon_associations_addon_idx" on "addon_associations" ("tenant_id", "environment_id", "addon_id");`);

    this.addSql(`alter table "subscription_line_items" add "addon_association_id" varchar(64) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "addon_associations" cascade;`);

    this.addSql(`alter table "subscription_line_items" drop column "addon_association_id";`);
  }

}
