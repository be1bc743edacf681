import { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ormOptions } from '../../../src/db/orm.ts';

/**
 * Upgrading a database that already holds meters and events: the migration that adds the meter usage
 * hours fills them from the stored events once, so usage read through them is right from the first
 * request; the triggers keep them from then on.
 */

let orm: MikroORM;
const sql = <T extends object>(text: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<T[]>(text, params);

beforeAll(async () => {
  orm = await MikroORM.init(await ormOptions({ kind: 'pglite-memory' }));
  await orm.migrator.up({ to: 'Migration20261206064955_due_claim_order' });
});
afterAll(async () => {
  await orm?.close(true);
});

describe('migration meter_usage_hours', () => {
  it('fills the hours of the meters and events stored before it', async () => {
    const meter = (id: string, aggregation: object, filters: object[] = []) =>
      sql(`insert into meters (id, tenant_id, environment_id, name, event_name, aggregation, filters, reset_usage) values (?, 't1', 'e1', ?, 'calls', ?::jsonb, ?::jsonb, 'BILLING_PERIOD')`, [
        id,
        id,
        JSON.stringify(aggregation),
        JSON.stringify(filters),
      ]);
    await meter('m_count', { type: 'COUNT' });
    await meter('m_sum_eu', { type: 'SUM', field: 'units' }, [{ key: 'region', values: ['eu'] }]);
    await meter('m_max', { type: 'MAX', field: 'units' });
    const events: Array<[string, string, string, object]> = [
      ['ev1', 'acme', '2025-07-01T10:15:00Z', { units: 2, region: 'eu' }],
      ['ev2', 'acme', '2025-07-01T10:45:00Z', { units: '3.5', region: 'us' }],
      ['ev3', 'acme', '2025-07-01T11:00:00Z', { units: 5, region: 'eu' }],
      ['ev4', 'globex', '2025-07-01T10:59:59.999Z', { units: 'n/a', region: 'eu' }],
    ];
    for (const [id, customer, at, properties] of events) {
      await sql(`insert into events (tenant_id, environment_id, id, external_customer_id, event_name, "timestamp", properties) values ('t1', 'e1', ?, ?, 'calls', ?::timestamptz, ?::jsonb)`, [
        id,
        customer,
        at,
        JSON.stringify(properties),
      ]);
    }

    await orm.migrator.up();

    const hours = await sql<{ meter_id: string; customer: string; hour: string; n: string; v: string }>(
      `select meter_id, external_customer_id as customer, to_char(hour at time zone 'UTC', 'HH24') as hour, event_count::text as n, value_sum::text as v
       from meter_usage_hours order by 1, 2, 3`,
    );
    expect(hours).toEqual([
      { meter_id: 'm_count', customer: 'acme', hour: '10', n: '2', v: '0' },
      { meter_id: 'm_count', customer: 'acme', hour: '11', n: '1', v: '0' },
      { meter_id: 'm_count', customer: 'globex', hour: '10', n: '1', v: '0' },
      { meter_id: 'm_sum_eu', customer: 'acme', hour: '10', n: '1', v: '2' },
      { meter_id: 'm_sum_eu', customer: 'acme', hour: '11', n: '1', v: '5' },
      { meter_id: 'm_sum_eu', customer: 'globex', hour: '10', n: '1', v: '0' },
    ]);

    // From here the trigger adds new events.
    await sql(`insert into events (tenant_id, environment_id, id, external_customer_id, event_name, "timestamp", properties) values ('t1', 'e1', 'ev5', 'acme', 'calls', '2025-07-01T11:30:00Z', '{"units": 1.25, "region": "eu"}')`);
    const after = await sql<{ n: string; v: string }>(`select event_count::text as n, value_sum::text as v from meter_usage_hours where meter_id = 'm_sum_eu' and external_customer_id = 'acme' and hour = '2025-07-01T11:00:00Z'`);
    expect(after).toEqual([{ n: '2', v: '6.25' }]);
  });
});
