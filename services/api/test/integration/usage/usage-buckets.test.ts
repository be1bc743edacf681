import { beforeAll, describe, expect, it } from 'vitest';
import { windowSizes, windowStart, type Calendar } from '../../../src/billing/period/index.ts';
import { useTestServer } from '../../support/fixtures.ts';
import { insertEvents, scopeOf } from '../../support/usage-data.ts';

/**
 * Buckets are cut inside PostgreSQL (an SQL expression per bucket size) while windows are cut by
 * src/billing/period/calendar-window.ts; both must place every instant in the same calendar window.
 * Events every 17 minutes around the DST changes of zones with whole-, half- and quarter-hour
 * offsets, 30-minute DST (Lord Howe), midnight transitions (Havana, São Paulo): per bucket, the
 * count PostgreSQL reports must equal the count of events the TypeScript rules put there.
 */
const transitions: Record<string, string[]> = {
  UTC: ['2025-06-01T00:00:00Z'],
  'Europe/Berlin': ['2025-03-30T01:00:00Z', '2025-10-26T01:00:00Z'],
  'America/New_York': ['2025-03-09T07:00:00Z', '2025-11-02T06:00:00Z'],
  'Asia/Kathmandu': ['2025-01-31T18:15:00Z'],
  'Australia/Lord_Howe': ['2025-04-05T15:00:00Z', '2025-10-04T15:30:00Z'],
  'Pacific/Chatham': ['2025-04-05T14:00:00Z', '2025-09-27T14:00:00Z'],
  'America/Havana': ['2025-03-09T05:00:00Z', '2025-11-02T05:00:00Z'],
  'America/Sao_Paulo': ['2018-11-04T03:00:00Z', '2019-02-17T02:00:00Z'],
};

const step = 17 * 60_000;
const around = 30 * 3_600_000;
const instants = [...new Set(Object.values(transitions).flat())].flatMap((at) => {
  const t = Date.parse(at);
  return Array.from({ length: Math.floor((2 * around) / step) }, (_, i) => t - around + i * step);
});
const first = Math.min(...instants);
const last = Math.max(...instants);

const server = useTestServer();
beforeAll(async () => {
  const dev = await scopeOf(server, 'development');
  await insertEvents(
    server,
    dev,
    instants.map((t, i) => ({ id: `b${i}`, eventName: 'tick', externalCustomerId: 'acme', timestamp: new Date(t).toISOString(), properties: { n: 1 } })),
  );
});

async function bucketCounts(size: string, calendar: Calendar): Promise<Record<string, number>> {
  const res = await server.api.post('/v1/events/usage', {
    event_name: 'tick',
    aggregation_type: 'SUM',
    property_name: 'n',
    bucket_size: size,
    start_time: new Date(first).toISOString(),
    end_time: new Date(last + 1).toISOString(),
    timezone: calendar.timezone,
    ...(calendar.billingAnchor ? { billing_anchor: calendar.billingAnchor.toISOString() } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return Object.fromEntries((res.body.results as Array<{ window_size: string; value: number }>).map((r) => [new Date(r.window_size).toISOString(), r.value]));
}

function expectedCounts(size: (typeof windowSizes)[number], calendar: Calendar): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of instants) {
    const key = new Date(windowStart(t, size, calendar)).toISOString();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe.each(Object.keys(transitions))('buckets in %s', (timezone) => {
  it.each(windowSizes)('%s buckets agree with the TypeScript calendar', async (size) => {
    const calendar = { timezone };
    expect(await bucketCounts(size, calendar)).toEqual(expectedCounts(size, calendar));
  });

  it('anchored MONTH buckets agree too (anchor 2024-12-31T01:30Z)', async () => {
    const calendar = { timezone, billingAnchor: new Date('2024-12-31T01:30:00Z') };
    expect(await bucketCounts('MONTH', calendar)).toEqual(expectedCounts('MONTH', calendar));
  });
});
