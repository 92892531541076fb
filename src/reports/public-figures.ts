/**
 * A centre's year so far in a few numbers, for its public page: the funder report's own
 * indicators (same definitions, same records), organisation scope, from 1 January (Vietnam time)
 * to today. A count of people (or of packages handed to children) from 1 to 4 is not published;
 * it reads "fewer than 5".
 */
import type { Db } from '../db/types';
import { vietnamDate, vietnamYear } from '../giving/money';
import { indicatorById, type IndicatorValue } from './indicators';
import type { Text } from './model';
import { resolveScope, type Period } from './scope';
import { isSmallCount } from './suppression';

/**
 * Packages handed over are counted as children here too: a child gets one package of a drive, so
 * a small number of packages is a small number of children.
 */
const COUNTS_CHILDREN = new Set(['packages-delivered']);

/** Which indicators the public page shows, in this order. */
export const PUBLIC_FIGURE_IDS = ['beneficiaries-reached', 'packages-delivered', 'in-kind-value-distributed', 'donors-giving'] as const;

export interface PublicFigure {
  id: string;
  label: Text;
  definition: Text;
  /** Null when it is a small count of people, withheld. */
  value: IndicatorValue | null;
}

export interface PublicFigures {
  period: Period;
  baseCurrency: string;
  figures: PublicFigure[];
}

/** The figures as the records stand now (no cache: see `cachedCentreFigures`). */
export async function centreFigures(db: Db, orgId: string, today: Date): Promise<PublicFigures> {
  const scope = await resolveScope(db, orgId, { kind: 'organisation' });
  const period = { from: `${vietnamYear(today)}-01-01`, to: vietnamDate(today) };
  const figures: PublicFigure[] = [];
  for (const id of PUBLIC_FIGURE_IDS) {
    const def = indicatorById(id)!;
    const value = await def.compute(db, scope, period);
    const withheld = (def.people === true || COUNTS_CHILDREN.has(id)) && value.unit === 'count' && isSmallCount(value.value);
    figures.push({ id, label: def.label, definition: def.definition, value: withheld ? null : value });
  }
  return { period, baseCurrency: scope.baseCurrency, figures };
}

/**
 * The figures, kept for a few minutes per organisation and day in this process (a Worker isolate
 * or the Node server): a public page may be opened often, and the year's figures read a year of
 * records. A visitor may see them up to `ttlMs` old.
 */
export function figuresCache(opts: { ttlMs: number; max: number }) {
  // Values only, never a pending promise: in a Worker, a promise fed by one request's I/O must
  // not be awaited by another. Two first visitors may both compute; the later one is kept.
  const kept = new Map<string, { at: number; value: PublicFigures }>();
  return async (db: Db, orgId: string, today: Date): Promise<PublicFigures> => {
    const key = `${orgId}:${vietnamDate(today)}`;
    const hit = kept.get(key);
    const age = hit ? today.getTime() - hit.at : -1;
    if (hit && age >= 0 && age < opts.ttlMs) return hit.value;
    const value = await centreFigures(db, orgId, today);
    kept.delete(key);
    if (kept.size >= opts.max) kept.delete(kept.keys().next().value!);
    kept.set(key, { at: today.getTime(), value });
    return value;
  };
}

export const cachedCentreFigures = figuresCache({ ttlMs: 10 * 60_000, max: 1000 });
