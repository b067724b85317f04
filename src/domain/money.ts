/**
 * Conversion of amounts to euro, for filters and comparisons across currencies (a Danish
 * buyer's "mio. kr." against a Swedish enterprise's turnover in SEK).
 *
 * The rates are fixed, rounded approximations (units of currency per 1 EUR), kept here by hand,
 * not an official fixing. They are good enough to filter and rank by size; they are not for
 * accounting. A currency not in the table converts to `undefined` and is left out of value
 * filters rather than guessed.
 */
const UNITS_PER_EUR: Readonly<Record<string, number>> = {
  EUR: 1,
  DKK: 7.47,
  SEK: 10.8,
  NOK: 11.7,
  GBP: 0.86,
  ISK: 145,
  CHF: 0.93,
  PLN: 4.22,
  CZK: 24.3,
  HUF: 385,
  RON: 5.08,
  BGN: 1.956,
  USD: 1.17,
};

export function toEur(amount: number, currency: string): number | undefined {
  const rate = UNITS_PER_EUR[currency.toUpperCase()];
  return rate === undefined ? undefined : amount / rate;
}

export function knownCurrencies(): string[] {
  return Object.keys(UNITS_PER_EUR);
}
