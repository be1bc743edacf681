import { beforeAll, describe, expect } from 'vitest';
import { flexprice, sdkTest, unique } from '../src/sdk-test.ts';

/**
 * Subscriptions and invoices through FlexPrice's SDK, on the server's wall clock: a plan of $20 a
 * month in advance plus $0.01 per request in arrears; subscriptions started now, drafts activated,
 * the period-end invoice previewed with the usage so far; one-off invoices drafted, updated,
 * finalized, paid by hand, voided, searched and summarised.
 */
const INVOICE_NUMBER = /^INV-\d{6}-\d{5}$/;

let planId: string;
let eventName: string;

beforeAll(async () => {
  const key = unique('si-requests');
  eventName = `${key}.request`;
  const feature = await flexprice.features.createFeature({
    name: 'Requests',
    type: 'metered',
    lookupKey: key,
    meter: { name: 'Requests', eventName, aggregation: { type: 'COUNT' }, resetUsage: 'BILLING_PERIOD' },
  });
  planId = (await flexprice.plans.createPlan({ name: 'Pro', lookupKey: unique('si-pro') })).id!;
  const common = { entityType: 'PLAN', entityId: planId, currency: 'usd', billingPeriod: 'MONTHLY', billingPeriodCount: 1, billingModel: 'FLAT_FEE', billingCadence: 'RECURRING', priceUnitType: 'FIAT' } as const;
  await flexprice.prices.createPrice({ ...common, type: 'FIXED', amount: '20', invoiceCadence: 'ADVANCE', displayName: 'Platform fee' });
  await flexprice.prices.createPrice({ ...common, type: 'USAGE', meterId: feature.meterId!, amount: '0.01', invoiceCadence: 'ARREAR', displayName: 'Requests' });
});

const newCustomer = async (name: string) => (await flexprice.customers.createCustomer({ externalId: unique(name.toLowerCase()), name })).id!;
const subscribe = (customerId: string, extra: { subscriptionStatus?: 'draft' } = {}) =>
  flexprice.subscriptions.createSubscription({ customerId, planId, currency: 'usd', billingPeriod: 'MONTHLY', billingCadence: 'RECURRING', ...extra });

