/**
 * The PDF of a published report: the same content as the HTML page (title, meta, indicators with
 * their definitions, breakdown tables with "<5", sources and uses, bar charts drawn as vector
 * rectangles), A4, in Noto Sans embedded as a subset so Vietnamese renders everywhere (bold is
 * synthesised from the regular face).
 * Pure TypeScript over Web APIs: runs in Cloudflare Workers and Node alike.
 *
 * `layoutReportPdf` lays the pages out (and is what tests inspect); `renderReportPdf` writes them.
 * The page toolkit (flow, fonts, footers, file) is pdf-layout.ts.
 */
import { formatMoney, type Locale } from '../ui/i18n';
import { chartData, type ChartData } from './charts';
import { BOTTOM, C, documentFonts, drawFooters, Flow, LEFT, RIGHT, TOP, WIDTH, writePdfDocument, type PdfLayout } from './pdf-layout';
import type { Cell, PublishedBreakdown, PublishedMoneyTable, PublishedReport } from './publish';
import {
  formatCount,
  formatGeneratedAt,
  formatIndicatorCell,
  formatPeriod,
  indicatorDetails,
  L,
  legendLines,
  markOf,
  SCOPE_LABEL,
  tr,
} from './text';

function drawIndicators(flow: Flow, report: PublishedReport, locale: Locale): void {
  flow.heading(L.indicators[locale], 14, 14);
  for (const g of report.groups) {
    flow.heading(tr(locale, g.title), 11.5, 6, 50);
    if (g.description) flow.paragraph(tr(locale, g.description), 'regular', 9, C.muted);
    for (const ind of g.indicators) {
      const valueText = formatIndicatorCell(ind, ind.value, locale);
      const valueWidth = flow.fonts.bold.width(valueText, 12);
      const labelLines = flow.wrap(tr(locale, ind.label), 'bold', 10, WIDTH - valueWidth - 16);
      const defLines = flow.wrap(`${L.definition[locale]}: ${tr(locale, ind.definition)}`, 'regular', 8.5, WIDTH);
      const details = indicatorDetails(ind, locale)
        .map((d) => `${d.label}: ${d.value}`)
        .join('   ·   ');
      const height = labelLines.length * 13.5 + defLines.length * 11.5 + (details ? 12 : 0) + 12;
      flow.ensure(height);
      const top = flow.y;
      labelLines.forEach((l, i) => flow.page.text(LEFT, top + 11 + i * 13.5, l, 'bold', 10));
      flow.page.textRight(RIGHT, top + 12, valueText, 'bold', 12, markOf(ind.value) ? C.muted : C.text);
      flow.y = top + labelLines.length * 13.5 + 2;
      defLines.forEach((l) => {
        flow.page.text(LEFT, flow.y + 8.5, l, 'regular', 8.5, C.muted);
        flow.y += 11.5;
      });
      if (details) {
        flow.page.text(LEFT, flow.y + 8.5, details, 'regular', 8.5, C.text);
        flow.y += 12;
      }
      flow.y += 5;
      flow.page.rule(LEFT, flow.y, RIGHT);
      flow.y += 5;
    }
  }
}

