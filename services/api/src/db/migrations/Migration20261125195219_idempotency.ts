import { Migration } from '@mikro-orm/migrations';

export class Migration20261125195219_idempotency extends Migration {

  override name = 'Migration20261125195219_idempotency';

  override up(): void | Promise<void> {
    this.addSql(`create table "idempotency_keys" ("tenant_id" varchar(64) not null, "environment_id" varchar(64) not null, "key" varchar(255) not null, "fingerprint" varchar(64) not null, "state" varchar(20) not null, "response_status" int null, "response_body" jsonb null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("tenant_id", "environment_id", "key"));`);
    this.addSql(`create index "idempotency_keys_expires_idx" on "idempotency_keys" ("expires_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "idempotency_keys" cascade;`);
  }

}
