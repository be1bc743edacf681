import { describe, expect, it } from 'vitest';
import { ExactDecimal, formatDecimal } from '../money/index.ts';
import { period, type Period } from './period.ts';
import { fractionValue, periodShare, prorate, prorationCoefficient, type Fraction } from './proration.ts';

const t = (iso: string) => new Date(iso);
const p = (start: string, end: string) => period(t(start), t(end));
const money = (amount: string, share: Fraction, places = 2) => formatDecimal(prorate(new ExactDecimal(amount), share, places));
const ratio = (share: Fraction) => `${share.numerator.toFixed()}/${share.denominator.toFixed()}`;

const april = p('2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z'); // 30 days
const january = p('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'); // 31 days

describe('prorationCoefficient: FlexPrice’s (end − 1 s − at) ÷ (end − 1 s − start)', () => {
  it('calendar MONTHLY $30 started Apr 16: 15 of 30 days (less a second) → $15.00', () => {
    const c = prorationCoefficient(april, t('2025-04-16T00:00:00Z'));
    expect(ratio(c)).toBe('1295999000/2591999000'); // milliseconds: (15 d − 1 s) / (30 d − 1 s)
    expect(formatDecimal(fractionValue(c))).toBe('0.4999998070986910103');
    expect(money('30', c)).toBe('15');
  });

  it('$30 → $60 switched halfway through a 30-day period: credit 15.00, charge 30.00, net 15.00', () => {
    const c = prorationCoefficient(april, t('2025-04-16T00:00:00Z'));
    const credit = prorate(new ExactDecimal(30), c, 2);
    const charge = prorate(new ExactDecimal(60), c, 2);
    expect([formatDecimal(credit), formatDecimal(charge), formatDecimal(charge.minus(credit))]).toEqual(['15', '30', '15']);
  });

  it.each<[string, string]>([
    // [at, coefficient]
    ['2025-04-01T00:00:00Z', '1'], // at the start: the whole period
    ['2025-04-30T23:59:59Z', '0'], // in the last second: nothing
    ['2025-05-01T00:00:00Z', '0'], // at or after the end: never negative
    ['2025-04-08T12:00:00Z', '0.74999990354934550515'], // 22.5 of 30 days, less a second each
  ])('at %s: %s', (at, coefficient) => {
    const c = prorationCoefficient(april, t(at));
    expect(formatDecimal(fractionValue(c))).toBe(coefficient);
  });

  it('rounds once to the currency: $22.4999971… is $22.50 for 22.5 days of a $30 month, ¥ to whole yen', () => {
    const c = prorationCoefficient(april, t('2025-04-08T12:00:00Z'));
    expect(money('30', c)).toBe('22.5');
    expect(money('1000', c, 0)).toBe('750');
  });

  it('refuses a period of one second or less', () => {
    expect(() => prorationCoefficient(p('2025-04-01T00:00:00Z', '2025-04-01T00:00:01Z'), t('2025-04-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('periodShare: the time-ratio rule, active time ÷ period length', () => {
  it.each<[string, Period, string, string]>([
    // [case, active part, share, share of $31]
    ['active Jan 10 → Feb 1 of January: 22/31', p('2025-01-10T00:00:00Z', '2025-02-01T00:00:00Z'), '1900800000/2678400000', '22'],
    ['active the whole month', january, '2678400000/2678400000', '31'],
    ['active from Dec 15 to Jan 11: only Jan 1 → 11 counts', p('2024-12-15T00:00:00Z', '2025-01-11T00:00:00Z'), '864000000/2678400000', '10'],
    ['active in February only: nothing', p('2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z'), '0/2678400000', '0'],
    ['active Jan 16 12:00 → Feb 1: 15.5 of 31 days', p('2025-01-16T12:00:00Z', '2025-02-01T00:00:00Z'), '1339200000/2678400000', '15.5'],
  ])('%s', (_case, active, share, ofThirtyOne) => {
    const s = periodShare(january, active);
    expect(ratio(s)).toBe(share);
    expect(money('31', s)).toBe(ofThirtyOne);
  });

  it('keeps a share that does not terminate exact until the one rounding: $100 for 10 of 31 days', () => {
    const s = periodShare(january, p('2025-01-01T00:00:00Z', '2025-01-11T00:00:00Z'));
    expect(money('100', s)).toBe('32.26'); // 32.2580645…
    expect(formatDecimal(fractionValue(s, 4))).toBe('0.3226');
  });

  it('gives nothing of an empty period', () => {
    expect(money('100', periodShare(p('2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'), january))).toBe('0');
  });
});
