// Pia, Quinn and Rex subscribe on 1 April 2025 to Pro: $30 a month in advance plus $0.01 per call in
// arrear. Each pauses once (POST /subscriptions/{id}/pause, a Tally extension), another way:
// - Pia, on 10 April, at once, for 10 days: paused until 20 April, when the bill run resumes her; her
//   period end and anchor move 10 days later (1 May → 11 May). On 11 May her 150 April calls (100
//   before the pause, 50 during it — usage is billed with the period it falls in) are billed, $1.50,
//   with the fee of 11 May → 11 June, $30.
// - Quinn, on 10 April, scheduled from 20 April, open-ended: paused on 20 April; resumed by hand on
//   5 May after 15 days: his period ends 16 May, when 80 calls ($0.80) and 16 May → 16 June ($30) are
//   billed. Nothing was billed on 1 May: a paused subscription is not renewed.
// - Rex, on 10 April, from his period end, for 5 days: the 1 May renewal bills April (40 calls,
//   $0.40) and May in advance ($30) first; then he is paused 1 → 6 May, and his period ends 6 June.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
type Who = 'pia' | 'quinn' | 'rex';
const customers = {} as Record<Who, any>;
const subs = {} as Record<Who, string>;
let meter: any;

const iso = (s: string) => new Date(s).toISOString();
const send = (who: Who, timestamp: string, count: number, prefix: string) =>
  sendEvents(server.api, { eventName: meter.event_name, customer: customers[who].external_id, timestamp, count, prefix: `${prefix}-${who}` });