function drawBreakdown(flow: Flow, b: PublishedBreakdown, locale: Locale): void {
  const numericCols = b.columns.length + (b.oneWay ? 0 : 1);
  const firstWidth = Math.max(WIDTH - numericCols * 78, WIDTH * 0.34);
  const colWidth = (WIDTH - firstWidth) / numericCols;
  const headers = [
    b.oneWay ? tr(locale, b.rowsLabel) : `${tr(locale, b.rowsLabel)} \\ ${tr(locale, b.columnsLabel)}`,
    ...b.columns.map((c) => tr(locale, c.label)),
    ...(b.oneWay ? [] : [L.total[locale]]),
  ];
  const headerLines = headers.map((h, i) => flow.wrap(h, 'bold', 8.5, (i === 0 ? firstWidth : colWidth) - 8));
  const headerHeight = Math.max(...headerLines.map((l) => l.length)) * 11 + 6;
  const rowHeight = 16;

  const drawHeader = () => {
    const top = flow.y;
    flow.page.rect(LEFT, top, WIDTH, headerHeight, C.band);
    headerLines.forEach((lines, i) =>
      lines.forEach((l, k) => {
        const baseline = top + 11 + k * 11;
        if (i === 0) flow.page.text(LEFT + 4, baseline, l, 'bold', 8.5, C.muted);
        else flow.page.textRight(LEFT + firstWidth + i * colWidth - 4, baseline, l, 'bold', 8.5, C.muted);
      }),
    );
    flow.y += headerHeight;
  };
  const drawRow = (label: string, cells: Cell<number>[], bold: boolean) => {
    if (flow.y + rowHeight > BOTTOM) {
      flow.newPage();
      drawHeader();
    }
    const baseline = flow.y + 11.5;
    flow.page.text(LEFT + 4, baseline, label, bold ? 'bold' : 'regular', 9);
    cells.forEach((c, j) => {
      const hidden = markOf(c) !== null;
      flow.page.textRight(LEFT + firstWidth + (j + 1) * colWidth - 4, baseline, formatCount(c, locale), bold ? 'bold' : 'regular', 9, hidden ? C.muted : C.text);
    });
    flow.y += rowHeight;
    flow.page.rule(LEFT, flow.y, RIGHT);
  };

  flow.y += 8;
  const titleLines = flow.wrap(tr(locale, b.title), 'bold', 10.5, WIDTH);
  flow.ensure(titleLines.length * 14 + headerHeight + rowHeight * Math.min(b.rows.length + 1, 6) + 16);
  flow.paragraph(tr(locale, b.title), 'bold', 10.5);
  if (b.description) flow.paragraph(tr(locale, b.description), 'regular', 8.5, C.muted);
  flow.y += 2;
  drawHeader();
  b.rows.forEach((r, i) => drawRow(tr(locale, r.label), b.oneWay ? b.cells[i]! : [...b.cells[i]!, b.rowTotals[i]!], false));
  drawRow(L.total[locale], b.oneWay ? [b.grandTotal] : [...b.columnTotals, b.grandTotal], true);
  if (b.withheld) {
    flow.y += 3;
    flow.paragraph(L.withheld[locale], 'regular', 8.5, C.muted);
  }
}

/** Height of a sources-and-uses table, kept on one page when it fits on one. */
const moneyHeight = (m: PublishedMoneyTable) => Math.min(40 + (m.sources.length + m.uses.length + 6) * 16, BOTTOM - TOP - 40);

function drawMoney(flow: Flow, m: PublishedMoneyTable, locale: Locale): void {
  const amount = (v: bigint) => formatMoney(v, m.currency, locale);
  flow.y += 8;
  // Keep the table on one page when it fits on one.
  flow.ensure(moneyHeight(m));
  flow.paragraph(tr(locale, m.title), 'bold', 10.5);
  if (m.description) flow.paragraph(tr(locale, m.description), 'regular', 8.5, C.muted);
  flow.y += 2;
  const line = (label: string, v: bigint | null, style: 'item' | 'group' | 'total') => {
    flow.ensure(16);
    const baseline = flow.y + 11.5;
    if (style === 'group') flow.page.rect(LEFT, flow.y, WIDTH, 16, C.band);
    flow.page.text(style === 'item' ? LEFT + 14 : LEFT + 4, baseline, label, style === 'item' ? 'regular' : 'bold', 9);
    if (v !== null) flow.page.textRight(RIGHT - 4, baseline, amount(v), style === 'item' ? 'regular' : 'bold', 9);
    flow.y += 16;
    flow.page.rule(LEFT, flow.y, RIGHT);
  };
  line(L.openingBalance[locale], m.openingBalance, 'total');
  line(L.sources[locale], null, 'group');
  for (const s of m.sources) line(tr(locale, s.label), s.amount, 'item');
  line(L.totalSources[locale], m.totalSources, 'total');
  line(L.uses[locale], null, 'group');
  for (const u of m.uses) line(tr(locale, u.label), u.amount, 'item');
  line(L.totalUses[locale], m.totalUses, 'total');
  line(L.closingBalance[locale], m.closingBalance, 'total');
}

