/**
 * Minimum turnover from a selection criterion (BT-809 type, BT-750 description). eForms has no
 * structured field for the amount, so it is read from the text, and only when the text says
 * turnover in one of the languages we serve and the number comes with a currency: "minimum
 * annual turnover of DKK 5 mio.", "en årlig omsætning på mindst 10.000.000 kr.",
 * "omsättning om minst 2 miljoner kronor". Percentages and years are never taken.
 */

const TURNOVER_WORDS =
  /turnover|omsætning|omsaetning|omsättning|omsetning|umsatz|chiffre d.affaires|omzet|fatturato|volumen de negocios|volume de negócios|liikevaihto/i;

/** Selection criterion types that are about turnover (`slc-stand-tover`, older `ef-stand` texts). */
const TURNOVER_CODE = /tover|turnover/i;

const CURRENCY_CODES = "DKK|SEK|NOK|ISK|EUR|GBP|CHF|PLN|CZK|HUF|RON|BGN|USD";
const CURRENCY = `(?<cur>${CURRENCY_CODES}|€|£|kr\\.?|kroner|kronor|kronur|euro|euros)` as const;
const NUMBER = "(?<num>\\d{1,3}(?:[ .,\\u00a0\\u202f]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?)";
const MULTIPLIER =
  "(?<mult>mia\\.?|mrd\\.?|milliard(?:er)?|billion|mio\\.?|mill\\.?|million(?:er|s)?|miljoner|millioner|mn|tkr\\.?|t\\.kr\\.?|tusind|tusen|thousand|k)";

const AMOUNT_AFTER = new RegExp(
  `${CURRENCY.replace("cur", "cur1")}\\s*${NUMBER}\\s*${MULTIPLIER.replace("mult", "mult1")}?(?![\\d%])`,
  "iu",
);
const AMOUNT_BEFORE = new RegExp(`${NUMBER}\\s*${MULTIPLIER}?\\s*${CURRENCY}(?![\\p{L}])`, "iu");

export interface Turnover {
  amount: number;
  /** ISO 4217, when the text names it ("kr" is taken as the buyer's currency). */
  currency?: string;
}

/** "10.000.000" → 10000000, "2,5" → 2.5, "1 234 567,89" → 1234567.89. */
export function parseLocaleNumber(raw: string): number | undefined {
  const s = raw.replace(/[\s\u00a0\u202f]/g, "");
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  let normalised: string;
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? "." : ",";
    const thousands = decimal === "." ? "," : ".";
    normalised = s.split(thousands).join("").replace(decimal, ".");
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? "." : ",";
    const parts = s.split(sep);
    const tail = parts[parts.length - 1] ?? "";
    normalised = parts.length > 2 || tail.length === 3 ? parts.join("") : parts.join(".");
  } else normalised = s;
  const n = Number(normalised);
  return Number.isFinite(n) ? n : undefined;
}

function multiplierOf(raw: string | undefined): number {
  const m = raw?.toLowerCase().replace(/\.$/, "");
  if (!m) return 1;
  if (/^(mia|mrd|milliard|milliarder|billion)$/.test(m)) return 1e9;
  if (/^(mio|mill|million|millions|millioner|miljoner|mn)$/.test(m)) return 1e6;
  if (/^(tkr|t\.kr|tusind|tusen|thousand|k)$/.test(m)) return 1e3;
  return 1;
}

function currencyOf(raw: string | undefined, localCurrency: string | undefined): string | undefined {
  const c = raw?.toLowerCase().replace(/\.$/, "");
  if (!c) return undefined;
  if (c === "€" || c === "euro" || c === "euros") return "EUR";
  if (c === "£") return "GBP";
  if (c === "kr" || c === "kroner" || c === "kronor" || c === "kronur") return localCurrency;
  return c.toUpperCase();
}

/**
 * The minimum turnover a criterion asks for, or undefined when it does not state one.
 * `localCurrency` resolves "kr" (the buyer's country's currency).
 */
export function turnoverFromCriterion(
  typeCode: string | undefined,
  descriptions: string[],
  localCurrency: string | undefined,
): Turnover | undefined {
  const aboutTurnover = (typeCode !== undefined && TURNOVER_CODE.test(typeCode)) || false;
  let best: Turnover | undefined;
  for (const text of descriptions) {
    if (!aboutTurnover && !TURNOVER_WORDS.test(text)) continue;
    for (const sentence of text.split(/(?<=[.;!?])\s+(?=\p{Lu})|\n/u)) {
      if (!aboutTurnover && !TURNOVER_WORDS.test(sentence)) continue;
      const found = amountIn(sentence, localCurrency);
      if (found && (!best || found.amount > best.amount)) best = found;
    }
  }
  return best;
}

function amountIn(sentence: string, localCurrency: string | undefined): Turnover | undefined {
  const candidates: Turnover[] = [];
  const after = AMOUNT_AFTER.exec(sentence);
  if (after?.groups) {
    const n = parseLocaleNumber(after.groups.num ?? "");
    if (n !== undefined)
      candidates.push({
        amount: n * multiplierOf(after.groups.mult1),
        currency: currencyOf(after.groups.cur1, localCurrency),
      });
  }
  const before = AMOUNT_BEFORE.exec(sentence);
  if (before?.groups) {
    const n = parseLocaleNumber(before.groups.num ?? "");
    if (n !== undefined)
      candidates.push({
        amount: n * multiplierOf(before.groups.mult),
        currency: currencyOf(before.groups.cur, localCurrency),
      });
  }
  // A turnover below 1 000 is a ratio or a misread, not a requirement.
  const valid = candidates.filter((c) => c.amount >= 1000 && Number.isFinite(c.amount));
  valid.sort((a, b) => b.amount - a.amount);
  const top = valid[0];
  if (!top) return undefined;
  return top.currency
    ? { amount: Math.round(top.amount), currency: top.currency }
    : { amount: Math.round(top.amount) };
}