const pause = (who: Who, body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${subs[who]}/pause`, body);

describe('pausing and resuming', () => {
  it('opens three subscriptions on 1 April', async () => {
    at(server, '2025-04-01T00:00:00Z');
    meter = await createMeter(server.api, { name: 'API calls' });
    const plan = await createPlan(server.api, { name: 'Pro' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '30', display_name: 'Pro fee' }));
    await createPrice(server.api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    for (const who of ['pia', 'quinn', 'rex'] as const) {
      customers[who] = await createCustomer(server.api, { name: who });
      subs[who] = (await subscribe(server.api, { customer_id: customers[who].id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' })).id;
    }
  });

  it('pauses Pia at once for 10 days, schedules Quinn’s and Rex’s pauses; a dry run writes nothing', async () => {
    at(server, '2025-04-10T00:00:00Z');
    await send('pia', '2025-04-05T00:00:00Z', 100, 'early');
    await send('rex', '2025-04-05T00:00:00Z', 40, 'early');
    const dry = await pause('pia', { pause_mode: 'immediate', pause_days: 10, dry_run: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ id: '', pause_status: 'scheduled', pause_start: iso('2025-04-10T00:00:00Z'), pause_end: iso('2025-04-20T00:00:00Z') });
    expect((await subscriptionOf(server.api, subs.pia)).subscription_status).toBe('active');

    const pia = await pause('pia', { pause_mode: 'immediate', pause_days: 10, reason: 'holiday' });
    expect(pia.status, JSON.stringify(pia.body)).toBe(200);
    expect(pia.body).toMatchObject({
      id: expect.stringMatching(/^pause_/),
      pause_status: 'active',
      pause_mode: 'immediate',
      resume_mode: 'auto',
      pause_start: iso('2025-04-10T00:00:00Z'),
      pause_end: iso('2025-04-20T00:00:00Z'),
      original_period_start: iso('2025-04-01T00:00:00Z'),
      original_period_end: iso('2025-05-01T00:00:00Z'),
      reason: 'holiday',
    });
    expect(await subscriptionOf(server.api, subs.pia)).toMatchObject({ subscription_status: 'paused', pause_status: 'active', active_pause_id: pia.body.id });
    expect((await pause('pia', { pause_mode: 'immediate' })).status).toBe(400); // one pause at a time

    const quinn = await pause('quinn', { pause_mode: 'scheduled', pause_start: '2025-04-20T00:00:00Z' });
    expect(quinn.body).toMatchObject({ pause_status: 'scheduled', pause_start: iso('2025-04-20T00:00:00Z') });
    expect(quinn.body).not.toHaveProperty('pause_end');
    const rex = await pause('rex', { pause_mode: 'period_end', pause_days: 5 });
    expect(rex.body).toMatchObject({ pause_status: 'scheduled', pause_start: iso('2025-05-01T00:00:00Z'), pause_end: iso('2025-05-06T00:00:00Z') });
    expect(await subscriptionOf(server.api, subs.quinn)).toMatchObject({ subscription_status: 'active', pause_status: 'scheduled' });
  });

  it('resumes Pia and pauses Quinn on 20 April; Pia’s period now ends 11 May', async () => {
    at(server, '2025-04-16T00:00:00Z');
    await send('pia', '2025-04-15T00:00:00Z', 50, 'paused');
    expect(await billAt(server, '2025-04-20T00:00:00Z')).toBe(2); // Pia's pause ends, Quinn's starts
    expect(await subscriptionOf(server.api, subs.pia)).toMatchObject({ subscription_status: 'active', pause_status: 'none', current_period_end: iso('2025-05-11T00:00:00Z'), billing_anchor: iso('2025-04-11T00:00:00Z') });
    expect(await subscriptionOf(server.api, subs.quinn)).toMatchObject({ subscription_status: 'paused', pause_status: 'active' });
    const [done] = (await server.api.get(`/v1/subscriptions/${subs.pia}/pauses`)).body;
    expect(done).toMatchObject({ pause_status: 'completed', resume_mode: 'auto', resumed_at: iso('2025-04-20T00:00:00Z') });
  });

  it('on 1 May renews Rex (April’s 40 calls and May’s fee: $30.40) then pauses him; Pia and Quinn are not billed', async () => {
    expect(await billAt(server, '2025-05-01T00:00:00Z')).toBe(2); // Rex's renewal (finalizing its invoice) and his pause
    const [, may] = await invoicesOf(server.api, subs.rex);
    expect(linesOf(may)).toEqual([
      ['API calls', '40', '0.4', iso('2025-04-01T00:00:00Z'), iso('2025-05-01T00:00:00Z')],
      ['Pro fee', '1', '30', iso('2025-05-01T00:00:00Z'), iso('2025-06-01T00:00:00Z')],
    ]);
    expect(headlineOf(may)).toMatchObject({ total: '30.4', billing_reason: 'SUBSCRIPTION_CYCLE' });
    expect(await subscriptionOf(server.api, subs.rex)).toMatchObject({ subscription_status: 'paused', pause_status: 'active' });
    for (const who of ['pia', 'quinn'] as const) expect(await invoicesOf(server.api, subs[who])).toHaveLength(1);
  });

  it('resumes Quinn by hand on 5 May after 15 days: his period ends 16 May; resuming again is refused', async () => {
    at(server, '2025-05-05T00:00:00Z');
    await send('quinn', '2025-04-25T00:00:00Z', 80, 'paused');
    const res = await server.api.post(`/v1/subscriptions/${subs.quinn}/resume`, { resume_mode: 'immediate' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ pause_status: 'completed', resume_mode: 'immediate', resumed_at: iso('2025-05-05T00:00:00Z') });
    expect(await subscriptionOf(server.api, subs.quinn)).toMatchObject({ subscription_status: 'active', pause_status: 'none', current_period_end: iso('2025-05-16T00:00:00Z') });
    expect((await server.api.post(`/v1/subscriptions/${subs.quinn}/resume`, { resume_mode: 'immediate' })).status).toBe(400);
    const events = await server.api.get('/v1/webhooks/events?limit=1000');
    const types = events.body.items.filter((e: any) => e.entity_id === subs.quinn).map((e: any) => e.event_type);
    expect(types.filter((t: string) => t === 'subscription.paused')).toHaveLength(1);
    expect(types.filter((t: string) => t === 'subscription.resumed')).toHaveLength(1);
  });

  it('bills Pia on 11 May, Quinn on 16 May and Rex on 6 June, each a full period ahead', async () => {
    expect(await billAt(server, '2025-05-11T00:00:00Z')).toBe(2); // Rex's pause ends (due 6 May); Pia's renewal, finalizing its invoice
    const [, pia] = await invoicesOf(server.api, subs.pia);
    expect(linesOf(pia)).toEqual([
      ['API calls', '150', '1.5', iso('2025-04-01T00:00:00Z'), iso('2025-05-11T00:00:00Z')],
      ['Pro fee', '1', '30', iso('2025-05-11T00:00:00Z'), iso('2025-06-11T00:00:00Z')],
    ]);
    expect(await billAt(server, '2025-05-16T00:00:00Z')).toBe(1);
    const [, quinn] = await invoicesOf(server.api, subs.quinn);
    expect(linesOf(quinn)).toEqual([
      ['API calls', '80', '0.8', iso('2025-04-01T00:00:00Z'), iso('2025-05-16T00:00:00Z')],
      ['Pro fee', '1', '30', iso('2025-05-16T00:00:00Z'), iso('2025-06-16T00:00:00Z')],
    ]);
    expect(await billAt(server, '2025-06-01T00:00:00Z')).toBe(0); // Rex resumed 6 May: his period ends 6 June
    expect(await subscriptionOf(server.api, subs.rex)).toMatchObject({ subscription_status: 'active', current_period_end: iso('2025-06-06T00:00:00Z') });
    expect(await billAt(server, '2025-06-06T00:00:00Z')).toBe(1);
    const [, , rex] = await invoicesOf(server.api, subs.rex);
    expect(linesOf(rex)).toEqual([
      ['API calls', '0', '0', iso('2025-05-01T00:00:00Z'), iso('2025-06-06T00:00:00Z')], // no calls in his longer period
      ['Pro fee', '1', '30', iso('2025-06-06T00:00:00Z'), iso('2025-07-06T00:00:00Z')],
    ]);
  });
});
