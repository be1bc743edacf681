import { Migration } from '@mikro-orm/migrations';

// The due-work claims order by (due instant, id) and take the first row they can lock: with the id in
// the index the scan stops there, instead of reading and sorting every row due at the same instant.

export class Migration20261206064955_due_claim_order extends Migration {

  override name = 'Migration20261206064955_due_claim_order';

  override up(): void | Promise<void> {
    this.addSql(`drop index "credit_grant_applications_due_idx";`);
    this.addSql(`create index "credit_grant_applications_due_idx" on "credit_grant_applications" ("scheduled_for", "id") where application_status = 'pending';`);

    this.addSql(`drop index "invoices_finalize_due_idx";`);
    this.addSql(`create index "invoices_finalize_due_idx" on "invoices" ("finalize_at", "id") where invoice_status = 'DRAFT' and finalize_at is not null;`);

    this.addSql(`drop index "subscriptions_cancel_due_idx";`);
    this.addSql(`drop index "subscriptions_pause_due_idx";`);
    this.addSql(`drop index "subscriptions_renewal_due_idx";`);
    this.addSql(`drop index "subscriptions_trial_due_idx";`);
    this.addSql(`create index "subscriptions_cancel_due_idx" on "subscriptions" ("cancel_at", "id") where cancel_at is not null and subscription_status <> 'cancelled' and status = 'published';`);
    this.addSql(`create index "subscriptions_pause_due_idx" on "subscriptions" ("pause_due_at", "id") where pause_due_at is not null and status = 'published';`);
    this.addSql(`create index "subscriptions_renewal_due_idx" on "subscriptions" ("current_period_end", "id") where subscription_status = 'active' and status = 'published';`);
    this.addSql(`create index "subscriptions_trial_due_idx" on "subscriptions" ("trial_end", "id") where subscription_status = 'trialing' and status = 'published';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "credit_grant_applications_due_idx";`);
    this.addSql(`create index "credit_grant_applications_due_idx" on "credit_grant_applications" ("scheduled_for") where (application_status)::text = 'pending'::text;`);

    this.addSql(`drop index "invoices_finalize_due_idx";`);
    this.addSql(`create index "invoices_finalize_due_idx" on "invoices" ("finalize_at") where ((invoice_status)::text = 'DRAFT'::text) AND (finalize_at IS NOT NULL);`);

    this.addSql(`drop index "subscriptions_renewal_due_idx";`);
    this.addSql(`drop index "subscriptions_trial_due_idx";`);
    this.addSql(`drop index "subscriptions_pause_due_idx";`);
    this.addSql(`drop index "subscriptions_cancel_due_idx";`);
    this.addSql(`create index "subscriptions_renewal_due_idx" on "subscriptions" ("current_period_end") where ((subscription_status)::text = 'active'::text) AND ((status)::text = 'published'::text);`);
    this.addSql(`create index "subscriptions_trial_due_idx" on "subscriptions" ("trial_end") where ((subscription_status)::text = 'trialing'::text) AND ((status)::text = 'published'::text);`);
    this.addSql(`create index "subscriptions_pause_due_idx" on "subscriptions" ("pause_due_at") where (pause_due_at IS NOT NULL) AND ((status)::text = 'published'::text);`);
    this.addSql(`create index "subscriptions_cancel_due_idx" on "subscriptions" ("cancel_at") where (cancel_at IS NOT NULL) AND ((subscription_status)::text <> 'cancelled'::text) AND ((status)::text = 'published'::text);`);
  }

}
