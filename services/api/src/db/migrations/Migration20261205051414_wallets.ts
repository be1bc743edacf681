import { Migration } from '@mikro-orm/migrations';

export class Migration20261205051414_wallets extends Migration {

  override name = 'Migration20261205051414_wallets';

  override up(): void | Promise<void> {
    this.addSql(`create table "wallets" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "customer_id" varchar(64) not null, "name" varchar(255) not null, "description" text null, "currency" varchar(3) not null, "wallet_type" varchar(20) not null, "wallet_status" varchar(20) not null, "credit_balance" numeric not null, "conversion_rate" numeric not null, "topup_conversion_rate" numeric not null, "config" jsonb not null, "alert_settings" jsonb null, "alert_state" varchar(20) not null default 'ok', "auto_topup" jsonb null, "metadata" jsonb not null default '{}', "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "wallets_env_status_created_idx" on "wallets" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "wallets_customer_idx" on "wallets" ("tenant_id", "environment_id", "customer_id");`);
    this.addSql(`create unique index "wallets_one_active_uq" on "wallets" ("tenant_id", "environment_id", "customer_id", "currency", "wallet_type") where wallet_status = 'active' and status = 'published';`);

    this.addSql(`create table "wallet_transactions" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "wallet_id" varchar(64) not null, "customer_id" varchar(64) not null, "type" varchar(10) not null, "amount" numeric not null, "credit_amount" numeric not null, "credit_balance_before" numeric not null, "credit_balance_after" numeric not null, "credits_available" numeric not null, "transaction_status" varchar(20) not null, "transaction_reason" varchar(40) not null, "reference_type" varchar(20) null, "reference_id" varchar(255) null, "description" text null, "metadata" jsonb not null default '{}', "expiry_date" timestamptz null, "priority" int null, "currency" varchar(3) not null, "conversion_rate" numeric null, "topup_conversion_rate" numeric null, "idempotency_key" varchar(255) null, "parent_transaction_id" varchar(64) null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "wallet_transactions_env_status_created_idx" on "wallet_transactions" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`create index "wallet_transactions_wallet_idx" on "wallet_transactions" ("tenant_id", "environment_id", "wallet_id", "type", "created_at");`);
    this.addSql(`create unique index "wallet_transactions_idempotency_key_uq" on "wallet_transactions" ("tenant_id", "environment_id", "wallet_id", "idempotency_key") where idempotency_key is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "wallets" cascade;`);
    this.addSql(`drop table if exists "wallet_transactions" cascade;`);
  }

}
