import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { createDonor } from '../../src/donors/donors';
import { auditTable } from '../../src/reports/suppression';
import { layoutReportPdf } from '../../src/reports/pdf';
import { publishVersion } from '../../src/reports/render';
import { getVersion } from '../../src/reports/versions';
import { API, generate, reportJson, type ReportJson } from './support';

/*
 * A breakdown cell of 3 (girls aged 0–5 who received a service), end to end through the report
 * routes: "<5" in HTML, CSV, JSON, PDF and IATI XML, and no combination of the published cells
 * gives the 3 back (exact audit of the published table).
 */

const COUNTS = { female: { '2022': 3, '2018': 9 }, male: { '2022': 8, '2018': 7 } } as const;
let h: Harness;
let reportId: string;
let json: ReportJson;

beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T03:00:00Z' });
  for (const [gender, years] of Object.entries(COUNTS)) {
    for (const [birthYear, n] of Object.entries(years)) {
      for (let i = 0; i < n; i++) {
        const res = await h.request(`${API}/cases`, { as: 'admin', method: 'POST', json: { birthYear: Number(birthYear), gender, categories: ['poor_household'], locationId: h.demo.locations.tienHung } });
        expect(res.status, await res.clone().text()).toBe(201);
        const { id } = (await res.json()) as { id: string };
        const s = await h.request(`${API}/cases/${id}/services`, { as: 'admin', method: 'POST', json: { kind: 'home_visit', durationMinutes: 60 } });
        expect(s.status, await s.clone().text()).toBe(201);
      }
    }
  }
  const donor = await createDonor(h.db, h.demo.orgId, { kind: 'organisation', name: 'Quỹ Thử Nghiệm', email: 'fund@test.example' });
  const f = await h.request(`${API}/funders`, { as: 'admin', method: 'POST', json: { donorId: donor.id, language: 'vi' } });
  const funderId = ((await f.json()) as { id: string }).id;
  const g = await h.request(`${API}/grants`, { as: 'admin', method: 'POST', json: { funderId, code: 'test-2026', title: 'Thử nghiệm 2026', amountMinor: 10_000_000, startsOn: '2026-01-01', endsOn: '2026-12-31', schedule: 'none' } });
  expect(g.status, await g.clone().text()).toBe(201);
  const grantId = ((await g.json()) as { id: string }).id;
  reportId = (await generate(h, { scope: 'grant', grantId, periodFrom: '2026-11-01', periodTo: '2026-11-30', language: 'vi' })).id;
  json = await reportJson(h, reportId);
}, 120_000);
afterAll(() => h?.close());

const table = () => json.breakdowns.find((b) => b.id === 'beneficiaries-by-gender-age')!;

describe('a cell of 3 in every format', () => {
  it('JSON: "<5" with the reason, the number nowhere; enough complements that the exact audit cannot pin it down', () => {
    const b = table();
    const r = b.rows.findIndex((x) => x.key === 'female');
    const c = b.columns.findIndex((x) => x.key === 'age-0-5');
    expect(b.cells[r]![c]).toEqual({ value: '<5', suppressed: true, reason: 'small-count' });
    expect(b.grandTotal.value).toBe(27);
    // True counts of the table, in its row/column order, and the published marks.
    const counts = b.rows.map((row) => b.columns.map((col) => (row.key === 'female' ? (col.key === 'age-0-5' ? 3 : col.key === 'age-6-10' ? 9 : 0) : row.key === 'male' ? (col.key === 'age-0-5' ? 8 : col.key === 'age-6-10' ? 7 : 0) : 0)));
    const mark = (x: { suppressed: boolean; value: number | string }) => (x.suppressed ? (x.value === '<5' ? ('small' as const) : ('complementary' as const)) : null);
    const ranges = auditTable(counts, {
      cells: b.cells.map((row) => row.map(mark)),
      rowTotals: b.rowTotals!.map(mark),
      columnTotals: b.columnTotals.map(mark),
      grandTotal: mark(b.grandTotal),
    });
    const range = ranges[r]![c]!;
    expect(range.max).toBeGreaterThan(range.min);
    // And the other breakdowns of the same people do not give it away: the 3 is nowhere.
    expect(JSON.stringify(json)).not.toMatch(/"value":3[,}]/);
  });

  it('HTML (staff and link): the cell is "<5", marked as suppressed', async () => {
    const html = await (await h.request(`${API}/reports/${reportId}/versions/1/report.html`, { as: 'viewer' })).text();
    expect(html).toMatch(/<td class="num hidden-mark" data-row="female" data-col="age-0-5" data-suppressed="small">&lt;5<\/td>/);
    const link = (await (await h.request(`${API}/reports/${reportId}/versions/1/links`, { as: 'admin', method: 'POST', json: {} })).json()) as { url: string };
    const page = await (await h.fetch(link.url)).text();
    expect(page).toContain('data-row="female" data-col="age-0-5" data-suppressed="small">&lt;5');
  });

  it('CSV: the girls’ row shows "<5" and a complement, never 3', async () => {
    const csv = await (await h.request(`${API}/reports/${reportId}/versions/1/breakdown-beneficiaries-by-gender-age.csv`, { as: 'viewer' })).text();
    const girls = csv.split('\r\n').find((l) => l.startsWith('Nữ,'))!;
    expect(girls.split(',')[1]).toBe('<5');
    expect(girls.split(',')).not.toContain('3');
    expect(girls).toContain('*');
  });

  it('IATI XML: no actual for girls aged 0–5, the note says "<5"', async () => {
    const xml = await (await h.request(`${API}/reports/${reportId}/versions/1/iati.xml`, { as: 'viewer' })).text();
    expect(xml).not.toMatch(/<actual value="3">\s*<dimension name="Gender" value="Female"\/>\s*<dimension name="Age" value="0–5 years"\/>/);
    expect(xml).toContain('Female · 0–5 years: &lt;5');
  });

  it('PDF: served by the route, and its text has "<5" in the table, not 3', async () => {
    const res = await h.request(`${API}/reports/${reportId}/versions/1/report.pdf`, { as: 'viewer' });
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const v = await getVersion(h.db, h.demo.orgId, reportId, 1);
    const texts = layoutReportPdf(publishVersion(v), 'vi').pages.flatMap((p) => p.texts);
    expect(texts).toContain('<5');
  });
});
