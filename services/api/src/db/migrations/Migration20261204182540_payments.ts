import { Migration } from '@mikro-orm/migrations';

export class Migration20261204182540_payments extends Migration {

  override name = 'Migration20261204182540_payments';

  override up(): void | Promise<void> {
    this.addSql(`create table "payments" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "idempotency_key" varchar(255) not null, "destination_type" varchar(20) not null, "destination_id" varchar(64) not null, "payment_method_type" varchar(20) not null, "payment_method_id" varchar(255) null, "payment_gateway" varchar(20) null, "gateway_payment_id" varchar(255) null, "gateway_tracking_id" varchar(255) null, "gateway_metadata" jsonb null, "amount" numeric not null, "currency" varchar(3) not null, "payment_status" varchar(20) not null, "track_attempts" boolean not null default false, "metadata" jsonb not null default '{}', "succeeded_at" timestamptz null, "failed_at" timestamptz null, "refunded_at" timestamptz null, "voided_at" timestamptz null, "error_message" text null, "payment_url" text null, "save_card_and_make_default" boolean not null default false, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "payments_env_status_created_idx" on "payments" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "payments_destination_idx" on "payments" ("tenant_id", "environment_id", "destination_id");`);
    this.addSql(`create unique index "payments_idempotency_key_uq" on "payments" ("tenant_id", "environment_id", "idempotency_key") where status = 'published';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "payments" cascade;`);
  }

}
