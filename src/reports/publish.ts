/**
 * From a report model to the published report every renderer takes: validated, totals derived,
 * small counts suppressed. Suppressed numbers are not carried over, so no renderer can leak one.
 */
import {
  allIndicators,
  percentBasisPoints,
  ReportModelError,
  sumMoney,
  validateReportModel,
  type ActivityInfo,
  type Category,
  type ChartSpec,
  type Indicator,
  type MoneyTable,
  type ReportMeta,
  type ReportModel,
  type ResultKind,
  type Text,
} from './model';
import { isSmallCount, suppressLine, suppressTable, type Mark } from './suppression';

/** A published number, or the reason it is hidden: a small count ("<5") or a complement ("*"). */
export type Cell<T> = { kind: 'value'; value: T } | { kind: 'small' } | { kind: 'complementary' };

export const shown = <T>(value: T): Cell<T> => ({ kind: 'value', value });

function cellOf<T>(value: T, mark: Mark): Cell<T> {
  return mark === null ? { kind: 'value', value } : { kind: mark };
}

interface PublishedCommon {
  id: string;
  label: Text;
  definition: Text;
  ascending: boolean;
  /** value / target in basis points, for indicators where more is better and a target is set. */
  achieved?: Cell<number>;
}

export type PublishedIndicator =
  | (PublishedCommon & { unit: 'count'; people: boolean; value: Cell<number>; baseline?: { year: number; value: Cell<number> }; target?: number })
  | (PublishedCommon & { unit: 'money'; currency: string; value: Cell<bigint>; baseline?: { year: number; value: Cell<bigint> }; target?: bigint })
  | (PublishedCommon & { unit: 'percent'; value: Cell<number>; baseline?: { year: number; value: Cell<number> }; target?: number })
  | (PublishedCommon & { unit: 'days'; value: Cell<number>; baseline?: { year: number; value: Cell<number> }; target?: number });

export interface PublishedGroup {
  id: string;
  title: Text;
  description?: Text;
  resultKind: ResultKind;
  indicators: PublishedIndicator[];
}

export interface PublishedBreakdown {
  id: string;
  title: Text;
  description?: Text;
  indicatorId?: string;
  rowsLabel: Text;
  columnsLabel: Text;
  rows: Category[];
  columns: Category[];
  /** One column: a one-way breakdown without row totals. */
  oneWay: boolean;
  /** Too few people to publish any part safely: everything but the grand total is "*". */
  withheld: boolean;
  cells: Cell<number>[][];
  /** Empty for a one-way breakdown. */
  rowTotals: Cell<number>[];
  columnTotals: Cell<number>[];
  grandTotal: Cell<number>;
}

export interface PublishedMoneyTable extends MoneyTable {
  totalSources: bigint;
  totalUses: bigint;
}

declare const publishedBrand: unique symbol;

export interface PublishedReport {
  /** Only publishReport() makes one: renderers cannot be handed raw counts. */
  readonly [publishedBrand]: true;
  meta: ReportMeta;
  groups: PublishedGroup[];
  breakdowns: PublishedBreakdown[];
  moneyTables: PublishedMoneyTable[];
  charts: ChartSpec[];
  activity?: ActivityInfo;
  /** Whether any "<5" or "*" appears, so the outputs explain them. */
  hidden: { small: boolean; complementary: boolean };
}


/**
 * Validates the model (throws ReportModelError listing every problem), derives totals and
 * suppresses small counts of people in breakdowns and indicators, with complementary
 * suppression across tables, `sumOf` relations and the indicator a breakdown belongs to.
 */
