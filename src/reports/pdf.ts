/**
 * The PDF of a published report: the same content as the HTML page (title, meta, indicators with
 * their definitions, breakdown tables with "<5", sources and uses, bar charts drawn as vector
 * rectangles), A4, in Noto Sans embedded as a subset so Vietnamese renders everywhere (bold is
 * synthesised from the regular face).
 * Pure TypeScript over Web APIs: runs in Cloudflare Workers and Node alike.
 *
 * `layoutReportPdf` lays the pages out (and is what tests inspect); `renderReportPdf` writes them.
 */
import { formatMoney, type Locale } from '../ui/i18n';
import { chartData, type ChartData } from './charts';
import { NOTO_SANS_REGULAR } from './font-data';
import { FontMetrics } from './pdf-font';
import { base64ToBytes, deflate, pdfTextString, PdfWriter } from './pdf-writer';
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

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
const LEFT = 48;
const RIGHT = PAGE_WIDTH - 48;
const WIDTH = RIGHT - LEFT;
const TOP = 50;
const BOTTOM = PAGE_HEIGHT - 62;

type Rgb = readonly [number, number, number];
const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255];
const C = {
  text: hex('#1d2330'),
  muted: hex('#5b6475'),
  rule: hex('#d8d4ca'),
  strong: hex('#1d2330'),
  bar: hex('#2f5d8a'),
  progress: hex('#256b3a'),
  track: hex('#ece8df'),
  hidden: hex('#6b6457'),
  band: hex('#f4f1ea'),
};

type FontKey = 'regular' | 'bold';

/** Stroke width of synthetic bold, as a share of the font size. */
const BOLD_STROKE = 0.045;

const rgb = (c: Rgb) => c.map((v) => Math.round(v * 1000) / 1000).join(' ');
const num = (v: number) => String(Math.round(v * 100) / 100);

/** One page's drawing operations, in top-down coordinates, plus its text for inspection. */
export class PdfPage {
  readonly ops: string[] = [];
  readonly texts: string[] = [];

  constructor(private readonly fonts: Record<FontKey, FontMetrics>) {}

  text(x: number, baseline: number, s: string, font: FontKey, size: number, color: Rgb = C.text): void {
    if (!s) return;
    this.texts.push(s);
    // Bold: the regular face filled and stroked (text render mode 2), one font file less to ship.
    // The render mode and stroke are graphics state: q/Q keeps them from leaking into what follows.
    const weight = font === 'bold' ? `2 Tr ${rgb(color)} RG ${num(size * BOLD_STROKE)} w` : '0 Tr';
    this.ops.push(`q BT /F1 ${num(size)} Tf ${weight} ${rgb(color)} rg ${num(x)} ${num(PAGE_HEIGHT - baseline)} Td ${this.fonts[font].encode(s)} Tj ET Q`);
  }

  textRight(xRight: number, baseline: number, s: string, font: FontKey, size: number, color: Rgb = C.text): void {
    this.text(xRight - this.fonts[font].width(s, size), baseline, s, font, size, color);
  }

  rect(x: number, top: number, w: number, h: number, fill: Rgb): void {
    this.ops.push(`${rgb(fill)} rg ${num(x)} ${num(PAGE_HEIGHT - top - h)} ${num(w)} ${num(h)} re f`);
  }

  /** A hatched, outlined box: the bar of a hidden number. */
  hatched(x: number, top: number, w: number, h: number, color: Rgb): void {
    const y = PAGE_HEIGHT - top - h;
    const lines: string[] = [];
    for (let d = -h; d < w; d += 4) lines.push(`${num(x + d)} ${num(y)} m ${num(x + d + h)} ${num(y + h)} l`);
    this.ops.push(`q ${num(x)} ${num(y)} ${num(w)} ${num(h)} re W n ${rgb(color)} RG 0.8 w ${lines.join(' ')} S Q`);
    this.ops.push(`${rgb(color)} RG 0.8 w ${num(x)} ${num(y)} ${num(w)} ${num(h)} re S`);
  }

  rule(x1: number, y: number, x2: number, color: Rgb = C.rule, width = 0.6): void {
    this.ops.push(`${rgb(color)} RG ${num(width)} w ${num(x1)} ${num(PAGE_HEIGHT - y)} m ${num(x2)} ${num(PAGE_HEIGHT - y)} l S`);
  }
}

