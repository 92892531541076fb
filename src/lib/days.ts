/**
 * The calendar days the app takes from a query string or a form: YYYY-MM-DD from 1900-01-01 to
 * 2999-12-31. Outside that range, turning a day into a timestamp (Vietnam time, or the next
 * day for an inclusive end) gives a year Postgres refuses (year 0, or 10000 written
 * "+010000"), and the request would end in a server error.
 */
export const FIRST_DAY = '1900-01-01';
export const LAST_DAY = '2999-12-31';

export function isDay(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s) || s < FIRST_DAY || s > LAST_DAY) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
