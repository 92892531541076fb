import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { queryRows } from '../../src/db/types';
import { logService } from '../../src/cases/cases';
import { centreFigures, figuresCache } from '../../src/reports/public-figures';
import { adminActor, makeCase } from '../packages/support';

// A centre's public page opens with its year so far in the funder report's own indicators.
let h: Harness;
beforeAll(async () => {
  // 5 January 2026, 10:00 in Hải Phòng: the year has barely begun.
  h = await createHarness({ now: '2026-01-05T03:00:00Z' });
});
afterAll(() => h?.close());

const figure = (html: string, id: string) => new RegExp(`data-figure="${id}"><dt>[^<]*</dt><dd>([^<]*)</dd>`).exec(html)?.[1];

describe("a centre's year so far, on its public page", () => {
  it('shows the year’s figures from the records, a small number of children as “fewer than 5”', async () => {
    const before = await centreFigures(h.db, h.demo.orgId, h.clock.now());
    expect(before.period).toEqual({ from: '2026-01-01', to: '2026-01-05' });
    const reached = before.figures.find((f) => f.id === 'beneficiaries-reached')!;
    expect(reached.value).toEqual({ unit: 'count', value: 0 });
    const page0 = await (await h.request('/c/hai-phong')).text();
    expect(page0).toContain('Năm 2026 đến nay');
    expect(figure(page0, 'beneficiaries-reached')).toBe('0');

    // Three children get a service in the first days of January.
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await makeCase(h, { tag: `YR${i}`, openedOn: '2025-12-01' })).id);
    for (const id of ids.slice(0, 3)) await logService(h.db, adminActor(h), id, { kind: 'counselling', on: '2026-01-03', durationMinutes: 45 });
    // The page keeps its figures a few minutes; ten minutes on, it reads them again.
    h.clock.advance(11 * 60_000);
    const small = await (await h.request('/c/hai-phong')).text();
    expect(figure(small, 'beneficiaries-reached')).toBe('dưới 5');
    expect(small).not.toMatch(/data-figure="beneficiaries-reached"><dt>[^<]*<\/dt><dd>3</);
    expect(figure(await (await h.request('/c/hai-phong?lang=en')).text(), 'beneficiaries-reached')).toBe('fewer than 5');
    expect(small).not.toContain('Hư Cấu');

    for (const id of ids.slice(3)) await logService(h.db, adminActor(h), id, { kind: 'home_visit', on: '2026-01-04', durationMinutes: 60 });
    // One child seen twice still counts once.
    await logService(h.db, adminActor(h), ids[0]!, { kind: 'home_visit', on: '2026-01-04', durationMinutes: 30 });
    h.clock.advance(11 * 60_000);
    const six = await (await h.request('/c/hai-phong')).text();
    expect(figure(six, 'beneficiaries-reached')).toBe('6');
    // Each figure is the report's: packages handed over in the year, as the records count them.
    const [delivered] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from package_units where org_id = ${h.demo.orgId} and status = 'delivered' and delivered_on between '2026-01-01' and '2026-01-05'`);
    expect(figure(six, 'packages-delivered')).toBe(String(delivered!.n));
    expect(figure(six, 'in-kind-value-distributed')).toMatch(/₫$/);
    expect(six).toContain('từ 01/01/2026 đến 05/01/2026');
  });

  it('keeps figures for a while per centre and day, and reads them again after', async () => {
    let calls = 0;
    const cache = figuresCache({ ttlMs: 60_000, max: 2 });
    const db = new Proxy(h.db, { get: (t, k) => (k === 'select' && calls++, Reflect.get(t, k)) });
    const t0 = new Date('2026-01-05T03:00:00Z');
    const a = await cache(db, h.demo.orgId, t0);
    const n = calls;
    expect(n).toBeGreaterThan(0);
    expect(await cache(db, h.demo.orgId, new Date(t0.getTime() + 30_000))).toBe(a);
    expect(calls).toBe(n);
    const b = await cache(db, h.demo.orgId, new Date(t0.getTime() + 61_000));
    expect(b).not.toBe(a);
    expect(calls).toBeGreaterThan(n);
  });
});