export interface PdfLayout {
  pages: PdfPage[];
  fonts: Record<FontKey, FontMetrics>;
}

class Flow {
  readonly pages: PdfPage[] = [];
  page!: PdfPage;
  y = TOP;

  constructor(readonly fonts: Record<FontKey, FontMetrics>) {
    this.newPage();
  }

  newPage(): void {
    this.page = new PdfPage(this.fonts);
    this.pages.push(this.page);
    this.y = TOP;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height > BOTTOM && this.y > TOP) this.newPage();
  }

  wrap(text: string, font: FontKey, size: number, width: number): string[] {
    const m = this.fonts[font];
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (m.width(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      // A word longer than the line is cut where it must be.
      let rest = word;
      while (m.width(rest, size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && m.width(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    if (line) lines.push(line);
    return lines;
  }

  paragraph(text: string, font: FontKey, size: number, color: Rgb = C.text, x = LEFT, width = WIDTH, leading = 1.38): void {
    for (const line of this.wrap(text, font, size, width)) {
      this.ensure(size * leading);
      this.page.text(x, this.y + size, line, font, size, color);
      this.y += size * leading;
    }
  }

  heading(text: string, size: number, gapBefore: number, keepWith = 60): void {
    this.y += gapBefore;
    this.ensure(size * 1.4 + keepWith);
    this.paragraph(text, 'bold', size, C.strong);
    this.y += 2;
  }
}

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
  const regular = new FontMetrics(NOTO_SANS_REGULAR);
  // Synthetic bold is a little wider than the regular advance widths: measure with a margin.
  const bold = Object.assign(Object.create(regular) as FontMetrics, {
    width: (text: string, size: number) => regular.width(text, size) * 1.04 + size * BOLD_STROKE,
  });
  const fonts = { regular, bold };
  const flow = new Flow(fonts);
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

  // Footers, now that the number of pages is known.
  const n = flow.pages.length;
  const title = `${tr(locale, meta.orgName)} · ${tr(locale, meta.title)}`;
  flow.pages.forEach((page, i) => {
    const pageLabel = locale === 'vi' ? `${L.page.vi} ${i + 1}/${n}` : `${L.page.en} ${i + 1} ${L.of.en} ${n}`;
    const room = WIDTH - fonts.regular.width(pageLabel, 7.5) - 20;
    let left = title;
    while (left.length > 8 && fonts.regular.width(left, 7.5) > room) left = `${left.slice(0, -2).trimEnd()}…`;
    page.rule(LEFT, PAGE_HEIGHT - 40, RIGHT);
    page.text(LEFT, PAGE_HEIGHT - 28, left, 'regular', 7.5, C.muted);
    page.textRight(RIGHT, PAGE_HEIGHT - 28, pageLabel, 'regular', 7.5, C.muted);
  });
  return { pages: flow.pages, fonts };
}

/** The PDF file of a published report. */
export async function renderReportPdf(report: PublishedReport, locale: Locale): Promise<Uint8Array> {
  const layout = layoutReportPdf(report, locale);
  const w = new PdfWriter();
  const catalog = w.reserve();
  const pagesRoot = w.reserve();
  const font = w.addFont(layout.fonts.regular, 'SCRPTA', base64ToBytes(NOTO_SANS_REGULAR.ttfDeflatedBase64));
  const kids: number[] = [];
  for (const page of layout.pages) {
    const content = await deflate(new TextEncoder().encode(page.ops.join('\n')));
    const contents = w.addStream('/Filter /FlateDecode', content);
    kids.push(
      w.add(
        `<< /Type /Page /Parent ${pagesRoot} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
          `/Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${contents} 0 R >>`,
      ),
    );
  }
  w.set(pagesRoot, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  const lang = locale === 'vi' ? 'vi-VN' : 'en-GB';
  w.set(catalog, `<< /Type /Catalog /Pages ${pagesRoot} 0 R /Lang (${lang}) >>`);
  const created = report.meta.generatedAt.replace(/[-:]/g, '').replace(/\.\d+/, '').replace('T', '').replace('Z', '');
  const info = w.add(
    `<< /Title ${pdfTextString(tr(locale, report.meta.title))} /Author ${pdfTextString(tr(locale, report.meta.orgName))} ` +
      `/Producer ${pdfTextString('Sẻ Chia')} /CreationDate (D:${created.slice(0, 14)}Z) >>`,
  );
  return w.toBytes(catalog, info);
}
