/**
 * The JSON rendering of a published report. Both languages are included. A hidden number is
 * `{ "value": "<5", "suppressed": true, "reason": "small-count" }` (or "*" and "complementary"):
 * the number itself is not in the published report, so it cannot be here.
 * Money is an integer in minor units (a JSON number, or a decimal string beyond 2^53) with its
 * ISO 4217 currency; percentages are basis points (10000 = 100%).
 */
import type { Cell, PublishedIndicator, PublishedReport } from './publish';
import { COMPLEMENT_MARK, L, SMALL_MARK } from './text';

export const REPORT_JSON_SCHEMA = 'https://sechia.example/schemas/report-v1.json';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

const money = (v: bigint): number | string => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());

function cell<T extends number | bigint>(c: Cell<T>): Json {
  if (c.kind === 'small') return { value: SMALL_MARK, suppressed: true, reason: 'small-count' };
  if (c.kind === 'complementary') return { value: COMPLEMENT_MARK, suppressed: true, reason: 'complementary' };
  return { value: typeof c.value === 'bigint' ? money(c.value) : c.value, suppressed: false };
}

function indicator(ind: PublishedIndicator): Json {
  const scalar = (v: number | bigint | undefined) => (v === undefined ? undefined : typeof v === 'bigint' ? money(v) : v);
  return {
    id: ind.id,
    label: { ...ind.label },
    definition: { ...ind.definition },
    unit: ind.unit,
    currency: ind.unit === 'money' ? ind.currency : undefined,
    people: ind.unit === 'count' ? ind.people : undefined,
    ascending: ind.ascending,
    value: cell<number | bigint>(ind.value),
    baseline: ind.baseline ? { year: ind.baseline.year, value: cell<number | bigint>(ind.baseline.value) } : undefined,
    target: scalar(ind.target),
    achievedBasisPoints: ind.achieved ? cell(ind.achieved) : undefined,
  };
}

export function reportJson(report: PublishedReport): Json {
  const { meta } = report;
  return {
    $schema: REPORT_JSON_SCHEMA,
    meta: {
      title: { ...meta.title },
      organisation: { ...meta.orgName },
      scope: { kind: meta.scope.kind, label: { ...meta.scope.label } },
      period: { from: meta.period.from, to: meta.period.to },
      language: meta.language,
      generatedAt: meta.generatedAt,
      version: meta.version,
      summary: meta.summary ? { ...meta.summary } : undefined,
    },
    suppression: {
      threshold: 5,
      rule: { ...L.privacy },
      markers: {
        [SMALL_MARK]: { ...L.smallLegend },
        [COMPLEMENT_MARK]: { ...L.complementLegend },
      },
    },
    indicatorGroups: report.groups.map((g) => ({
      id: g.id,
      title: { ...g.title },
      description: g.description ? { ...g.description } : undefined,
      resultKind: g.resultKind,
      indicators: g.indicators.map(indicator),
    })),
    breakdowns: report.breakdowns.map((b) => ({
      id: b.id,
      title: { ...b.title },
      description: b.description ? { ...b.description } : undefined,
      indicatorId: b.indicatorId,
      withheld: b.withheld,
      rowsLabel: { ...b.rowsLabel },
      columnsLabel: { ...b.columnsLabel },
      rows: b.rows.map((r) => ({ key: r.key, label: { ...r.label } })),
      columns: b.columns.map((c) => ({ key: c.key, label: { ...c.label } })),
      cells: b.cells.map((r) => r.map((c) => cell(c))),
      rowTotals: b.oneWay ? undefined : b.rowTotals.map((c) => cell(c)),
      columnTotals: b.columnTotals.map((c) => cell(c)),
      grandTotal: cell(b.grandTotal),
    })),
    moneyTables: report.moneyTables.map((m) => {
      const line = (l: (typeof m.sources)[number]) => ({ key: l.key, label: { ...l.label }, amountMinor: money(l.amount) });
      return {
        id: m.id,
        title: { ...m.title },
        description: m.description ? { ...m.description } : undefined,
        currency: m.currency,
        openingBalanceMinor: money(m.openingBalance),
        sources: m.sources.map(line),
        totalSourcesMinor: money(m.totalSources),
        uses: m.uses.map(line),
        totalUsesMinor: money(m.totalUses),
        closingBalanceMinor: money(m.closingBalance),
      };
    }),
  };
}

export function renderReportJson(report: PublishedReport): string {
  return `${JSON.stringify(reportJson(report), null, 2)}\n`;
}
