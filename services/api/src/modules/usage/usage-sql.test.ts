import { describe, expect, it } from 'vitest';
import { aggregationTypes, planUsage, Quantity, type UsageAggregation, type UsageQuery } from '../../billing/usage/index.ts';
import { combinedUsageStatement, usagePartials, usageStatement } from './usage-sql.ts';

const hostile = "x'); drop table events; --?";

function query(aggregation: UsageAggregation, more: Partial<UsageQuery> = {}): UsageQuery {
  return {
    eventName: hostile,
    externalCustomerId: hostile,
    aggregation,
    filters: [{ key: hostile, values: [hostile, 'eu'] }],
    start: new Date('2025-01-01T00:00:00Z'),
    end: new Date('2025-01-03T00:00:00Z'),
    calendar: { timezone: 'Europe/Berlin', billingAnchor: new Date('2025-01-31T00:00:00Z') },
    resetUsage: 'BILLING_PERIOD',
    ...more,
  };
}

const aggregations: UsageAggregation[] = [
  ...aggregationTypes.map((type) => ({ type, field: hostile, multiplier: type === 'SUM_WITH_MULTIPLIER' ? new Quantity('0.5') : undefined })),
  { type: 'MAX', field: hostile, bucketSize: 'MONTH', groupBy: [{ kind: 'property', name: hostile }, { kind: 'source' }] },
  { type: 'SUM', field: hostile, bucketSize: '3HOUR' },
];

describe('usageStatement', () => {
  const cases = aggregations.flatMap((aggregation) =>
    [undefined, 'DAY' as const].flatMap((windowSize) =>
      (['BILLING_PERIOD', 'NEVER'] as const).map((resetUsage) => [`${aggregation.type}${aggregation.bucketSize ? `/${aggregation.bucketSize}` : ''} ${windowSize ?? 'total'} ${resetUsage}`, query(aggregation, { windowSize, resetUsage })] as const),
    ),
  );

  it.each(cases)('%s: every request value is a parameter, one per placeholder', (_, q) => {
    const { sql, params } = usageStatement(planUsage(q), { tenantId: 'tenant_1', environmentId: 'env_1' });
    expect(sql.split('?').length - 1).toBe(params.length);
    expect(sql).not.toContain('drop table');
    expect(params).toContain(hostile);
    expect(params).toEqual(expect.arrayContaining(['tenant_1', 'env_1']));
  });

  it('reads every period of history under NEVER and only the range otherwise', () => {
    const period = usageStatement(planUsage(query({ type: 'COUNT' })), { tenantId: 't', environmentId: 'e' });
    const never = usageStatement(planUsage(query({ type: 'COUNT' }, { resetUsage: 'NEVER' })), { tenantId: 't', environmentId: 'e' });
    expect(period.sql).toContain('e.timestamp >= ?');
    expect(never.sql).not.toContain('e.timestamp >= ?');
  });
});

describe('usagePartials', () => {
  it('reads every number from its text, never through a float', () => {
    expect(usagePartials([{ k: 2, sum: '0.30000000000000000001', count: '3', max: null }])).toEqual([
      { key: 2, sum: new Quantity('0.30000000000000000001'), count: new Quantity(3) },
    ]);
  });
});

describe('combinedUsageStatement', () => {
  it('answers every statement in one, rows tagged with their statement, parameters in order', () => {
    const scope = { tenantId: 't', environmentId: 'e' };
    const statements = aggregations.map((a) => usageStatement(planUsage(query(a, { windowSize: 'DAY' })), scope));
    const combined = combinedUsageStatement(statements);
    expect(combined.params).toEqual(statements.flatMap((s) => s.params));
    expect(combined.sql.split('\nunion all\n')).toEqual(statements.map((s, i) => `select ${i} as q, row_to_json(t)::text as r from (${s.sql}) t`));
    expect(combined.sql.split('?').length - 1).toBe(combined.params.length);
    expect(combined.sql).not.toContain(hostile);
  });
});
