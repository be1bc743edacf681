import { Migration } from '@mikro-orm/migrations';

export class Migration20261205083605_credit_notes extends Migration {

  override name = 'Migration20261205083605_credit_notes';

  override up(): void | Promise<void> {
    this.addSql(`create table "credit_notes" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "credit_note_number" varchar(64) not null, "invoice_id" varchar(64) not null, "customer_id" varchar(64) not null, "subscription_id" varchar(64) null, "credit_note_status" varchar(20) not null, "credit_note_type" varchar(20) not null, "reason" varchar(40) not null, "memo" text not null default '', "currency" varchar(3) not null, "total_amount" numeric not null, "idempotency_key" varchar(255) not null, "finalized_at" timestamptz null, "voided_at" timestamptz null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "credit_notes_env_status_created_idx" on "credit_notes" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "credit_notes_invoice_idx" on "credit_notes" ("tenant_id", "environment_id", "invoice_id");`);
    this.addSql(`create unique index "credit_notes_number_uq" on "credit_notes" ("tenant_id", "environment_id", "credit_note_number") where status = 'published';`);
    this.addSql(`alter table "credit_notes" add constraint "credit_notes_idempotency_key_uq" unique ("tenant_id", "environment_id", "idempotency_key");`);

    this.addSql(`create table "credit_note_line_items" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "credit_note_id" varchar(64) not null, "position" int not null, "invoice_line_item_id" varchar(64) not null, "display_name" varchar(255) not null default '', "amount" numeric not null, "currency" varchar(3) not null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "credit_note_line_items_env_status_created_idx" on "credit_note_line_items" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "credit_note_line_items_note_idx" on "credit_note_line_items" ("tenant_id", "environment_id", "credit_note_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "credit_notes" cascade;`);
    this.addSql(`drop table if exists "credit_note_line_items" cascade;`);
  }

}
