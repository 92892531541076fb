import { expect } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { seedCases, seedGiving, seedReports } from '../../src/demo/seed';

export const API = '/api/v1/orgs/hai-phong';
export const NOW = '2026-11-25T03:00:00Z';

/** The harness with the whole demo: foundation, cases (2019 and now), giving, the EFA grant and its first report. */
export async function createReportsHarness(): Promise<{ h: Harness; demo: Awaited<ReturnType<typeof seedReports>> }> {
  const h = await createHarness({ now: NOW });
  await seedCases(h.db, h.demo);
  await seedGiving(h.db, h.demo);
  const demo = await seedReports(h.db, h.demo, h.clock.now());
  return { h, demo };
}

export type JsonCell = { value: number | string; suppressed: boolean };
export interface ReportJson {
  meta: { version: number; period: { from: string; to: string }; scope: { kind: string } };
  indicatorGroups: { id: string; indicators: { id: string; value: JsonCell; target?: number; baseline?: { year: number; value: JsonCell }; achievedBasisPoints?: JsonCell }[] }[];
  breakdowns: { id: string; indicatorId?: string; rows: { key: string }[]; columns: { key: string }[]; cells: JsonCell[][]; grandTotal: JsonCell; columnTotals: JsonCell[]; rowTotals?: JsonCell[] }[];
  moneyTables: { id: string; currency: string; openingBalanceMinor: number; closingBalanceMinor: number; totalSourcesMinor: number; totalUsesMinor: number; sources: { key: string; amountMinor: number }[]; uses: { key: string; amountMinor: number }[] }[];
}

/** Indicator values by id (numbers, or "<5" / "*" when hidden). */
export function values(r: ReportJson): Record<string, number | string> {
  return Object.fromEntries(r.indicatorGroups.flatMap((g) => g.indicators.map((i) => [i.id, i.value.value])));
}

export async function generate(h: Harness, body: Record<string, unknown>, as: 'coordinator' | 'admin' | 'finance' = 'coordinator') {
  const res = await h.request(`${API}/reports`, { as, method: 'POST', json: body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; version: number; versionId: string };
}

export async function file(h: Harness, reportId: string, version: number, name: string, as: 'coordinator' | 'viewer' = 'viewer') {
  const res = await h.request(`${API}/reports/${reportId}/versions/${version}/${name}`, { as });
  expect(res.status, name).toBe(200);
  return res;
}

export async function reportJson(h: Harness, reportId: string, version = 1): Promise<ReportJson> {
  return (await (await file(h, reportId, version, 'report.json')).json()) as ReportJson;
}
