/** Whose due work a query may touch: a test clock's customers, or (null) those on none; optionally one environment. */
export type WorkScope = { testClockId: string | null; tenantId?: string; environmentId?: string };

/**
 * The one place due work's scope becomes SQL, over a row `alias` that has `customer_id`, `tenant_id`
 * and `environment_id` (a subscription, an invoice): the row's customer is on the scope's test clock,
 * or (null) on none — so the billing worker never bills a test clock's customers at the wall clock's
 * time, and a clock's advance bills only its own.
 */
export function dueScopeSql(alias: string, scope: WorkScope, params: unknown[]): string {
  const clock = scope.testClockId === null ? 'is null' : `= $${params.push(scope.testClockId)}`;
  const parts = [`exists (select 1 from customers c where c.id = ${alias}.customer_id and c.tenant_id = ${alias}.tenant_id and c.test_clock_id ${clock})`];
  if (scope.tenantId) parts.push(`${alias}.tenant_id = $${params.push(scope.tenantId)}`);
  if (scope.environmentId) parts.push(`${alias}.environment_id = $${params.push(scope.environmentId)}`);
  return parts.join(' and ');
}
