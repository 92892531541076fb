import { describe, expect, it } from 'vitest';
import { demoReportModel, DEMO_SMALL_CELL } from '../../src/reports/demo';
import { publishReport } from '../../src/reports/publish';
import { renderReportHtml } from '../../src/reports/html';
import { reportCsvFiles } from '../../src/reports/csv';
import { renderReportJson } from '../../src/reports/json';
import { renderIatiXml } from '../../src/reports/iati';
import { layoutReportPdf, renderReportPdf } from '../../src/reports/pdf';
import { chartData } from '../../src/reports/charts';
import { renderChartSvg } from '../../src/reports/svg';
import type { ReportModel } from '../../src/reports/model';

const report = publishReport(demoReportModel());

/** The demo breakdown: girls row [3, 9, 8, 5], boys row [7, 6, 7, 0]; 3 is small, 9, 7, 6 complete a rectangle. */
const GIRLS = { published: { 'age-11-15': '8', 'age-16-17': '5', total: '25' }, hidden: { 'age-0-5': '<5', 'age-6-10': '*' } };
const BOYS = { published: { 'age-11-15': '7', 'age-16-17': '0', total: '20' }, hidden: { 'age-0-5': '*', 'age-6-10': '*' } };
const COLUMN_TOTALS = { 'age-0-5': '10', 'age-6-10': '15', 'age-11-15': '15', 'age-16-17': '5', total: '45' };

function cellText(html: string, row: string, col: string): string {
  const m = html.match(new RegExp(`<td[^>]*data-row="${row}" data-col="${col}"[^>]*>([^<]*)</td>`));
  if (!m) throw new Error(`no cell ${row}/${col}`);
  return m[1]!.replaceAll('&lt;', '<').replaceAll('&amp;', '&');
}