export function publishReport(model: ReportModel): PublishedReport {
  const issues = validateReportModel(model);
  if (issues.length) throw new ReportModelError(issues);

  const indicators = new Map(allIndicators(model).map((i) => [i.id, i]));
  const marks = new Map<string, Mark>();
  for (const ind of indicators.values()) {
    if (ind.unit === 'count' && ind.people && isSmallCount(ind.value)) marks.set(ind.id, 'small');
  }
  const hiddenIndicator = (id: string) => (marks.get(id) ?? null) !== null;
  const hide = (id: string, mark: Mark): boolean => {
    if (!mark || hiddenIndicator(id)) return false;
    marks.set(id, mark);
    return true;
  };

  const relations = [...indicators.values()].flatMap((i) => (i.unit === 'count' && i.people && i.sumOf ? [{ total: i, parts: i.sumOf }] : []));
  const linked = model.breakdowns.filter((b) => b.indicatorId !== undefined);

  // Hiding a number in one place can force hiding it in another: iterate to a fixed point.
  for (let changed = true, rounds = 0; changed; rounds++) {
    if (rounds > 100) throw new Error('publishReport: suppression did not settle');
    changed = false;
    for (const r of relations) {
      const parts = r.parts.map((id) => indicators.get(id)!.value as number);
      const line = suppressLine(parts, r.total.value, { parts: r.parts.map(hiddenIndicator), total: hiddenIndicator(r.total.id) });
      r.parts.forEach((id, k) => (changed = hide(id, line.parts[k]!) || changed));
      changed = hide(r.total.id, line.total) || changed;
    }
    for (const b of linked) {
      const s = suppressTable(b.counts, { grandTotal: hiddenIndicator(b.indicatorId!) });
      changed = hide(b.indicatorId!, s.grandTotal) || changed;
    }
  }

  let small = false;
  let complementary = false;
  const note = <T>(c: Cell<T>): Cell<T> => {
    if (c.kind === 'small') small = true;
    if (c.kind === 'complementary') complementary = true;
    return c;
  };

  const publishIndicator = (ind: Indicator): PublishedIndicator => {
    const ascending = ind.ascending ?? true;
    const common = { id: ind.id, label: ind.label, definition: ind.definition, ascending };
    const achievedOf = (value: Cell<unknown>, v: number | bigint, target: number | bigint | undefined): Cell<number> | undefined => {
      if (!ascending || target === undefined || BigInt(target) <= 0n) return undefined;
      // A ratio to a published target would give the hidden value back.
      if (value.kind !== 'value') return note({ kind: 'complementary' });
      return shown(percentBasisPoints(v, target));
    };
    switch (ind.unit) {
      case 'count': {
        const value = note(cellOf(ind.value, marks.get(ind.id) ?? null));
        const baseline = ind.baseline && {
          year: ind.baseline.year,
          value: note(cellOf(ind.baseline.value, ind.people && isSmallCount(ind.baseline.value) ? 'small' : null)),
        };
        return { ...common, unit: 'count', people: ind.people, value, baseline, target: ind.target, achieved: achievedOf(value, ind.value, ind.target) };
      }
      case 'money': {
        const value = shown(ind.value);
        const baseline = ind.baseline && { year: ind.baseline.year, value: shown(ind.baseline.value) };
        return { ...common, unit: 'money', currency: ind.currency, value, baseline, target: ind.target, achieved: achievedOf(value, ind.value, ind.target) };
      }
      case 'percent': {
        const c = ind.counts;
        // A percentage of few people reveals them (3 of 7): hide it, as a complement of the counts.
        const reveals = c?.people && (isSmallCount(c.numerator) || isSmallCount(c.denominator) || (c.numerator <= c.denominator && isSmallCount(c.denominator - c.numerator)));
        const value = note(cellOf(ind.value, reveals ? 'complementary' : null));
        const baseline = ind.baseline && { year: ind.baseline.year, value: shown(ind.baseline.value) };
        return { ...common, unit: 'percent', value, baseline, target: ind.target, achieved: achievedOf(value, ind.value, ind.target) };
      }
      case 'days': {
        const value = shown(ind.value);
        const baseline = ind.baseline && { year: ind.baseline.year, value: shown(ind.baseline.value) };
        const achieved = ascending && ind.target !== undefined && ind.target > 0 ? shown(Math.round((ind.value * 10000) / ind.target)) : undefined;
        return { ...common, unit: 'days', value, baseline, target: ind.target, achieved };
      }
    }
  };

  const groups: PublishedGroup[] = model.groups.map((g) => ({
    id: g.id,
    title: g.title,
    description: g.description,
    resultKind: g.resultKind,
    indicators: g.indicators.map(publishIndicator),
  }));

  const breakdowns: PublishedBreakdown[] = model.breakdowns.map((b) => {
    const s = suppressTable(b.counts, { grandTotal: b.indicatorId !== undefined && hiddenIndicator(b.indicatorId) });
    const oneWay = b.columns.length === 1;
    const rowSums = b.counts.map((r) => r.reduce((a, v) => a + v, 0));
    const colSums = b.columns.map((_, j) => b.counts.reduce((a, r) => a + r[j]!, 0));
    const grand = rowSums.reduce((a, v) => a + v, 0);
    return {
      id: b.id,
      title: b.title,
      description: b.description,
      indicatorId: b.indicatorId,
      rowsLabel: b.rowsLabel,
      columnsLabel: b.columnsLabel,
      rows: b.rows,
      columns: b.columns,
      oneWay,
      withheld: !!s.withheld,
      cells: b.counts.map((r, i) => r.map((v, j) => note(cellOf(v, s.cells[i]![j]!)))),
      rowTotals: oneWay ? [] : rowSums.map((v, i) => note(cellOf(v, s.rowTotals[i]!))),
      columnTotals: colSums.map((v, j) => note(cellOf(v, s.columnTotals[j]!))),
      grandTotal: note(cellOf(grand, s.grandTotal)),
    };
  });

  const moneyTables = model.moneyTables.map((m) => ({ ...m, totalSources: sumMoney(m.sources), totalUses: sumMoney(m.uses) }));

  return {
    meta: model.meta,
    groups,
    breakdowns,
    moneyTables,
    charts: model.charts,
    activity: model.activity,
    hidden: { small, complementary },
  } as PublishedReport;
}

export function publishedIndicators(report: PublishedReport): PublishedIndicator[] {
  return report.groups.flatMap((g) => g.indicators);
}
