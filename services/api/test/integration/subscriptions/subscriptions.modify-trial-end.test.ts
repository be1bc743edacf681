// modify type trial_end on the Basic plan ($30 a month in advance) with a 14-day trial from 1 June 2025.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, subscriptionOf } from '../../support/billing.ts';
import { expectRefused, useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';

const server = useTestServer();
const basic = useBasicPlan(server);

const modify = (id: string, kind: 'preview' | 'execute', body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${id}/modify/${kind}`, body);
const eventsOf = async (id: string) => (await server.api.get('/v1/webhooks/events?limit=1000')).body.items.filter((e: any) => e.entity_id === id).map((e: any) => e.event_type);
const trialEndInvoices = async (id: string) => (await invoicesOf(server.api, id)).filter((i: any) => i.billing_reason === 'SUBSCRIPTION_TRIAL_END');

describe('modify trial_end', () => {
  it('immediate on 5 June ends the trial as the bill run would: $30 for 5 June – 5 July, incomplete; preview answers the same', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic({ trial_period_days: 14 });
    expect(sub).toMatchObject({ subscription_status: 'trialing', trial_end: '2025-06-15T00:00:00.000Z', current_period_end: '2025-06-15T00:00:00.000Z' });
    at(server, '2025-06-05T00:00:00Z');
    const body = { type: 'trial_end', trial_end_params: { action: 'immediate' } };
    const preview = await modify(sub.id, 'preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const executed = await modify(sub.id, 'execute', body);
    expect(executed.status, JSON.stringify(executed.body)).toBe(200);
    for (const r of [preview.body, executed.body]) {
      expect(r.changed_resources.subscriptions).toEqual([
        { id: sub.id, action: 'updated', status: 'incomplete', trial_end: '2025-06-05T00:00:00.000Z', current_period_end: '2025-07-05T00:00:00.000Z' },
      ]);
      expect(r.changed_resources.line_items).toEqual([]);
      expect(r.changed_resources.invoices).toHaveLength(1);
      const inv = r.changed_resources.invoices[0];
      expect(inv).toMatchObject({ action: 'created', amount: '30' });
      // The first paid period, 5 June – 5 July, in advance: $30.
      expect(linesOf(inv.invoice)).toEqual([['Basic', '1', '30', '2025-06-05T00:00:00.000Z', '2025-07-05T00:00:00.000Z']]);
      expect(headlineOf(inv.invoice)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_TRIAL_END', subtotal: '30', total: '30', amount_due: '30' });
      expect(r.subscription).toMatchObject({ subscription_status: 'incomplete', billing_anchor: '2025-06-05T00:00:00.000Z', trial_start: '2025-06-01T00:00:00.000Z', trial_end: '2025-06-05T00:00:00.000Z', current_period_start: '2025-06-05T00:00:00.000Z', current_period_end: '2025-07-05T00:00:00.000Z' });
    }
    expect(preview.body.changed_resources.invoices[0]).toMatchObject({ id: '(preview)', status: 'preview', invoice: { id: '(preview)', invoice_number: null } });
    expect(executed.body.changed_resources.invoices[0].id).toMatch(/^inv_/);
    // Kept once: one trial-end invoice; the trial end the bill run would have reached on 15 June does nothing more.
    await billAt(server, '2025-06-15T00:00:00Z');
    const invoices = await invoicesOf(server.api, sub.id);
    expect(invoices.map((i: any) => [i.billing_reason, i.total, i.period_start, i.period_end])).toEqual([
      ['SUBSCRIPTION_TRIAL_START', '0', '2025-06-01T00:00:00.000Z', '2025-06-15T00:00:00.000Z'],
      ['SUBSCRIPTION_TRIAL_END', '30', '2025-06-05T00:00:00.000Z', '2025-07-05T00:00:00.000Z'],
    ]);
    expect((await eventsOf(sub.id)).filter((e: string) => e === 'subscription.updated')).toHaveLength(1);
  });

  it('immediate gives the invoice the bill run gives at the trial end (same lines, same amount)', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const early = await basic({ trial_period_days: 14 });
    const reached = await basic({ trial_period_days: 14 });
    at(server, '2025-06-15T00:00:00Z');
    // Ended by modify at 15 June, exactly when the bill run would end the other one.
    expect((await modify(early.id, 'execute', { type: 'trial_end', trial_end_params: { action: 'immediate' } })).status).toBe(200);
    await billAt(server, '2025-06-15T00:00:00Z');
    const [a] = await trialEndInvoices(early.id);
    const [b] = await trialEndInvoices(reached.id);
    expect(linesOf(a)).toEqual(linesOf(b));
    expect(linesOf(a)).toEqual([['Basic', '1', '30', '2025-06-15T00:00:00.000Z', '2025-07-15T00:00:00.000Z']]);
    expect({ ...headlineOf(a), invoice_number: null }).toEqual({ ...headlineOf(b), invoice_number: null });
    const [sa, sb] = [await subscriptionOf(server.api, early.id), await subscriptionOf(server.api, reached.id)];
    for (const k of ['subscription_status', 'billing_anchor', 'current_period_start', 'current_period_end', 'trial_end']) expect(sa[k]).toEqual(sb[k]);
  });

  it('scheduled_date moves the trial end to 25 June: nothing on 15 June, the $30 trial-end invoice on 25 June', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic({ trial_period_days: 14 });
    at(server, '2025-06-10T00:00:00Z');
    const body = { type: 'trial_end', trial_end_params: { action: 'scheduled_date', new_trial_end: '2025-06-25T00:00:00Z' } };
    const preview = await modify(sub.id, 'preview', body);
    const executed = await modify(sub.id, 'execute', body);
    for (const r of [preview, executed]) {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.changed_resources).toEqual({
        line_items: [],
        invoices: [],
        subscriptions: [{ id: sub.id, action: 'updated', status: 'trialing', trial_end: '2025-06-25T00:00:00.000Z', current_period_end: '2025-06-25T00:00:00.000Z' }],
      });
      expect(r.body.subscription).toMatchObject({ subscription_status: 'trialing', trial_end: '2025-06-25T00:00:00.000Z', current_period_start: '2025-06-01T00:00:00.000Z', current_period_end: '2025-06-25T00:00:00.000Z' });
    }
    expect(await eventsOf(sub.id)).toEqual(expect.arrayContaining(['subscription.updated']));
    await billAt(server, '2025-06-15T00:00:00Z');
    expect(await trialEndInvoices(sub.id)).toEqual([]);
    expect((await subscriptionOf(server.api, sub.id)).subscription_status).toBe('trialing');
    await billAt(server, '2025-06-25T00:00:00Z');
    const [inv] = await trialEndInvoices(sub.id);
    expect(linesOf(inv)).toEqual([['Basic', '1', '30', '2025-06-25T00:00:00.000Z', '2025-07-25T00:00:00.000Z']]);
    expect(headlineOf(inv)).toMatchObject({ total: '30', amount_due: '30' });
    expect(await subscriptionOf(server.api, sub.id)).toMatchObject({ subscription_status: 'incomplete', billing_anchor: '2025-06-25T00:00:00.000Z', current_period_end: '2025-07-25T00:00:00.000Z' });
  });

  it('scheduled_date can shorten the trial: 15 → 12 June', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic({ trial_period_days: 14 });
    at(server, '2025-06-10T00:00:00Z');
    const res = await modify(sub.id, 'execute', { type: 'trial_end', trial_end_params: { action: 'scheduled_date', new_trial_end: '2025-06-12T00:00:00Z' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await billAt(server, '2025-06-12T00:00:00Z');
    const [inv] = await trialEndInvoices(sub.id);
    expect(linesOf(inv)).toEqual([['Basic', '1', '30', '2025-06-12T00:00:00.000Z', '2025-07-12T00:00:00.000Z']]);
  });

  it('refuses what FlexPrice refuses, naming the field, and changes nothing', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const trialing = await basic({ trial_period_days: 14, end_date: '2025-06-20T00:00:00Z' });
    const active = await basic();
    at(server, '2025-06-10T00:00:00Z');
    const state = async () => [await subscriptionOf(server.api, trialing.id), await subscriptionOf(server.api, active.id), await eventsOf(trialing.id), await eventsOf(active.id), (await invoicesOf(server.api, trialing.id)).length];
    const path = (id: string, kind = 'execute') => `/v1/subscriptions/${id}/modify/${kind}`;
    const cases: [string, Record<string, unknown>, string, string?][] = [
      [path(active.id), { type: 'trial_end', trial_end_params: { action: 'immediate' } }, 'type', 'invalid_operation'],
      [path(active.id, 'preview'), { type: 'trial_end', trial_end_params: { action: 'scheduled_date', new_trial_end: '2025-06-20T00:00:00Z' } }, 'type', 'invalid_operation'],
      [path(trialing.id), { type: 'trial_end' }, 'trial_end_params'],
      [path(trialing.id), { type: 'trial_end', trial_end_params: { action: 'later' } }, 'trial_end_params.action'],
      [path(trialing.id), { type: 'trial_end', trial_end_params: { action: 'scheduled_date' } }, 'trial_end_params.new_trial_end'],
      [path(trialing.id), { type: 'trial_end', trial_end_params: { action: 'scheduled_date', new_trial_end: '2025-06-09T00:00:00Z' } }, 'trial_end_params.new_trial_end'],
      [path(trialing.id), { type: 'trial_end', trial_end_params: { action: 'scheduled_date', new_trial_end: '2025-06-10T00:00:00Z' } }, 'trial_end_params.new_trial_end'],
      // After the subscription's end_date (20 June).
      [path(trialing.id), { type: 'trial_end', trial_end_params: { action: 'scheduled_date', new_trial_end: '2025-06-21T00:00:00Z' } }, 'trial_end_params.new_trial_end'],
      [path(trialing.id), { type: 'trial_end', trial_end_params: { action: 'scheduled_date', new_trial_end: 'soon' } }, 'trial_end_params.new_trial_end'],
    ];
    for (const [p, body, field, code] of cases) await expectRefused(server.api, { path: p, body }, { fields: [field], ...(code ? { code } : {}) }, state);
    expect((await modify('subs_missing', 'execute', { type: 'trial_end', trial_end_params: { action: 'immediate' } })).status).toBe(404);
  });
});
