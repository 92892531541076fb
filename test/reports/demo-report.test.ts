import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness';
import { DEMO_GRANT } from '../../src/reports/seed';
import { createReportsHarness, generate, reportJson, values, type ReportJson } from './support';

/*
 * Report generation on the seeded demo data, for fixed periods, compared with figures worked
 * out by hand from the demo's construction (src/cases/demo.ts, src/giving/seed.ts,
 * src/reports/seed.ts). The same file runs on PGlite, PostgreSQL (Neon driver) and workerd, so
 * all three runtimes must produce these identical numbers.
 */

let h: Harness;
let demo: Awaited<ReturnType<typeof createReportsHarness>>['demo'];
beforeAll(async () => {
  ({ h, demo } = await createReportsHarness());
}, 180_000);
afterAll(() => h?.close());

describe('organisation report, January to September 2019 (DOMAIN.md figures)', () => {
  let r: ReportJson;
  beforeAll(async () => {
    const g = await generate(h, { scope: 'organisation', periodFrom: '2019-01-01', periodTo: '2019-09-30', language: 'vi' });
    r = await reportJson(h, g.id);
  });

  it('case management: 72 cases handled, 67 closed, 5 still in intervention, 311 hotline calls', () => {
    const v = values(r);
    expect(v['hotline-calls']).toBe(311);
    expect(v['cases-opened']).toBe(72);
    expect(v['cases-handled']).toBe(72);
    expect(v['cases-closed']).toBe(67);
    expect(v['cases-open-at-end']).toBe(5);
    expect(v['services-counselling']).toBe(8);
  });

  it('outreach: 34 conferences for 3,912 delegates, 14 trainings for 1,218, 8 early-detection sessions for 1,000, 9 life-skills trainings for 712 children, and the materials', () => {
    const v = values(r);
    expect([v['awareness-conferences'], v['awareness-conferences-participants']]).toEqual([34, 3912]);
    expect([v['trainings'], v['trainings-participants']]).toEqual([14, 1218]);
    expect([v['early-detection-sessions'], v['early-detection-sessions-participants']]).toEqual([8, 1000]);
    expect([v['life-skills-trainings'], v['life-skills-trainings-participants']]).toEqual([9, 712]);
    expect([v['materials-leaflets'], v['materials-posters'], v['materials-questionnaires']]).toEqual([14500, 225, 600]);
  });

  it('beneficiaries reached: the 72 cases minus the 5 declined at intake, who received no service', () => {
    expect(values(r)['beneficiaries-reached']).toBe(67);
    for (const b of r.breakdowns.filter((x) => x.indicatorId === 'beneficiaries-reached')) expect(b.grandTotal.value).toBe(67);
  });

  it('money: EFA-Japan’s 50,000,000 đ of December 2018 is the opening and closing balance; nothing moved in 2019', () => {
    const v = values(r);
    for (const id of ['money-received-online', 'money-received-bank', 'money-received-cash', 'money-received-grant', 'money-spent-direct-support', 'donors-giving']) expect(v[id], id).toBe(0);
    const m = r.moneyTables[0]!;
    expect([m.currency, m.openingBalanceMinor, m.totalSourcesMinor, m.totalUsesMinor, m.closingBalanceMinor]).toEqual(['VND', 50_000_000, 0, 0, 50_000_000]);
  });
});

describe('the demo grant’s first report (EFA-Japan 2026, first half-year), version 1 from the seed', () => {
  let r: ReportJson;
  beforeAll(async () => {
    r = await reportJson(h, demo.reportId, 1);
  });

  it('is the stored version 1 of a grant report for January to June 2026', () => {
    expect(r.meta.version).toBe(1);
    expect(r.meta.scope.kind).toBe('grant');
    expect(r.meta.period).toEqual(DEMO_GRANT.firstReport);
  });

  it('money: 120,000,000 đ received from EFA-Japan, 40,000,000 đ spent on early intervention, 80,000,000 đ left', () => {
    const v = values(r);
    expect(v['money-received-grant']).toBe(120_000_000);
    expect(v['money-spent-direct-support']).toBe(40_000_000);
    expect(v['donors-giving']).toBe(1);
    expect(v['donors-retained']).toBe(1); // EFA-Japan gave in 2018 too
    const m = r.moneyTables[0]!;
    expect(m.sources).toEqual([expect.objectContaining({ key: 'grant', amountMinor: 120_000_000 })]);
    expect(m.uses).toEqual([expect.objectContaining({ key: 'direct-support', amountMinor: 40_000_000 })]);
    expect([m.openingBalanceMinor, m.closingBalanceMinor]).toEqual([0, 80_000_000]);
  });

  it('targets: 40,000,000 of 200,000,000 đ spent is 20% achieved', () => {
    const spent = r.indicatorGroups.flatMap((g) => g.indicators).find((i) => i.id === 'money-spent-direct-support')!;
    expect(spent.target).toBe(200_000_000);
    expect(spent.achievedBasisPoints?.value).toBe(2000);
    const reached = r.indicatorGroups.flatMap((g) => g.indicators).find((i) => i.id === 'beneficiaries-reached')!;
    expect(reached.target).toBe(30);
    expect(reached.baseline?.year).toBe(2025);
  });

  it('counts only cases of the grant’s purpose (autism, HIV): no hotline or outreach figures it cannot be credited with', () => {
    const v = values(r);
    expect(v['hotline-calls']).toBeUndefined();
    expect(v['awareness-conferences']).toBeUndefined();
    // Weekly therapy of the autism group: every therapy session of the half-year is for a child in scope.
    expect(typeof v['services-therapy']).toBe('number');
  });
});
