import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../wallets/wallet-ledger.ts';
import { creditedAmounts, invoiceOf100, walletsOf } from './credit-note-fixtures.ts';

/**
 * Issuing and finalizing credit notes lock the invoice's row (SELECT … FOR UPDATE) and check the
 * limits under it, so notes sent at the same time never credit more than the invoice allows: on
 * PGlite (one connection, transactions take turns) and on PostgreSQL (a pool, real concurrency)
 * alike. Run it on both (`DATABASE_URL`, docs/development/testing.md). On PostgreSQL, reading the
 * invoice without its lock lets all ten through in both tests (checked on 2026-12-05).
 */
const server = useTestServer();
let api: ApiClient;

beforeAll(() => {
  api = server.api;
  at(server, '2025-11-05T12:00:00Z');
});

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();

describe('concurrent credit notes against one invoice', () => {
  it('10 refunds of $30 sent at once against $100 paid: exactly 3 are issued ($90), 7 refused; the wallet holds $90', async () => {
    const paid = await invoiceOf100(api, { paid: true });
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.post('/v1/creditnotes', { invoice_id: paid.invoice.id, reason: 'DUPLICATE', idempotency_key: `refund-${i}`, line_items: [{ invoice_line_item_id: paid.platform, amount: '30' }] }),
      ),
    );
    expect(statuses(responses)).toEqual([201, 201, 201, 400, 400, 400, 400, 400, 400, 400]);
    for (const r of responses.filter((r) => r.status === 400)) expect(Object.keys(r.body.details)).toEqual(['line_items']);
    const issued = responses.filter((r) => r.status === 201).map((r) => r.body);
    expect(issued.map((n) => n.credit_note_status)).toEqual(['FINALIZED', 'FINALIZED', 'FINALIZED']);
    expect(issued.map((n) => n.credit_note_number).sort()).toEqual(['CN-00001', 'CN-00002', 'CN-00003']);
    expect(await creditedAmounts(api, paid.invoice.id)).toMatchObject({ refunded_amount: '90', payment_status: 'PARTIALLY_REFUNDED' }); // 3 × 30; $10 still refundable
    const [wallet] = await walletsOf(api, paid.customerId);
    expect(wallet.credit_balance).toBe('90');
    const ledger = await ledgerOf(api, wallet.id);
    expect(ledger).toHaveLength(3);
    expectLedgerHolds(wallet, ledger);
    expect((await api.get(`/v1/creditnotes?invoice_id=${paid.invoice.id}`)).body.pagination.total).toBe(3);
  });

  it('10 drafts of $30 against $100 unpaid, finalized at once: exactly 3 finalize ($90 adjusted), 7 are refused and stay drafts', async () => {
    const unpaid = await invoiceOf100(api);
    const drafts = [];
    for (let i = 0; i < 10; i++) {
      const res = await api.post('/v1/creditnotes', { invoice_id: unpaid.invoice.id, reason: 'DUPLICATE', idempotency_key: `draft-${i}`, process_credit_note: false, line_items: [{ invoice_line_item_id: unpaid.platform, amount: '30' }] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      drafts.push(res.body.id as string);
    }
    const responses = await Promise.all(drafts.map((id) => api.post(`/v1/creditnotes/${id}/finalize`)));
    expect(statuses(responses)).toEqual([200, 200, 200, 400, 400, 400, 400, 400, 400, 400]);
    for (const r of responses.filter((r) => r.status === 400)) expect(r.body).toMatchObject({ code: 'invalid_operation', details: { maximum_allowed: expect.stringMatching(/^(10|40|70)$/) } });
    const list = (await api.get(`/v1/creditnotes?invoice_id=${unpaid.invoice.id}&limit=100`)).body.items;
    expect(list.map((n: any) => n.credit_note_status).sort()).toEqual(['DRAFT', 'DRAFT', 'DRAFT', 'DRAFT', 'DRAFT', 'DRAFT', 'DRAFT', 'FINALIZED', 'FINALIZED', 'FINALIZED']);
    expect(await creditedAmounts(api, unpaid.invoice.id)).toEqual({
      amount_due: '10', // 100 − 3 × 30
      amount_paid: '0',
      amount_remaining: '10',
      refunded_amount: '0',
      adjustment_amount: '90',
      payment_status: 'PENDING',
    });
  });
});
