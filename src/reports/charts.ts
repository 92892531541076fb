/**
 * The data of a chart, computed once from the published report and drawn by svg.ts (HTML) and
 * pdf.ts alike. A hidden number gets a bar of a fixed nominal length, whatever it was, so the
 * drawing cannot reveal it; the scale comes from published numbers only.
 */
import { formatMoney, type Locale } from '../ui/i18n';
import type { ChartSpec } from './model';
import { publishedIndicators, type Cell, type PublishedIndicator, type PublishedReport } from './publish';
import { formatAchieved, formatCount, formatIndicatorCell, formatQuantity, tr } from './text';

/** Length of the bar of a hidden number, as a share of the full length. */
export const HIDDEN_BAR_FRACTION = 0.12;

export interface ChartBar {
  label: string;
  /** The number as printed next to the bar ("45 / 50 · 90%", "<5", "12.000.000 ₫"). */
  display: string;
  /** 0..1 of the full length; for a hidden number, HIDDEN_BAR_FRACTION. */
  fraction: number;
  hidden: 'small' | 'complementary' | null;
}

export interface ChartData {
  id: string;
  kind: ChartSpec['kind'];
  title: string;
  description?: string;
  bars: ChartBar[];
}

function ratio(v: bigint, max: bigint): number {
  if (max <= 0n) return 0;
  return Number((v * 10000n) / max) / 10000;
}

function bars(items: { label: string; cell: Cell<bigint>; display: string }[]): ChartBar[] {
  const max = items.reduce((m, i) => (i.cell.kind === 'value' && i.cell.value > m ? i.cell.value : m), 0n);
  return items.map((i) =>
    i.cell.kind === 'value'
      ? { label: i.label, display: i.display, fraction: ratio(i.cell.value, max), hidden: null }
      : { label: i.label, display: i.display, fraction: HIDDEN_BAR_FRACTION, hidden: i.cell.kind },
  );
}

/** For the ratios only: numbers (days may have one decimal) in tenths, money as it is. */
const big = (c: Cell<number | bigint>): Cell<bigint> =>
  c.kind === 'value' ? { kind: 'value', value: typeof c.value === 'bigint' ? c.value : BigInt(Math.round(c.value * 10)) } : c;

export function chartData(report: PublishedReport, chart: ChartSpec, locale: Locale): ChartData {
  const base = { id: chart.id, kind: chart.kind, title: tr(locale, chart.title), description: chart.description && tr(locale, chart.description) };
  const indicators = new Map(publishedIndicators(report).map((i) => [i.id, i]));
  if (chart.kind === 'progress') {
    return {
      ...base,
      bars: chart.indicators.map((id) => {
        const ind = indicators.get(id)!;
        const value = formatIndicatorCell(ind, ind.value, locale);
        const target = formatQuantity(ind, ind.target!, locale);
        const achieved = ind.achieved ?? { kind: 'complementary' as const };
        const display = `${value} / ${target}${achieved.kind === 'value' ? ` · ${formatAchieved(achieved, locale)}` : ''}`;
        if (ind.value.kind !== 'value' || achieved.kind !== 'value') {
          return { label: tr(locale, ind.label), display, fraction: HIDDEN_BAR_FRACTION, hidden: ind.value.kind === 'small' ? 'small' : 'complementary' };
        }
        return { label: tr(locale, ind.label), display, fraction: Math.min(1, achieved.value / 10000), hidden: null };
      }),
    };
  }
  const s = chart.source;
  if ('breakdown' in s) {
    const b = report.breakdowns.find((x) => x.id === s.breakdown)!;
    const items =
      s.series === 'rowTotals'
        ? b.rows.map((r, i) => ({ label: tr(locale, r.label), cell: b.oneWay ? b.cells[i]![0]! : b.rowTotals[i]! }))
        : b.columns.map((c, j) => ({ label: tr(locale, c.label), cell: b.columnTotals[j]! }));
    return { ...base, bars: bars(items.map((i) => ({ label: i.label, cell: big(i.cell), display: formatCount(i.cell, locale) }))) };
  }
  if ('moneyTable' in s) {
    const m = report.moneyTables.find((x) => x.id === s.moneyTable)!;
    return {
      ...base,
      bars: bars(m[s.side].map((l) => ({ label: tr(locale, l.label), cell: { kind: 'value', value: l.amount }, display: formatMoney(l.amount, m.currency, locale) }))),
    };
  }
  const items = s.indicators.map((id) => indicators.get(id)!) as PublishedIndicator[];
  return {
    ...base,
    bars: bars(items.map((ind) => ({ label: tr(locale, ind.label), cell: big(ind.value), display: formatIndicatorCell(ind, ind.value, locale) }))),
  };
}

/** A sentence per bar, for screen readers and the text alternative of a chart. */
export function chartSummary(data: ChartData): string {
  return data.bars.map((b) => `${b.label}: ${b.display}`).join('; ');
}
