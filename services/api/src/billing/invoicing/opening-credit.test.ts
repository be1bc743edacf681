import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { netOpeningCredit } from './opening-credit.ts';

describe('netOpeningCredit: a plan change credit lowers the opening invoice’s fixed lines in order', () => {
  it.each([
    // $60 fixed less the $15 unused of a $30 plan left halfway → $45
    { amounts: ['60'], credit: '15', after: ['45'], taken: ['15'], applied: '15', unapplied: '0' },
    // $20 then $10, credit $25: the first line to 0, the second gives $5
    { amounts: ['20', '10'], credit: '25', after: ['0', '5'], taken: ['20', '5'], applied: '25', unapplied: '0' },
    // $10 against $25: capped at the lines; $15 is not carried
    { amounts: ['10'], credit: '25', after: ['0'], taken: ['10'], applied: '10', unapplied: '15' },
    // a 0 line is passed over
    { amounts: ['0', '12.34'], credit: '0.34', after: ['0', '12'], taken: ['0', '0.34'], applied: '0.34', unapplied: '0' },
    // no credit, no change
    { amounts: ['60'], credit: '0', after: ['60'], taken: ['0'], applied: '0', unapplied: '0' },
    // no lines: all of it unapplied
    { amounts: [], credit: '15', after: [], taken: [], applied: '0', unapplied: '15' },
  ])('$amounts less $credit → $after', ({ amounts, credit, after, taken, applied, unapplied }) => {
    expect(netOpeningCredit(amounts, credit)).toEqual({ amounts: after, taken, applied, unapplied });
  });

  it('never lowers a line below 0, and what it takes plus what is left is the credit', () => {
    const cents = fc.integer({ min: 0, max: 100_000 }).map((c) => formatDecimal(new ExactDecimal(c).div(100)));
    fc.assert(
      fc.property(fc.array(cents, { maxLength: 5 }), cents, (amounts, credit) => {
        const r = netOpeningCredit(amounts, credit);
        expect(r.amounts.every((a) => new ExactDecimal(a).gte(0))).toBe(true);
        const before = amounts.reduce((s, a) => s.plus(a), zero);
        const afterSum = r.amounts.reduce((s, a) => s.plus(a), zero);
        expect(formatDecimal(before.minus(afterSum))).toBe(r.applied);
        expect(formatDecimal(new ExactDecimal(r.applied).plus(r.unapplied))).toBe(formatDecimal(new ExactDecimal(credit)));
      }),
    );
  });
});