function drawChart(flow: Flow, data: ChartData): void {
  const full = WIDTH - 170;
  const rowHeight = 27;
  flow.y += 10;
  flow.ensure(Math.min(24 + rowHeight * data.bars.length, BOTTOM - TOP - 40));
  flow.paragraph(data.title, 'bold', 10.5);
  if (data.description) flow.paragraph(data.description, 'regular', 8.5, C.muted);
  for (const bar of data.bars) {
    flow.ensure(rowHeight);
    const top = flow.y;
    flow.page.text(LEFT, top + 9, bar.label, 'regular', 8.5);
    const barTop = top + 12;
    const w = bar.fraction > 0 ? Math.max(full * bar.fraction, 0.8) : 0;
    if (data.kind === 'progress') flow.page.rect(LEFT, barTop, full, 10, C.track);
    if (bar.hidden) flow.page.hatched(LEFT, barTop, w, 10, C.hidden);
    else if (w > 0) flow.page.rect(LEFT, barTop, w, 10, data.kind === 'progress' ? C.progress : C.bar);
    flow.page.text(LEFT + (data.kind === 'progress' ? Math.max(w, full) : w) + 6, barTop + 8.5, bar.display, 'regular', 8.5, bar.hidden ? C.muted : C.text);
    flow.y += rowHeight;
  }
}

/** Lays the report out on A4 pages (no bytes yet): what tests inspect in every runtime. */
export function layoutReportPdf(report: PublishedReport, locale: Locale): PdfLayout {
  const flow = new Flow(documentFonts());
  const { meta } = report;

  flow.paragraph(tr(locale, meta.orgName), 'regular', 10, C.muted);
  flow.y += 2;
  flow.paragraph(tr(locale, meta.title), 'bold', 18, C.strong, LEFT, WIDTH, 1.25);
  flow.y += 4;
  const metaLines: [string, string][] = [
    [SCOPE_LABEL[meta.scope.kind][locale], tr(locale, meta.scope.label)],
    [L.period[locale], formatPeriod(meta, locale)],
    [L.generatedAt[locale], formatGeneratedAt(meta, locale)],
    [L.version[locale], String(meta.version)],
  ];
  for (const [k, v] of metaLines) flow.paragraph(`${k}: ${v}`, 'regular', 9.5);
  flow.y += 4;
  flow.page.rule(LEFT, flow.y, RIGHT, C.strong, 1.2);
  flow.y += 8;
  if (meta.summary) flow.paragraph(tr(locale, meta.summary), 'regular', 10.5);

  drawIndicators(flow, report, locale);

  if (report.breakdowns.length) {
    flow.heading(L.breakdowns[locale], 14, 14);
    for (const b of report.breakdowns) drawBreakdown(flow, b, locale);
    flow.y += 6;
    for (const l of legendLines(report.hidden, locale)) flow.paragraph(l, 'regular', 8.5, C.muted);
  }
  if (report.moneyTables.length) {
    flow.heading(L.money[locale], 14, 14, moneyHeight(report.moneyTables[0]!) + 8);
    for (const m of report.moneyTables) drawMoney(flow, m, locale);
  }
  if (report.charts.length) {
    flow.heading(L.charts[locale], 14, 14);
    for (const c of report.charts) drawChart(flow, chartData(report, c, locale));
  }
  flow.y += 16;
  flow.ensure(40);
  flow.page.rule(LEFT, flow.y, RIGHT);
  flow.y += 6;
  flow.paragraph(L.privacy[locale], 'regular', 8.5, C.muted);
  for (const l of legendLines(report.hidden, locale)) flow.paragraph(l, 'regular', 8.5, C.muted);

  const layout = { pages: flow.pages, fonts: flow.fonts };
  drawFooters(layout, `${tr(locale, meta.orgName)} · ${tr(locale, meta.title)}`, (i, n) =>
    locale === 'vi' ? `${L.page.vi} ${i}/${n}` : `${L.page.en} ${i} ${L.of.en} ${n}`,
  );
  return layout;
}
/** The PDF file of a published report. */
export async function renderReportPdf(report: PublishedReport, locale: Locale): Promise<Uint8Array> {
  return writePdfDocument(layoutReportPdf(report, locale), {
    title: tr(locale, report.meta.title),
    author: tr(locale, report.meta.orgName),
    locale,
    createdAt: report.meta.generatedAt,
  });
}
