import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactDecimal, formatDecimal } from '../money/index.ts';
import { applyCommitment, type CommitmentUsageLine, type SubscriptionCommitment } from './commitment.ts';

const commitment = (amount: string | null, factor: string | null, enableTrueUp = false): SubscriptionCommitment => ({ commitmentAmount: amount, overageFactor: factor, enableTrueUp });
const usage = (...amounts: [string, string][]): CommitmentUsageLine[] => amounts.map(([amount, quantity], i) => ({ id: `line${i + 1}`, amount, quantity }));
const total = (r: ReturnType<typeof applyCommitment>) =>
  formatDecimal(r.charges.reduce((s, c) => s.plus(c.amount), new ExactDecimal(r.trueUp?.amount ?? 0)));
const show = (r: ReturnType<typeof applyCommitment>) => r.charges.map((c) => `${c.sourceLineId}${c.isOverage ? ' overage' : ''} ${c.amount} (${c.quantity})`);

describe('applyCommitment: usage against the commitment, overage at the factor, true-up', () => {
  it.each<[string, SubscriptionCommitment, CommitmentUsageLine[], string, string[], string | null]>([
    // [case, commitment, usage lines, invoice usage total, parts, true-up]
    [
      'C = $100, F = 1.5, usage $140 (14,000 calls) → $100 + $60 overage = $160',
      commitment('100', '1.5'),
      usage(['140', '14000']),
      '160',
      ['line1 100 (10000)', 'line1 overage 60 (4000)'],
      null,
    ],
    ['C = $100, usage $70 with true-up → $70 + $30 true-up', commitment('100', '1.5', true), usage(['70', '7000']), '100', ['line1 70 (7000)'], '30'],
    ['the same without true-up → $70', commitment('100', '1.5'), usage(['70', '7000']), '70', ['line1 70 (7000)'], null],
    ['usage exactly C: no overage, nothing to true up', commitment('100', '1.5', true), usage(['100', '10000']), '100', ['line1 100 (10000)'], null],
    [
      'two lines $60 + $80: the second crosses C → $60, $40 + $60 overage',
      commitment('100', '1.5'),
      usage(['60', '6000'], ['80', '800']),
      '160',
      ['line1 60 (6000)', 'line2 40 (400)', 'line2 overage 60 (400)'],
      null,
    ],
    [
      'a line entirely beyond C is all overage: $120 + $30 → $100, $30, $45',
      commitment('100', '1.5'),
      usage(['120', '12'], ['30', '3']),
      '175',
      ['line1 100 (10)', 'line1 overage 30 (2)', 'line2 overage 45 (3)'],
      null,
    ],
    ['overage rounded once per line: $10.01 beyond C × 1.333 = 13.34333 → $13.34', commitment('50', '1.333'), usage(['60.01', '6001']), '63.34', ['line1 50 (5000)', 'line1 overage 13.34 (1001)'], null],
    ['a quantity that does not split evenly keeps 20 decimals: 1 unit for $60.01', commitment('50', '1.333'), usage(['60.01', '1']), '63.34', ['line1 50 (0.8331944675887352108)', 'line1 overage 13.34 (0.1668055324112647892)'], null],
    ['true-up with overage elsewhere is never added', commitment('100', '2', true), usage(['150', '150']), '200', ['line1 100 (100)', 'line1 overage 100 (50)'], null],
    ['no usage at all, true-up enabled → the whole commitment', commitment('100', '1.5', true), [], '100', [], '100'],
  ])('%s', (_case, c, lines, invoiceTotal, parts, trueUp) => {
    const r = applyCommitment(c, lines, 'usd');
    expect(r.applies).toBe(true);
    expect(show(r)).toEqual(parts);
    expect(r.trueUp?.amount ?? null).toBe(trueUp);
    expect(total(r)).toBe(invoiceTotal);
  });

  it('reports utilised, overage and the true-up’s metadata', () => {
    const over = applyCommitment(commitment('100', '1.5'), usage(['140', '14000']), 'usd');
    expect([over.commitmentUtilized, over.overageAmount]).toEqual(['100', '60']);
    const under = applyCommitment(commitment('100', '1.5', true), usage(['70', '7000']), 'usd');
    expect(under.trueUp).toEqual({ amount: '30', commitmentAmount: '100', commitmentUtilized: '70' });
    expect(under.overageAmount).toBe('0');
  });

  it.each<[string, SubscriptionCommitment]>([
    ['no commitment amount', commitment(null, '1.5')],
    ['a commitment of 0', commitment('0', '1.5', true)],
    ['an overage factor of 1', commitment('100', '1', true)],
    ['no overage factor', commitment('100', null, true)],
  ])('does not apply with %s: the lines stand', (_case, c) => {
    const r = applyCommitment(c, usage(['140', '14000']), 'usd');
    expect(r.applies).toBe(false);
    expect(show(r)).toEqual(['line1 140 (14000)']);
    expect(r.trueUp).toBeNull();
  });

  it('works in whole yen: ¥1,000 committed, ¥1,500 used at 1.25 → ¥1,000 + ¥625', () => {
    expect(show(applyCommitment(commitment('1000', '1.25'), usage(['1500', '3']), 'jpy'))).toEqual(['line1 1000 (2)', 'line1 overage 625 (1)']);
  });

  it('refuses a commitment finer than the currency', () => {
    expect(() => applyCommitment(commitment('100.001', '1.5'), [], 'usd')).toThrow(RangeError);
  });
});

describe('applyCommitment (fast-check)', () => {
  const cents = fc.integer({ min: 0, max: 10_000_000 }).map((n) => formatDecimal(new ExactDecimal(n).div(100)));
  const lines = fc.array(fc.tuple(cents, fc.integer({ min: 1, max: 1_000_000 }).map(String)), { maxLength: 6 });
  it('base parts add up to min(usage, C); quantities are conserved; overage is (usage − C) × F within a cent per line', () => {
    fc.assert(
      fc.property(cents.filter((c) => c !== '0'), fc.constantFrom('1.5', '2', '1.25', '3.333'), lines, fc.boolean(), (c, f, raw, trueUp) => {
        const input = usage(...raw);
        const r = applyCommitment(commitment(c, f, trueUp), input, 'usd');
        const used = input.reduce((s, l) => s.plus(l.amount), new ExactDecimal(0));
        const base = r.charges.filter((x) => !x.isOverage).reduce((s, x) => s.plus(x.amount), new ExactDecimal(0));
        expect(formatDecimal(base)).toBe(formatDecimal(ExactDecimal.min(used, c)));
        expect(r.commitmentUtilized).toBe(formatDecimal(base));
        for (const line of input) {
          const q = r.charges.filter((x) => x.sourceLineId === line.id).reduce((s, x) => s.plus(x.quantity), new ExactDecimal(0));
          expect(q.minus(line.quantity).abs().lte('1e-19')).toBe(true);
        }
        const overage = new ExactDecimal(r.overageAmount);
        const exact = ExactDecimal.max(used.minus(c), 0).times(f);
        expect(overage.minus(exact).abs().lte(new ExactDecimal('0.005').times(input.length))).toBe(true);
        const expectedTrueUp = trueUp && used.lt(c) ? formatDecimal(new ExactDecimal(c).minus(used)) : null;
        expect(r.trueUp?.amount ?? null).toBe(expectedTrueUp);
      }),
      { seed: 20260301, numRuns: 400 },
    );
  });
});
