import { dateTimeFormat } from '../lib/intl';

/**
 * Currencies Sẻ Chia takes, with their minor-unit exponent (ISO 4217) and Stripe's rule.
 * VND and JPY have no minor unit: 500 000 đồng is 500000 in our rows AND in Stripe's API.
 */
export const CURRENCIES = {
  VND: { exponent: 0, stripeZeroDecimal: true },
  JPY: { exponent: 0, stripeZeroDecimal: true },
  USD: { exponent: 2, stripeZeroDecimal: false },
  EUR: { exponent: 2, stripeZeroDecimal: false },
} as const;

export type Currency = keyof typeof CURRENCIES;
export const CURRENCY_CODES = Object.keys(CURRENCIES) as Currency[];

export const isCurrency = (v: unknown): v is Currency => typeof v === 'string' && v in CURRENCIES;

export function exponentOf(currency: string): number {
  const c = CURRENCIES[currency.toUpperCase() as Currency];
  if (!c) throw new Error(`unsupported currency ${currency}`);
  return c.exponent;
}

/**
 * Our minor units → Stripe's integer amount. For the four currencies we take these coincide
 * (Stripe's zero-decimal list matches ISO for VND and JPY); the function exists so that the one
 * place to change is here, and it refuses a currency it does not know instead of guessing ×100.
 */
export function toStripeAmount(amountMinor: bigint, currency: string): number {
  const c = CURRENCIES[currency.toUpperCase() as Currency];
  if (!c) throw new Error(`unsupported currency ${currency}`);
  const stripeExponent = c.stripeZeroDecimal ? 0 : 2;
  if (stripeExponent !== c.exponent) throw new Error(`no conversion rule for ${currency}`);
  if (amountMinor > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('amount too large');
  return Number(amountMinor);
}

/** Stripe's integer amount (in `currency`, lower case as Stripe sends it) → our minor units. */
export function fromStripeAmount(amount: number | null | undefined, currency: string): bigint {
  if (amount === null || amount === undefined || !Number.isSafeInteger(amount)) throw new Error('Stripe amount is not an integer');
  const c = CURRENCIES[currency.toUpperCase() as Currency];
  if (c) {
    const stripeExponent = c.stripeZeroDecimal ? 0 : 2;
    if (stripeExponent !== c.exponent) throw new Error(`no conversion rule for ${currency}`);
  }
  // A currency we do not offer (e.g. a settlement currency) is taken as Stripe states it.
  return BigInt(amount);
}

/**
 * Parses an amount typed by a person into minor units, without floating point:
 * "500.000" or "500 000" đồng (dots and spaces group thousands in Vietnamese), "25.50" USD,
 * "1,000.50" USD. Returns null when it is not an amount.
 */
export function parseAmount(input: string, currency: string): bigint | null {
  const exp = exponentOf(currency);
  let s = input.trim().replace(/\s|\u00a0/g, '').replace(/(đ|₫|vnd|usd|jpy|eur|\$|€|¥)$/i, '').replace(/^(\$|€|¥)/, '');
  if (!s) return null;
  if (exp === 0) {
    // Thousands separators only; a decimal part is not an amount in VND/JPY.
    if (!/^\d{1,3}([.,]\d{3})*$|^\d+$/.test(s)) return null;
    return BigInt(s.replace(/[.,]/g, ''));
  }
  // Two-decimal currencies: accept "1,000.50", "1000.5", "1000", "1.000,50" (European).
  let intPart: string;
  let frac = '';
  const m1 = /^(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$/.exec(s);
  const m2 = /^(\d{1,3}(?:\.\d{3})*|\d+)(?:,(\d{1,2}))?$/.exec(s);
  if (m1) {
    intPart = m1[1]!.replace(/,/g, '');
    frac = m1[2] ?? '';
  } else if (m2) {
    intPart = m2[1]!.replace(/\./g, '');
    frac = m2[2] ?? '';
  } else return null;
  s = intPart + frac.padEnd(exp, '0');
  return BigInt(s);
}

/** Minor units as a plain decimal string in major units ("25.50", "500000"), for forms and CSV. */
export function formatMinorPlain(amountMinor: bigint, currency: string): string {
  const exp = exponentOf(currency);
  if (exp === 0) return amountMinor.toString();
  const neg = amountMinor < 0n;
  const abs = neg ? -amountMinor : amountMinor;
  const scale = 10n ** BigInt(exp);
  return `${neg ? '-' : ''}${abs / scale}.${(abs % scale).toString().padStart(exp, '0')}`;
}

/** JSON carries amounts as numbers when safe; this refuses anything else. */
export function toJsonAmount(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error('amount out of JSON-safe range');
  return Number(v);
}

/** The calendar year of an instant in Vietnam (receipts are numbered per local year). */
export function vietnamYear(d: Date): number {
  return Number(dateTimeFormat('en-GB', { year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(d));
}

/** The first instant of a calendar year in Vietnam, as a timestamp string Postgres and Date both read. */
export function vietnamYearStart(year: number): string {
  return `${String(year).padStart(4, '0')}-01-01T00:00:00+07:00`;
}

/** YYYY-MM-DD in Vietnam. */
export function vietnamDate(d: Date): string {
  return dateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' }).format(d);
}
