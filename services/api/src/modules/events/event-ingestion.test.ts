import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../auth-context.ts';
import { EventIngestion } from './event-ingestion.service.ts';
import type { EventInsert, EventRepo } from './event.repo.ts';

const auth: AuthContext = { tenantId: 'tenant_1', environmentId: 'env_1', secretId: 'secret_1' };
const now = new Date('2025-06-01T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
const minutes = (n: number) => n * 60_000;

/** Ingestion over a store that keeps rows in memory, counting the test-clock look-ups it makes. */
function ingestion(clockTimes: Record<string, string> = {}) {
  const stored: EventInsert[] = [];
  const lookups: string[][] = [];
  const store = { insert: async (events: EventInsert[]) => (stored.push(...events), events.length) } as unknown as EventRepo;
  const service = new EventIngestion(store, { now: () => now }, {
    maxConcurrentWrites: 1,
    clockTimes: async (_, ids) => {
      lookups.push(ids);
      return new Map(Object.entries(clockTimes).filter(([id]) => ids.includes(id)).map(([id, t]) => [id, new Date(t)]));
    },
  });
  return { service, stored, lookups };
}

const event = (customer: string, timestamp?: string) => ({ event_name: 'call', external_customer_id: customer, ...(timestamp ? { timestamp } : {}) });

describe('EventIngestion and test clocks', () => {
  it('looks nothing up for events within the server’s limit (the hot path)', async () => {
    const { service, stored, lookups } = ingestion();
    await service.ingest(auth, event('a', at(minutes(5))));
    await service.ingestBulk(auth, { events: [event('a'), event('b', at(-minutes(60))), event('c', at(minutes(5)))] });
    expect(lookups).toEqual([]);
    expect(stored).toHaveLength(4);
  });

  it('looks up once per bulk request, each customer once, only those stamped ahead', async () => {
    const { service, stored, lookups } = ingestion({ a: '2026-01-01T00:00:00Z', b: '2026-01-01T00:00:00Z' });
    await service.ingestBulk(auth, {
      events: [event('a', '2026-01-01T00:01:00Z'), event('b', '2026-01-01T00:05:00Z'), event('a', '2026-01-01T00:02:00Z'), event('c', at(0))],
    });
    expect(lookups).toEqual([['a', 'b']]);
    expect(stored).toHaveLength(4);
  });

  it('refuses, after its one look-up, every event past its own limit', async () => {
    const { service, stored, lookups } = ingestion({ a: '2026-01-01T00:00:00Z' });
    await expect(service.ingestBulk(auth, { events: [event('a', '2026-01-01T00:05:00.001Z'), event('z', at(minutes(5) + 1))] })).rejects.toMatchObject({
      details: {
        'events[0].timestamp': "must not be more than 5 minutes after the time of customer a's test clock (2026-01-01T00:00:00.000Z)",
        'events[1].timestamp': 'must not be more than 5 minutes in the future (server time 2025-06-01T12:00:00.000Z)',
      },
    });
    await expect(service.ingest(auth, event('z', at(minutes(6))))).rejects.toMatchObject({ details: { timestamp: expect.any(String) } });
    expect(lookups).toEqual([['a', 'z'], ['z']]);
    expect(stored).toEqual([]);
  });
});
