import { Migration } from '@mikro-orm/migrations';

export class Migration20261125191451_initial extends Migration {

  override name = 'Migration20261125191451_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "customers" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "external_id" varchar(255) not null, "name" varchar(255) not null, "email" varchar(255) null, "contact" varchar(20) null, "address_line1" varchar(255) null, "address_line2" varchar(255) null, "address_city" varchar(100) null, "address_state" varchar(100) null, "address_postal_code" varchar(20) null, "address_country" varchar(2) null, "timezone" varchar(64) not null default 'UTC', "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "customers_env_status_created_idx" on "customers" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create unique index "customers_live_external_id_uq" on "customers" ("tenant_id", "environment_id", "external_id") where status = 'published';`);

    this.addSql(`create table "environments" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "name" varchar(255) not null, "type" varchar(20) not null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "environments_tenant_idx" on "environments" ("tenant_id");`);

    this.addSql(`create table "secrets" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "name" varchar(255) not null, "type" varchar(32) not null, "provider" varchar(32) not null default 'flexprice', "key_hash" varchar(64) not null, "display_id" varchar(32) not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`alter table "secrets" add constraint "secrets_key_hash_uq" unique ("key_hash");`);
    this.addSql(`create index "secrets_env_status_idx" on "secrets" ("tenant_id", "environment_id", "status", "created_at");`);

    this.addSql(`create table "tenants" ("id" varchar(64) not null, "name" varchar(255) not null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "customers" cascade;`);
    this.addSql(`drop table if exists "environments" cascade;`);
    this.addSql(`drop table if exists "secrets" cascade;`);
    this.addSql(`drop table if exists "tenants" cascade;`);
  }

}
