import { beforeAll, describe, expect } from 'vitest';
import { baseUrl, apiKey, flexprice, sdkTest, thrown, unique } from '../src/sdk-test.ts';

const start = '2025-03-01T00:00:00Z';
const end = '2025-03-04T00:00:00Z';
let customer: string;
let eventName: string;

beforeAll(() => {
  customer = unique('ev-cust');
  eventName = unique('api_call');
});

describe('events', () => {
  sdkTest('ingests one event and gets it back by id', ['events.ingestEvent', 'events.getEvent'], async () => {
    const eventId = unique('evt');
    const accepted = await flexprice.events.ingestEvent({
      eventId,
      eventName,
      externalCustomerId: customer,
      timestamp: '2025-03-01T10:00:00Z',
      source: 'sdk',
      properties: { region: 'eu', tokens: '120' },
    });
    expect(accepted).toEqual({ message: 'Event accepted for processing', event_id: eventId });

    // The TypeScript SDK reads an event at FlexPrice's legacy path, GET /events/{id}.
    const found = await flexprice.events.getEvent(eventId);
    expect(found.status).toBe('processed');
    expect(found.event).toMatchObject({ id: eventId, eventName, externalCustomerId: customer, timestamp: '2025-03-01T10:00:00Z', source: 'sdk', properties: { region: 'eu', tokens: '120' } });
    const missing = await thrown(() => flexprice.events.getEvent(unique('nope')));
    expect(missing.statusCode).toBe(404);

    // The SDK percent-encodes the id, so one holding `/` reaches the same event.
    const slashed = `${unique('tenant')}/req 1`;
    await flexprice.events.ingestEvent({ eventId: slashed, eventName, externalCustomerId: customer, timestamp: '2025-02-01T00:00:00Z' });
    expect((await flexprice.events.getEvent(slashed)).event!.id).toBe(slashed);
  });

  sdkTest('ingests a batch: FlexPrice’s map-of-strings answer, every event stored', ['events.ingestEventsBulk', 'events.listRawEvents'], async () => {
    const accepted = await flexprice.events.ingestEventsBulk({
      events: [
        { eventId: `${eventName}-b1`, eventName, externalCustomerId: customer, timestamp: '2025-03-01T11:00:00Z', properties: { region: 'us', tokens: '30' } },
        { eventId: `${eventName}-b2`, eventName, externalCustomerId: customer, timestamp: '2025-03-02T09:00:00Z', properties: { region: 'eu', tokens: '50' } },
        { eventId: `${eventName}-b3`, eventName, externalCustomerId: customer, timestamp: '2025-03-03T09:00:00Z', properties: { region: 'eu', tokens: '800' } },
      ],
    });
    expect(accepted).toEqual({ message: 'Events accepted for processing' });

    const all = await flexprice.events.listRawEvents({ externalCustomerId: customer, eventName, startTime: start, endTime: end, order: 'asc', pageSize: 2 });
    expect(all.totalCount).toBe(4);
    expect(all.hasMore).toBe(true);
    expect(all.events!.map((e) => e.timestamp)).toEqual(['2025-03-01T10:00:00Z', '2025-03-01T11:00:00Z']);
    const next = await flexprice.events.listRawEvents({ externalCustomerId: customer, eventName, startTime: start, endTime: end, order: 'asc', pageSize: 2, offset: all.offset });
    expect(next.events!.map((e) => e.id)).toEqual([`${eventName}-b2`, `${eventName}-b3`]);
    expect(next.hasMore).toBe(false);
    const eu = await flexprice.events.listRawEvents({ externalCustomerId: customer, eventName, startTime: start, endTime: end, propertyFilters: { region: ['eu'] } });
    expect(eu.totalCount).toBe(3);

    // Tally's ids stay available on request (not through the SDK, which cannot send the parameter).
    const res = await fetch(`${baseUrl}/events/bulk?return_event_ids=true`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ event_id: `${eventName}-b1`, event_name: eventName, external_customer_id: customer }] }),
    });
    expect(await res.json()).toEqual({ message: 'Events accepted for processing', event_ids: [`${eventName}-b1`] });
  });

  sdkTest('aggregates usage by event name, and by meter', ['events.getUsageStatistics', 'events.getUsageByMeter'], async () => {
    const sum = await flexprice.events.getUsageStatistics({ eventName, externalCustomerId: customer, aggregationType: 'SUM', propertyName: 'tokens', startTime: start, endTime: end });
    expect(sum).toMatchObject({ eventName, type: 'SUM', value: 1000 });
    const count = await flexprice.events.getUsageStatistics({ eventName, externalCustomerId: customer, aggregationType: 'COUNT', startTime: start, endTime: end, windowSize: 'DAY', filters: { region: ['eu'] } });
    expect(count.value).toBe(3);
    expect(count.results!.map((r) => [r.windowSize, r.value])).toEqual([
      ['2025-03-01T00:00:00Z', 1],
      ['2025-03-02T00:00:00Z', 1],
      ['2025-03-03T00:00:00Z', 1],
    ]);

    const key = unique('tok');
    const feature = await flexprice.features.createFeature({
      name: 'Tokens',
      type: 'metered',
      lookupKey: key,
      meter: { name: 'Tokens', eventName, aggregation: { type: 'MAX', field: 'tokens' }, resetUsage: 'BILLING_PERIOD', filters: [{ key: 'region', values: ['eu'] }] },
    });
    const byMeter = await flexprice.events.getUsageByMeter({ meterId: feature.meterId!, externalCustomerId: customer, startTime: start, endTime: end });
    expect(byMeter).toMatchObject({ eventName, type: 'MAX', value: 800 });
  });
});
