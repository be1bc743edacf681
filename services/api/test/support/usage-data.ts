import type { TestServer } from './test-server.ts';

/** Tenant and environment of a test server's environment, for writing rows directly. */
export type Scope = { tenantId: string; environmentId: string };

export async function scopeOf(server: TestServer, type: 'development' | 'production'): Promise<Scope> {
  const rows = await server.orm.em
    .fork()
    .getConnection()
    .execute<Array<{ tenant_id: string; id: string }>>('select tenant_id, id from environments where type = ? order by created_at limit 1', [type]);
  return { tenantId: rows[0].tenant_id, environmentId: rows[0].id };
}

export type StoredEvent = {
  id: string;
  eventName: string;
  externalCustomerId: string;
  timestamp: string;
  properties: Record<string, unknown>;
  source?: string;
  ingestedAt?: string;
};

/**
 * Writes events straight into the events table (multi-row INSERTs), independent of the ingestion
 * API: usage tests need exact timestamps and properties, including ones the API would refuse.
 */
export async function insertEvents(server: TestServer, scope: Scope, events: StoredEvent[]): Promise<void> {
  const conn = server.orm.em.fork().getConnection();
  for (let i = 0; i < events.length; i += 200) {
    const chunk = events.slice(i, i + 200);
    const params = chunk.flatMap((e) => [
      scope.tenantId,
      scope.environmentId,
      e.id,
      e.externalCustomerId,
      e.eventName,
      e.timestamp,
      JSON.stringify(e.properties),
      e.source ?? null,
      e.ingestedAt ?? new Date().toISOString(),
    ]);
    await conn.execute(
      `insert into events (tenant_id, environment_id, id, external_customer_id, event_name, timestamp, properties, source, ingested_at)
       values ${chunk.map(() => '(?, ?, ?, ?, ?, ?::timestamptz, ?::jsonb, ?, ?::timestamptz)').join(', ')}`,
      params,
    );
  }
}

export type StoredMeter = {
  id: string;
  eventName: string;
  aggregation: Record<string, unknown>;
  filters?: Array<{ key: string; values: string[] }>;
  resetUsage?: 'BILLING_PERIOD' | 'NEVER';
  status?: string;
};

/** Writes a meter row directly (the meters API validates; these tests want exact configurations). */
export async function insertMeter(server: TestServer, scope: Scope, meter: StoredMeter): Promise<void> {
  await server.orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into meters (id, tenant_id, environment_id, name, event_name, aggregation, filters, reset_usage, status)
       values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)`,
      [
        meter.id,
        scope.tenantId,
        scope.environmentId,
        meter.id,
        meter.eventName,
        JSON.stringify(meter.aggregation),
        JSON.stringify(meter.filters ?? []),
        meter.resetUsage ?? 'BILLING_PERIOD',
        meter.status ?? 'published',
      ],
    );
}
