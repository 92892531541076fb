/**
 * CSV files of a published report, one per table (RFC 4180), written as every CSV of the app is
 * (src/donors/csv.ts: a byte-order mark, CRLF, text quoted where needed and formulas defused).
 * Numbers are machine-readable (no grouping; money as a decimal in major units with a currency
 * column); hidden numbers are "<5" or "*", never the number.
 */
import { csvDocument, escapeCsvCell } from '../donors/csv';
import type { Locale } from '../ui/i18n';
import { minorToDecimal } from './model';
import type { Cell, PublishedReport } from './publish';
import { L, markOf, tr, UNIT_LABEL } from './text';

export interface CsvFile {
  name: string;
  mediaType: 'text/csv; charset=utf-8';
  content: string;
}

/** A field written as a number: never formula-escaped. */
interface Num {
  num: string;
}
type Field = string | Num | null | undefined;

const num = (n: number | bigint | string): Num => ({ num: String(n) });

function field(f: Field): string {
  if (f === null || f === undefined) return '';
  if (typeof f === 'object') {
    if (!/^-?\d+(\.\d+)?$/.test(f.num)) throw new Error(`not a number: ${f.num}`);
    return f.num;
  }
  return escapeCsvCell(f);
}

export function toCsv(rows: Field[][]): string {
  return csvDocument(rows.map((r) => r.map(field).join(',')));
}

const cellField = (c: Cell<number>): Field => (c.kind === 'value' ? num(c.value) : markOf(c));

/** Percent with two decimals from basis points ("138.46"). */
const percentField = (bp: number): Num => num(`${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`);

export function reportCsvFiles(report: PublishedReport, locale: Locale): CsvFile[] {
  const files: CsvFile[] = [];
  const file = (name: string, rows: Field[][]) => files.push({ name, mediaType: 'text/csv; charset=utf-8', content: toCsv(rows) });

  const indicatorRows: Field[][] = [
    [
      L.section[locale],
      'id',
      L.indicator[locale],
      L.definition[locale],
      L.unit[locale],
      L.currency[locale],
      L.value[locale],
      L.baselineYear[locale],
      L.baseline[locale],
      L.target[locale],
      `${L.achieved[locale]} (%)`,
    ],
  ];
  for (const g of report.groups) {
    for (const ind of g.indicators) {
      const q = (v: number | bigint): Num => {
        switch (ind.unit) {
          case 'money':
            return num(minorToDecimal(v as bigint, ind.currency));
          case 'percent':
            return percentField(Number(v));
          default:
            return num(v);
        }
      };
      const c = (cell: Cell<number | bigint>): Field => (cell.kind === 'value' ? q(cell.value) : markOf(cell));
      indicatorRows.push([
        tr(locale, g.title),
        ind.id,
        tr(locale, ind.label),
        tr(locale, ind.definition),
        tr(locale, UNIT_LABEL[ind.unit]),
        ind.unit === 'money' ? ind.currency : null,
        c(ind.value),
        ind.baseline ? num(ind.baseline.year) : null,
        ind.baseline ? c(ind.baseline.value) : null,
        ind.target !== undefined ? q(ind.target) : null,
        ind.achieved ? (ind.achieved.kind === 'value' ? percentField(ind.achieved.value) : markOf(ind.achieved)) : null,
      ]);
    }
  }
  file('indicators.csv', indicatorRows);

  for (const b of report.breakdowns) {
    const corner = `${tr(locale, b.rowsLabel)} \\ ${tr(locale, b.columnsLabel)}`;
    const rows: Field[][] = [];
    if (b.oneWay) {
      rows.push([tr(locale, b.rowsLabel), tr(locale, b.columns[0]!.label)]);
      b.rows.forEach((r, i) => rows.push([tr(locale, r.label), cellField(b.cells[i]![0]!)]));
      rows.push([L.total[locale], cellField(b.grandTotal)]);
    } else {
      rows.push([corner, ...b.columns.map((c) => tr(locale, c.label)), L.total[locale]]);
      b.rows.forEach((r, i) => rows.push([tr(locale, r.label), ...b.cells[i]!.map(cellField), cellField(b.rowTotals[i]!)]));
      rows.push([L.total[locale], ...b.columnTotals.map(cellField), cellField(b.grandTotal)]);
    }
    file(`breakdown-${b.id}.csv`, rows);
  }

  for (const m of report.moneyTables) {
    const money = (v: bigint) => num(minorToDecimal(v, m.currency));
    const rows: Field[][] = [[L.section[locale], 'key', L.item[locale], L.amount[locale], L.currency[locale]]];
    rows.push([L.openingBalance[locale], null, L.openingBalance[locale], money(m.openingBalance), m.currency]);
    for (const s of m.sources) rows.push([L.sources[locale], s.key, tr(locale, s.label), money(s.amount), m.currency]);
    rows.push([L.sources[locale], null, L.totalSources[locale], money(m.totalSources), m.currency]);
    for (const u of m.uses) rows.push([L.uses[locale], u.key, tr(locale, u.label), money(u.amount), m.currency]);
    rows.push([L.uses[locale], null, L.totalUses[locale], money(m.totalUses), m.currency]);
    rows.push([L.closingBalance[locale], null, L.closingBalance[locale], money(m.closingBalance), m.currency]);
    file(`money-${m.id}.csv`, rows);
  }
  return files;
}