describe('subscriptions', () => {
  sdkTest(
    'subscribes a customer: active, with its plan’s two lines and a finalized $20 opening invoice',
    ['subscriptions.createSubscription', 'subscriptions.getSubscription', 'invoices.getInvoice'],
    async () => {
      const customerId = await newCustomer('Subscriber');
      const sub = await subscribe(customerId);
      expect(sub.id).toMatch(/^subs_[0-9A-Z]{26}$/);
      expect(sub).toMatchObject({ customerId, planId, currency: 'usd', subscriptionStatus: 'active', billingPeriod: 'MONTHLY', billingPeriodCount: 1, billingCadence: 'RECURRING', billingCycle: 'anniversary' });
      expect(sub.currentPeriodStart).toBe(sub.startDate);
      // An anniversary month later: the same day and time of the next month (clamped).
      const start = new Date(sub.startDate!);
      expect(new Date(sub.currentPeriodEnd!).getUTCMonth()).toBe((start.getUTCMonth() + 1) % 12);
      expect(sub.latestInvoice).toMatchObject({ invoiceType: 'SUBSCRIPTION', invoiceStatus: 'FINALIZED', paymentStatus: 'PENDING', billingReason: 'SUBSCRIPTION_CREATE', subtotal: '20', total: '20', amountDue: '20', amountRemaining: '20' });
      expect(sub.latestInvoice!.invoiceNumber).toMatch(INVOICE_NUMBER);

      const read = await flexprice.subscriptions.getSubscription(sub.id!);
      expect(read).toMatchObject({ id: sub.id, subscriptionStatus: 'active', startDate: sub.startDate, currentPeriodEnd: sub.currentPeriodEnd });
      expect(read.lineItems!.map((l) => [l.displayName, l.priceType, l.invoiceCadence]).sort()).toEqual([
        ['Platform fee', 'FIXED', 'ADVANCE'],
        ['Requests', 'USAGE', 'ARREAR'],
      ]);
      expect(read.plan!.id).toBe(planId);

      const opening = await flexprice.invoices.getInvoice(sub.latestInvoice!.id!);
      expect(opening).toMatchObject({ id: sub.latestInvoice!.id, subscriptionId: sub.id, customerId, invoiceNumber: sub.latestInvoice!.invoiceNumber, periodStart: sub.startDate, periodEnd: sub.currentPeriodEnd });
      expect(opening.lineItems!.map((l) => [l.displayName, l.quantity, l.amount])).toEqual([['Platform fee', '1', '20']]); // 1 × $20, in advance
    },
  );

  sdkTest('reads a subscription v2 with only what is expanded, and finds it by search', ['subscriptions.getSubscriptionV2', 'subscriptions.querySubscription'], async () => {
    const customerId = await newCustomer('Searcher');
    const sub = await subscribe(customerId);
    const v2 = await flexprice.subscriptions.getSubscriptionV2(sub.id!, 'plan,subscription_line_items');
    expect(v2).toMatchObject({ id: sub.id, subscriptionStatus: 'active', plan: { id: planId, name: 'Pro' } });
    expect(v2.lineItems!.map((l) => l.displayName).sort()).toEqual(['Platform fee', 'Requests']);
    expect(v2.customer).toBeUndefined();
    expect((await flexprice.subscriptions.getSubscriptionV2(sub.id!)).lineItems).toBeUndefined();

    const found = await flexprice.subscriptions.querySubscription({ customerId, subscriptionStatus: ['active'] });
    expect(found.items!.map((s) => s.id)).toEqual([sub.id]);
    expect(found.pagination!.total).toBe(1);
    const none = await flexprice.subscriptions.querySubscription({ customerId, subscriptionStatus: ['cancelled'] });
    expect(none.items).toEqual([]);
  });

  sdkTest('creates a draft, activates it (its opening invoice comes then) and sets cancel_at', ['subscriptions.activateSubscription', 'subscriptions.updateSubscription'], async () => {
    const customerId = await newCustomer('Drafter');
    const draft = await subscribe(customerId, { subscriptionStatus: 'draft' });
    expect(draft.subscriptionStatus).toBe('draft');
    expect(draft.latestInvoice).toBeUndefined();

    const startDate = new Date(Date.now() + 1000).toISOString();
    const active = await flexprice.subscriptions.activateSubscription(draft.id!, { startDate });
    expect(active).toMatchObject({ id: draft.id, subscriptionStatus: 'active', startDate, currentPeriodStart: startDate });
    const invoices = await flexprice.invoices.queryInvoice({ subscriptionId: draft.id });
    expect(invoices.items!.map((i) => [i.billingReason, i.total, i.periodStart])).toEqual([['SUBSCRIPTION_CREATE', '20', startDate]]);

    const updated = await flexprice.subscriptions.updateSubscription(draft.id!, { cancelAt: active.currentPeriodEnd });
    expect(updated).toMatchObject({ id: draft.id, cancelAt: active.currentPeriodEnd, endDate: active.currentPeriodEnd, cancelAtPeriodEnd: false, version: active.version! + 1 });
  });

  sdkTest('cancels at the period end, then another one at once with a final invoice and a proration credit', ['subscriptions.cancelSubscription'], async () => {
    const later = await subscribe(await newCustomer('Leaver'));
    const scheduled = await flexprice.subscriptions.cancelSubscription(later.id!, { cancellationType: 'end_of_period', reason: 'budget' });
    expect(scheduled).toMatchObject({ subscriptionId: later.id, cancellationType: 'end_of_period', status: 'active', effectiveDate: later.currentPeriodEnd, totalCreditAmount: '0', reason: 'budget' });

    const externalId = unique('quitter');
    const customerId = (await flexprice.customers.createCustomer({ externalId, name: 'Quitter' })).id!;
    const now = await subscribe(customerId);
    for (let i = 0; i < 3; i++) await flexprice.events.ingestEvent({ eventName, externalCustomerId: externalId, eventId: `${now.id}-${i}` });
    await new Promise((resolve) => setTimeout(resolve, 10)); // the calls are before the cancellation
    const res = await flexprice.subscriptions.cancelSubscription(now.id!, { cancellationType: 'immediate', prorationBehavior: 'create_prorations', cancelImmediatelyInovicePolicy: 'generate_invoice' });
    expect(res).toMatchObject({ subscriptionId: now.id, cancellationType: 'immediate', status: 'cancelled' });
    // Cancelled within seconds of its start: the credit is all but the whole $20 fee.
    expect(Number(res.totalCreditAmount)).toBeGreaterThanOrEqual(19.99);
    expect(Number(res.totalCreditAmount)).toBeLessThanOrEqual(20);
    expect(res.prorationDetails!.map((d) => [d.originalAmount, d.creditAmount])).toEqual([['20', res.totalCreditAmount]]);
    expect(res.prorationInvoice).toMatchObject({ billingReason: 'PRORATION', total: '0.03', invoiceStatus: 'FINALIZED' }); // 3 × $0.01
    const wallets = await flexprice.wallets.getWalletsByCustomerId(customerId);
    expect(wallets.map((w) => [w.walletType, w.creditBalance])).toEqual([['PRE_PAID', res.totalCreditAmount]]);
  });

  sdkTest(
    'reads and calls off a scheduled cancellation on FlexPrice’s spec routes',
    ['subscriptions.listSubscriptionSchedules', 'subscriptions.getSubscriptionSchedule', 'subscriptions.listAllSubscriptionSchedules', 'subscriptions.cancelSubscriptionSchedule'],
    async () => {
      const sub = await subscribe(await newCustomer('Hesitant'));
      await flexprice.subscriptions.cancelSubscription(sub.id!, { cancellationType: 'end_of_period' });
      const mine = await flexprice.subscriptions.listSubscriptionSchedules(sub.id!);
      expect(mine.count).toBe(1);
      const [schedule] = mine.schedules!;
      expect(schedule).toMatchObject({ subscriptionId: sub.id, scheduleType: 'cancellation', status: 'pending', canBeCancelled: true });
      expect(await flexprice.subscriptions.getSubscriptionSchedule(schedule!.id!)).toMatchObject({ id: schedule!.id, status: 'pending' });
      const pending = await flexprice.subscriptions.listAllSubscriptionSchedules(true, sub.id);
      expect(pending.schedules!.map((s) => s.id)).toEqual([schedule!.id]);
      expect(await flexprice.subscriptions.cancelSubscriptionSchedule(schedule!.id!)).toMatchObject({ status: 'cancelled' });
      expect((await flexprice.subscriptions.getSubscription(sub.id!)).cancelAt).toBeUndefined();
    },
  );

  sdkTest(
    'changes plan by replacing the subscription (v1): preview, then at once with the unused fee netted, and at the period end',
    ['subscriptions.previewSubscriptionChange', 'subscriptions.executeSubscriptionChange'],
    async () => {
      const team = (await flexprice.plans.createPlan({ name: 'Team', lookupKey: unique('si-team') })).id!;
      await flexprice.prices.createPrice({ entityType: 'PLAN', entityId: team, currency: 'usd', billingPeriod: 'MONTHLY', billingPeriodCount: 1, billingModel: 'FLAT_FEE', billingCadence: 'RECURRING', priceUnitType: 'FIAT', type: 'FIXED', amount: '50', invoiceCadence: 'ADVANCE', displayName: 'Team fee' });
      const sub = await subscribe(await newCustomer('Grower'));
      const body = { targetPlanId: team, prorationBehavior: 'create_prorations', billingCadence: 'RECURRING', billingPeriod: 'MONTHLY', billingCycle: 'anniversary', changeAt: 'immediate' } as const;
      // Moments into the period: the unused part of the $20 fee rounds to $20.00, netted into Team's $50 → $30.
      const preview = await flexprice.subscriptions.previewSubscriptionChange(sub.id!, body);
      expect(preview).toMatchObject({ subscriptionId: sub.id, changeType: 'upgrade', currentPlan: { id: planId }, targetPlan: { id: team }, prorationDetails: { creditAmount: '20', chargeAmount: '0', netAmount: '-20' } });
      expect(preview.nextInvoicePreview).toMatchObject({ subtotal: '30', total: '30', lineItems: [{ description: 'Team fee', amount: '30', isProration: true }] });
      expect((await flexprice.subscriptions.getSubscription(sub.id!)).subscriptionStatus).toBe('active');

      const done = await flexprice.subscriptions.executeSubscriptionChange(sub.id!, body);
      expect(done).toMatchObject({ isScheduled: false, changeType: 'upgrade', oldSubscription: { id: sub.id, status: 'cancelled' }, newSubscription: { planId: team, status: 'active' }, prorationApplied: { creditAmount: '20' } });
      expect(done.newSubscription!.id).not.toBe(sub.id);
      expect(done.invoice).toMatchObject({ subscriptionId: done.newSubscription!.id, billingReason: 'SUBSCRIPTION_CREATE', total: '30' });
      expect((await flexprice.subscriptions.getSubscription(sub.id!)).subscriptionStatus).toBe('cancelled');

      const later = await subscribe(await newCustomer('Planner'));
      const scheduled = await flexprice.subscriptions.executeSubscriptionChange(later.id!, { ...body, prorationBehavior: 'none', changeAt: 'end_of_period' });
      expect(scheduled).toMatchObject({ isScheduled: true, scheduledAt: later.currentPeriodEnd, changeType: 'upgrade', oldSubscription: { id: later.id, status: 'active' } });
      const [schedule] = (await flexprice.subscriptions.listSubscriptionSchedules(later.id!)).schedules!;
      expect(schedule).toMatchObject({ id: scheduled.scheduleId, scheduleType: 'plan_change', status: 'pending' });
    },
  );

  sdkTest('pauses a subscription for ten days, lists its pauses and resumes it', ['subscriptions.pauseSubscription', 'subscriptions.listSubscriptionPauses', 'subscriptions.resumeSubscription'], async () => {
    const sub = await subscribe(await newCustomer('Pauser'));
    const pause = await flexprice.subscriptions.pauseSubscription(sub.id!, { pauseMode: 'immediate', pauseDays: 10, reason: 'holiday' });
    expect(pause).toMatchObject({ subscriptionId: sub.id, pauseStatus: 'active', pauseMode: 'immediate', resumeMode: 'auto', reason: 'holiday', originalPeriodEnd: sub.currentPeriodEnd });
    expect((await flexprice.subscriptions.getSubscription(sub.id!)).subscriptionStatus).toBe('paused');
    // FlexPrice's SDK types each item as a list response; Tally (as FlexPrice's server did) answers pauses.
    expect(await flexprice.subscriptions.listSubscriptionPauses(sub.id!)).toHaveLength(1);
    const resumed = await flexprice.subscriptions.resumeSubscription(sub.id!, { resumeMode: 'immediate' });
    expect(resumed).toMatchObject({ id: pause.id, pauseStatus: 'completed', resumeMode: 'immediate' });
    expect((await flexprice.subscriptions.getSubscription(sub.id!)).subscriptionStatus).toBe('active');
  });

  sdkTest('previews the period-end invoice: five requests so far and next month’s fee', ['invoices.getInvoicePreview'], async () => {
    const externalId = unique('previewer');
    const customerId = (await flexprice.customers.createCustomer({ externalId, name: 'Previewer' })).id!;
    const sub = await subscribe(customerId);
    for (let i = 0; i < 5; i++) await flexprice.events.ingestEvent({ eventName, externalCustomerId: externalId, eventId: `${sub.id}-${i}` });
    const preview = await flexprice.invoices.getInvoicePreview({ subscriptionId: sub.id! });
    expect(preview).toMatchObject({ id: '', subscriptionId: sub.id, invoiceStatus: 'DRAFT', billingReason: 'SUBSCRIPTION_CYCLE', periodStart: sub.currentPeriodStart, periodEnd: sub.currentPeriodEnd, metadata: { is_preview: 'true' } });
    expect(preview.lineItems!.map((l) => [l.displayName, l.quantity, l.amount])).toEqual([
      ['Requests', '5', '0.05'], //  5 × $0.01
      ['Platform fee', '1', '20'], // next month, in advance
    ]);
    expect([preview.subtotal, preview.total, preview.amountDue]).toEqual(['20.05', '20.05', '20.05']); // 0.05 + 20
    expect(preview.invoiceNumber ?? null).toBeNull();
  });
});