function parseCsv(content: string): string[][] {
  expect(content.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = content.slice(1);
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('the cell of 3 in every format', () => {
  it('HTML shows "<5" in that cell, "*" in its complements, and the right published numbers', async () => {
    const html = await renderReportHtml(report, 'vi');
    expect(cellText(html, DEMO_SMALL_CELL.row, DEMO_SMALL_CELL.column)).toBe('<5');
    for (const [row, spec] of [['female', GIRLS], ['male', BOYS]] as const) {
      for (const [col, v] of Object.entries(spec.published)) expect(cellText(html, row, col)).toBe(v);
      for (const [col, v] of Object.entries(spec.hidden)) expect(cellText(html, row, col)).toBe(v);
    }
    for (const [col, v] of Object.entries(COLUMN_TOTALS)) expect(cellText(html, 'total', col)).toBe(v);
    expect(html).toContain('data-suppressed="small"');
    // The whole page: no inline style or script (CSP), Vietnamese labels, legend.
    expect(html).not.toMatch(/\sstyle=|<script/i);
    expect(html).toContain('Trẻ em nhận suất quà theo giới tính và độ tuổi');
    expect(html).toContain('&lt;5: từ 1 đến 4 người');
    expect(html.startsWith('<!doctype html><html lang="vi">')).toBe(true);
  });

  it('HTML in English formats VND and labels in English', async () => {
    const html = await renderReportHtml(report, 'en');
    expect(html).toContain('Children who received a gift package, by gender and age');
    expect(html).toContain('₫162,500,000');
    expect(cellText(html, 'female', 'age-0-5')).toBe('<5');
  });

  it('CSV: one file per table, BOM and CRLF, "<5" in that cell, published numbers right', () => {
    const files = reportCsvFiles(report, 'vi');
    expect(files.map((f) => f.name)).toEqual(['indicators.csv', `breakdown-${DEMO_SMALL_CELL.breakdown}.csv`, 'breakdown-cases-by-issue.csv', 'money-sources-and-uses.csv']);
    const f = files.find((x) => x.name === `breakdown-${DEMO_SMALL_CELL.breakdown}.csv`)!;
    expect(f.content).toContain('\r\n');
    const rows = parseCsv(f.content);
    expect(rows[0]).toEqual(['Giới tính \\ Độ tuổi', '0–5 tuổi', '6–10 tuổi', '11–15 tuổi', '16–17 tuổi', 'Tổng']);
    expect(rows[1]).toEqual(['Nữ', '<5', '*', '8', '5', '25']);
    expect(rows[2]).toEqual(['Nam', '*', '*', '7', '0', '20']);
    expect(rows[3]).toEqual(['Tổng', '10', '15', '15', '5', '45']);
    const money = parseCsv(files.find((x) => x.name === 'money-sources-and-uses.csv')!.content);
    expect(money.find((r) => r[1] === 'grant')).toEqual(['Nguồn thu', 'grant', 'Tài trợ của Quỹ Ánh Dương', '120000000', 'VND']);
    expect(money.at(-1)).toEqual(['Số dư cuối kỳ', '', 'Số dư cuối kỳ', '25000000', 'VND']);
    const indicators = parseCsv(files[0]!.content);
    const weekly = indicators.find((r) => r[1] === 'children-weekly-intervention')!;
    expect(weekly[6]).toBe('<5');
    expect(weekly[10]).toBe('*');
    expect(indicators.find((r) => r[1] === 'cases-growth')![6]).toBe('138.46');
  });

  it('JSON: {"value":"<5","suppressed":true}, never the number', () => {
    const json = JSON.parse(renderReportJson(report)) as {
      breakdowns: { id: string; cells: { value: number | string; suppressed: boolean }[][]; rowTotals: { value: number }[]; grandTotal: { value: number } }[];
      indicatorGroups: { indicators: { id: string; value: { value: number | string; suppressed: boolean } }[] }[];
      moneyTables: { closingBalanceMinor: number }[];
    };
    const b = json.breakdowns.find((x) => x.id === DEMO_SMALL_CELL.breakdown)!;
    expect(b.cells[0]![0]).toEqual({ value: '<5', suppressed: true, reason: 'small-count' });
    expect(b.cells[0]![1]).toEqual({ value: '*', suppressed: true, reason: 'complementary' });
    expect(b.cells[0]![2]).toEqual({ value: 8, suppressed: false });
    expect(b.rowTotals.map((c) => c.value)).toEqual([25, 20]);
    expect(b.grandTotal.value).toBe(45);
    const cellValues = b.cells.flat().map((c) => c.value);
    expect(cellValues).not.toContain(3);
    expect(cellValues).not.toContain(9);
    const weekly = json.indicatorGroups.flatMap((g) => g.indicators).find((i) => i.id === 'children-weekly-intervention')!;
    expect(weekly.value).toEqual({ value: '<5', suppressed: true, reason: 'small-count' });
    expect(json.moneyTables[0]!.closingBalanceMinor).toBe(25_000_000);
  });

  it('IATI XML: no actual for a hidden cell, "<5" said in the description, published actuals right', () => {
    const xml = renderIatiXml(report);
    const indicator = xml.slice(xml.indexOf('Children who received a gift package<'), xml.indexOf('</indicator>', xml.indexOf('Children who received a gift package<')));
    expect(indicator).toContain('Girls · 0–5 years: &lt;5');
    expect(indicator).toContain('<target value="50"/>');
    expect(indicator).toContain('<actual value="45"/>');
    expect(indicator).toMatch(/<actual value="8">\s*<dimension name="Gender" value="Girls"\/>\s*<dimension name="Age" value="11–15 years"\/>/);
    expect(indicator).not.toMatch(/<dimension name="Age" value="0–5 years"\/>\s*<\/actual>[\s\S]*value="Girls"/);
    const girlsYoungest = /<actual value="(\d+)">\s*<dimension name="Gender" value="Girls"\/>\s*<dimension name="Age" value="0–5 years"\/>/.exec(indicator);
    expect(girlsYoungest).toBeNull();
    expect(xml).not.toMatch(/<actual value="3"/);
    // The small indicator value is not an actual either, but its target stays.
    const weekly = xml.slice(xml.indexOf('Children with developmental disorders in weekly intervention<'));
    const weeklyPeriod = weekly.slice(weekly.indexOf('<period>'), weekly.indexOf('</period>'));
    expect(weeklyPeriod).toContain('<target value="5"/>');
    expect(weeklyPeriod).not.toContain('<actual');
  });

  it('PDF: "<5" is drawn in that cell, Vietnamese text, the published row right', () => {
    const layout = layoutReportPdf(report, 'vi');
    expect(layout.pages).toHaveLength(4);
    const texts = layout.pages.flatMap((p) => p.texts);
    const girls = texts.indexOf('Nữ');
    expect(texts.slice(girls, girls + 6)).toEqual(['Nữ', '<5', '*', '8', '5', '25']);
    const boys = texts.indexOf('Nam');
    expect(texts.slice(boys, boys + 6)).toEqual(['Nam', '*', '*', '7', '0', '20']);
    expect(texts).toContain('Trẻ em nhận suất quà theo giới tính và độ tuổi');
    expect(texts).toContain('Trang 1/4');
  });
});

describe('PDF file', () => {
  it('is a PDF with one page object per laid-out page, fonts embedded, runnable in this runtime', async () => {
    const bytes = await renderReportPdf(report, 'vi');
    const head = new TextDecoder('latin1').decode(bytes.slice(0, 8));
    expect(head).toBe('%PDF-1.7');
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text.match(/\/Type \/Page\b(?!s)/g)).toHaveLength(4);
    expect(text).toContain('/Count 4');
    expect(text).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(text).toContain('/BaseFont /SCRPTA+NotoSans-Regular');
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    // Same input, same bytes: reports can be re-issued and compared.
    expect(await renderReportPdf(report, 'vi')).toEqual(bytes);
  });

  it('grows to more pages with more indicators, and a small report fits on one', async () => {
    const small = demoReportModel();
    small.groups = [small.groups[0]!];
    small.groups[0]!.indicators = small.groups[0]!.indicators.filter((i) => i.id === 'hotline-calls');
    small.breakdowns = [];
    small.moneyTables = [];
    small.charts = [];
    small.activity = undefined;
    expect(layoutReportPdf(publishReport(small), 'en').pages).toHaveLength(1);

    const big: ReportModel = demoReportModel();
    big.groups[0]!.indicators.push(
      ...Array.from({ length: 60 }, (_, k) => ({
        id: `extra-${k}`,
        unit: 'count' as const,
        people: false,
        value: k * 10,
        label: { vi: `Chỉ số bổ sung ${k}`, en: `Extra indicator ${k}` },
        definition: { vi: 'Định nghĩa đầy đủ của chỉ số bổ sung.', en: 'The full definition of the extra indicator.' },
      })),
    );
    const layout = layoutReportPdf(publishReport(big), 'en');
    expect(layout.pages.length).toBeGreaterThan(3);
    const n = layout.pages.length;
    expect(layout.pages.at(-1)!.texts).toContain(`Page ${n} of ${n}`);
    const bytes = await renderReportPdf(publishReport(big), 'en');
    expect(new TextDecoder('latin1').decode(bytes).match(/\/Type \/Page\b(?!s)/g)).toHaveLength(n);
  });
});

describe('SVG charts', () => {
  const chart = (id: string) => chartData(report, report.charts.find((c) => c.id === id)!, 'vi');

  it('are accessible, have no script or style attribute, and draw hidden numbers as a fixed hatched bar', () => {
    const data = chart('cases-by-issue-chart');
    const svg = renderChartSvg(data);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*role="img" aria-labelledby="chart-cases-by-issue-chart-title chart-cases-by-issue-chart-desc"/);
    expect(svg).toContain('<title id="chart-cases-by-issue-chart-title">Trường hợp theo vấn đề chính</title>');
    expect(svg).toContain('Bị mua bán: &lt;5');
    expect(svg).not.toMatch(/\sstyle=|<script|on[a-z]+=/i);
    // Trafficking (2, small) and Other (7, complement) get the same nominal length.
    const hatched = [...svg.matchAll(/<rect x="0" y="\d+" width="([\d.]+)" height="14" fill="url\(#chart-cases-by-issue-chart-hatch\)"/g)].map((m) => m[1]);
    expect(hatched).toHaveLength(2);
    expect(hatched[0]).toBe(hatched[1]);
    expect(data.bars.map((b) => b.display)).toEqual(['18', '24', '12', '9', '<5', '*']);
    // Published bars are scaled by the largest published value only.
    expect(data.bars[1]!.fraction).toBe(1);
    expect(data.bars[0]!.fraction).toBe(0.75);
  });

  it('progress bars: a hidden value shows "<5" and no achievement', () => {
    const data = chart('progress-to-targets');
    expect(data.bars.map((b) => b.display)).toEqual(['45 / 50 · 90%', '3.900 / 3.500 · 111,4%', '<5 / 5']);
    expect(data.bars[2]!.hidden).toBe('small');
    expect(data.bars[1]!.fraction).toBe(1);
  });
});

describe('CSV escaping', () => {
  it('neutralises formulas in text, quotes separators, keeps numbers numeric', () => {
    const model = demoReportModel();
    model.moneyTables[0]!.uses[0]!.label = { vi: '=HYPERLINK("http://x","bấm")', en: '-2+3' };
    model.moneyTables[0]!.sources[1]!.label = { vi: '@SUM(A1), "quà"', en: 'plain' };
    const files = reportCsvFiles(publishReport(model), 'vi');
    const money = files.find((f) => f.name === 'money-sources-and-uses.csv')!.content;
    expect(money).toContain('"\'=HYPERLINK(""http://x"",""bấm"")"');
    expect(money).toContain('"\'@SUM(A1), ""quà"""');
    const en = reportCsvFiles(publishReport(model), 'en').find((f) => f.name === 'money-sources-and-uses.csv')!.content;
    expect(en).toContain("'-2+3,45000000,VND");
  });
});
