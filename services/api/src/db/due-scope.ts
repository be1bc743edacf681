/** Whose due work a query may touch: a test clock's customers, or (null) those on none; optionally one environment. */
export type WorkScope = { testClockId: string | null; tenantId?: string; environmentId?: string };

/**
 * The one place due work's scope becomes SQL, over a row `alias` that has `customer_id`, `tenant_id`
 * and `environment_id` (a subscription, an invoice). Until customers carry a test clock every customer
 * is on none: the null scope is everyone, a clock's scope no one. At merge with test clocks, the first
 * part becomes `exists (select 1 from customers c where c.id = ${alias}.customer_id and
 * c.test_clock_id is not distinct from $n)`.
 */
export function dueScopeSql(alias: string, scope: WorkScope, params: unknown[]): string {
  const parts = [scope.testClockId === null ? 'true' : 'false'];
  if (scope.tenantId) parts.push(`${alias}.tenant_id = $${params.push(scope.tenantId)}`);
  if (scope.environmentId) parts.push(`${alias}.environment_id = $${params.push(scope.environmentId)}`);
  return parts.join(' and ');
}