describe('invoices', () => {
  const oneOff = (customerId: string, amount: string, extra: { invoiceStatus?: 'DRAFT' } = {}) =>
    flexprice.invoices.createInvoice({ customerId, currency: 'usd', invoiceType: 'ONE_OFF', subtotal: amount, total: amount, amountDue: amount, lineItems: [{ displayName: 'Workshop', amount, quantity: '1' }], ...extra });

  sdkTest('drafts a one-off invoice, updates it, finalizes it: numbered then', ['invoices.createInvoice', 'invoices.updateInvoice', 'invoices.finalizeInvoice', 'invoices.getInvoice'], async () => {
    const customerId = await newCustomer('Trainee');
    const draft = await oneOff(customerId, '150', { invoiceStatus: 'DRAFT' });
    expect(draft.id).toMatch(/^inv_[0-9A-Z]{26}$/);
    expect(draft).toMatchObject({ customerId, invoiceType: 'ONE_OFF', invoiceStatus: 'DRAFT', paymentStatus: 'PENDING', billingReason: 'MANUAL', subtotal: '150', total: '150', amountDue: '150' });
    expect(draft.invoiceNumber ?? null).toBeNull();

    const dueDate = '2031-03-01T00:00:00.000Z';
    const updated = await flexprice.invoices.updateInvoice(draft.id!, { dueDate, metadata: { po: 'PO-7' }, invoicePdfUrl: 'https://example.com/inv.pdf' });
    expect(updated).toMatchObject({ id: draft.id, dueDate, metadata: { po: 'PO-7' }, invoicePdfUrl: 'https://example.com/inv.pdf', invoiceStatus: 'DRAFT' });

    expect(await flexprice.invoices.finalizeInvoice(draft.id!)).toEqual({ message: 'invoice finalized successfully' });
    const finalized = await flexprice.invoices.getInvoice(draft.id!);
    expect(finalized).toMatchObject({ invoiceStatus: 'FINALIZED', total: '150', dueDate, metadata: { po: 'PO-7' } });
    expect(finalized.invoiceNumber).toMatch(INVOICE_NUMBER);
    expect(finalized.finalizedAt).toBeDefined();
  });

  sdkTest(
    'marks one invoice paid, voids another, searches by status and summarises the customer',
    ['invoices.updateInvoicePaymentStatus', 'invoices.voidInvoice', 'invoices.queryInvoice', 'invoices.getCustomerInvoiceSummary'],
    async () => {
      const customerId = await newCustomer('Books');
      const paid = await oneOff(customerId, '30');
      const voided = await oneOff(customerId, '12.5');
      const open = await oneOff(customerId, '7');

      const afterPayment = await flexprice.invoices.updateInvoicePaymentStatus(paid.id!, { paymentStatus: 'SUCCEEDED' });
      expect(afterPayment).toMatchObject({ id: paid.id, paymentStatus: 'SUCCEEDED', amountPaid: '30', amountRemaining: '0' });
      expect(afterPayment.paidAt).toBeDefined();

      expect(await flexprice.invoices.voidInvoice(voided.id!)).toEqual({ message: 'invoice voided successfully' });
      expect(await flexprice.invoices.getInvoice(voided.id!)).toMatchObject({ invoiceStatus: 'VOIDED', invoiceNumber: voided.invoiceNumber });

      const byStatus = await flexprice.invoices.queryInvoice({ customerId, invoiceStatus: ['VOIDED'] });
      expect(byStatus.items!.map((i) => i.id)).toEqual([voided.id]);
      const unpaid = await flexprice.invoices.queryInvoice({ customerId, paymentStatus: ['PENDING'], invoiceStatus: ['FINALIZED'] });
      expect(unpaid.items!.map((i) => [i.id, i.amountRemaining])).toEqual([[open.id, '7']]);
      const all = await flexprice.invoices.queryInvoice({ customerId, order: 'asc', limit: 2 });
      expect(all.items!.map((i) => i.id)).toEqual([paid.id, voided.id]);
      expect(all.pagination).toMatchObject({ total: 3, limit: 2, offset: 2 }); // as FlexPrice: the next page's offset

      const summary = await flexprice.invoices.getCustomerInvoiceSummary(customerId);
      expect(summary).toMatchObject({ customerId, defaultCurrency: 'usd' });
      expect(summary.summaries).toEqual([
        expect.objectContaining({
          currency: 'usd',
          totalRevenueAmount: '37', // 30 + 7; the voided 12.50 is out of the books
          totalInvoiceCount: 2,
          totalUnpaidAmount: '7',
          unpaidInvoiceCount: 1,
          totalOverdueAmount: '0',
          overdueInvoiceCount: 0,
        }),
      ]);
    },
  );
});
