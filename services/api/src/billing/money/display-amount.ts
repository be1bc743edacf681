/**
 * Symbols for display amounts. Tally keeps a deliberately small table; any other currency is shown
 * as its upper-case code and a space (`CHF 12.5`).
 */
const currencySymbols: Readonly<Record<string, string>> = { usd: '$', eur: '€', gbp: '£', jpy: '¥', inr: '₹' };

/** The currency symbol (or `CODE `) followed by the amount as given: `displayAmount('usd', '12.5')` → `$12.5`. */
export function displayAmount(currency: string, amount: string): string {
  const c = currency.toLowerCase();
  return `${currencySymbols[c] ?? `${c.toUpperCase()} `}${amount}`;
}
