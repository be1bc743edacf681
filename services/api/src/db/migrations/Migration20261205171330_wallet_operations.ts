import { Migration } from '@mikro-orm/migrations';

export class Migration20261205171330_wallet_operations extends Migration {

  override name = 'Migration20261205171330_wallet_operations';

  override up(): void | Promise<void> {
    this.addSql(`create table "wallet_alert_states" ("id" varchar(64) not null, "tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "wallet_id" varchar(64) not null, "customer_id" varchar(64) not null, "kind" varchar(80) not null, "alert_state" varchar(20) not null, "balance" numeric not null, "credit_balance" numeric not null, "current_period_usage" numeric null, "unpaid_invoices_amount" numeric null, "computed_at" timestamptz not null, "next_check_at" timestamptz null, "status" varchar(20) not null default 'published', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" varchar(64) null, "updated_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "wallet_alert_states_env_status_created_idx" on "wallet_alert_states" ("tenant_id", "environment_id", "status", "created_at");`);
    this.addSql(`alter table "wallet_alert_states" add constraint "wallet_alert_states_kind_uq" unique ("tenant_id", "environment_id", "wallet_id", "kind");`);

    this.addSql(`create index "wallet_transactions_expiry_idx" on "wallet_transactions" ("expiry_date") where type = 'credit' and credits_available > 0 and expiry_date is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "wallet_alert_states" cascade;`);

    this.addSql(`drop index "wallet_transactions_expiry_idx";`);
  }

}
