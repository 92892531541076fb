import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { seedCases } from '../../src/demo/seed';
import { caseAgeBand, countOpenCases, listEligibleOpenCases } from '../../src/cases/cases';
import { caseActivitySummary } from '../../src/cases/activity';
import { caseIdentities, cases } from '../../src/db/schema';
import { eq } from 'drizzle-orm';

let h: Harness;
const NOW = new Date('2026-11-25T03:00:00Z');
beforeAll(async () => {
  h = await createHarness({ now: NOW.toISOString() });
  const started = Date.now();
  await seedCases(h.db, h.demo);
  // Bulk inserts keep the demo seed quick even through the Neon driver.
  expect(Date.now() - started).toBeLessThan(20_000);
});
afterAll(() => h?.close());

describe('age bands', () => {
  it('buckets by the age reached in the year of asOf', () => {
    const asOf = new Date('2026-06-01T00:00:00Z');
    expect(caseAgeBand(2026, asOf)).toBe('0-5');
    expect(caseAgeBand(2021, asOf)).toBe('0-5');
    expect(caseAgeBand(2020, asOf)).toBe('6-10');
    expect(caseAgeBand(2016, asOf)).toBe('6-10');
    expect(caseAgeBand(2015, asOf)).toBe('11-15');
    expect(caseAgeBand(2011, asOf)).toBe('11-15');
    expect(caseAgeBand(2010, asOf)).toBe('16-17');
    expect(caseAgeBand(2009, asOf)).toBe('16-17');
    expect(caseAgeBand(2008, asOf)).toBe('18-59');
    expect(caseAgeBand(1967, asOf)).toBe('18-59');
    expect(caseAgeBand(1966, asOf)).toBe('60+');
    expect(caseAgeBand(2030, asOf)).toBe('0-5');
    // Vietnam time: 31 Dec 2025 20:00 UTC is already 2026 in Hải Phòng.
    expect(caseAgeBand(2008, new Date('2025-12-31T20:00:00Z'))).toBe('18-59');
  });
});

describe('the Hải Phòng demo cases', () => {
  it('reproduce the January–September 2019 figures of the source documents', async () => {
    const s = await caseActivitySummary(h.db, h.demo.orgId, { from: '2019-01-01', to: '2019-09-30' });
    expect(s.hotlineCalls).toBe(311);
    expect(s.services.counselling.count).toBe(8);
    expect(s.cases.handled).toBe(72);
    expect(s.cases.opened).toBe(72);
    expect(s.cases.closed).toBe(67);
    expect(s.cases.atEnd).toEqual({ intake: 0, assessment: 0, intervention: 5, closed: 67 });
    expect(s.outreach.awareness_conference.events).toBe(34);
    expect(s.outreach.awareness_conference.participants).toBeGreaterThanOrEqual(3900);
    expect(s.outreach.training.events).toBe(14);
    expect(s.outreach.training.participants).toBeGreaterThanOrEqual(1200);
    expect(s.outreach.early_detection.events).toBe(8);
    expect(Math.abs(s.outreach.early_detection.participants - 1000)).toBeLessThanOrEqual(50);
    expect(s.outreach.life_skills.events).toBe(9);
    expect(s.outreach.life_skills.participants).toBeGreaterThanOrEqual(700);
    expect(s.materials).toEqual({ leaflets: 14_500, posters: 225, questionnaires: 600 });
    // Therapy: three children in weekly intervention for developmental disorders.
    expect(s.services.therapy.count).toBeGreaterThan(0);
  });

  it('has open cases of children to match gift packages to: Tiên Hưng, autism, HIV', async () => {
    const { items: children } = await listEligibleOpenCases(h.db, h.demo.orgId, { minAge: 0, maxAge: 17, asOf: NOW });
    expect(children.length).toBeGreaterThanOrEqual(40);
    const { items: tienHung } = await listEligibleOpenCases(h.db, h.demo.orgId, { maxAge: 17, locationIds: [h.demo.locations.tienHung], asOf: NOW });
    expect(tienHung.length).toBeGreaterThanOrEqual(25);
    const { items: autism } = await listEligibleOpenCases(h.db, h.demo.orgId, { maxAge: 17, categories: ['autism_developmental'], asOf: NOW });
    expect(autism.length).toBeGreaterThanOrEqual(20);
    const { items: hiv } = await listEligibleOpenCases(h.db, h.demo.orgId, { maxAge: 17, categories: ['hiv_affected'], asOf: NOW });
    expect(hiv.length).toBeGreaterThanOrEqual(10);
    const kinds = new Set(children.flatMap((c) => c.categories));
    expect(kinds.size).toBeGreaterThanOrEqual(6);
    for (const c of children) {
      expect(Object.keys(c).sort()).toEqual(['ageBand', 'birthYear', 'categories', 'code', 'gender', 'id', 'locationId', 'openedAt', 'urgency']);
      expect(['0-5', '6-10', '11-15', '16-17']).toContain(c.ageBand);
    }
    // Most urgent first.
    const order = ['critical', 'high', 'medium', 'low'];
    const ranks = children.map((c) => order.indexOf(c.urgency));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(await countOpenCases(h.db, h.demo.orgId)).toBeGreaterThan(children.length);
  });

  it('gives eligible cases a page at a time, the pages adding up to the whole list, with the total', async () => {
    const whole = await listEligibleOpenCases(h.db, h.demo.orgId, { maxAge: 17, asOf: NOW });
    expect(whole.total).toBe(whole.items.length);
    const pages: string[] = [];
    for (let offset = 0; offset < whole.total + 7; offset += 7) {
      const page = await listEligibleOpenCases(h.db, h.demo.orgId, { maxAge: 17, asOf: NOW }, { limit: 7, offset });
      expect(page.total, `offset ${offset}`).toBe(whole.total);
      pages.push(...page.items.map((c) => c.id));
    }
    expect(pages).toEqual(whole.items.map((c) => c.id));

    const api = async (q: string) => h.request(`/api/v1/orgs/hai-phong/cases/eligible?maxAge=17&asOf=2026-11-25&${q}`, { as: 'coordinator' });
    const first = (await (await api('limit=5')).json()) as { items: { id: string }[]; total: number };
    expect(first).toMatchObject({ total: whole.total });
    expect(first.items.map((c) => c.id)).toEqual(whole.items.slice(0, 5).map((c) => c.id));
    const byDefault = (await (await api('')).json()) as { items: unknown[] };
    expect(byDefault.items).toHaveLength(Math.min(100, whole.total));
    for (const bad of ['limit=0', 'limit=501', 'offset=-1', 'limit=abc']) {
      const res = await api(bad);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('uses codes without gaps per year and obviously fictional names', async () => {
    const rows = await h.db.select({ code: cases.code, year: cases.year, seq: cases.seq }).from(cases).where(eq(cases.orgId, h.demo.orgId));
    const byYear = new Map<number, number[]>();
    for (const r of rows) byYear.set(r.year, [...(byYear.get(r.year) ?? []), r.seq]);
    expect(byYear.get(2019)!.length).toBe(72);
    for (const seqs of byYear.values()) expect(seqs.sort((a, b) => a - b)).toEqual(seqs.map((_, i) => i + 1));
    expect(rows.map((r) => r.code)).toContain('HP-2019-0072');
    const names = await h.db.select({ n: caseIdentities.fullName }).from(caseIdentities).where(eq(caseIdentities.orgId, h.demo.orgId));
    const present = names.map((n) => n.n).filter((n): n is string => !!n);
    expect(present.length).toBeGreaterThan(100);
    for (const n of present) expect(n).toContain('Hư Cấu');
  });
});
