import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { queryRows } from '../../src/db/types';
import { logService } from '../../src/cases/cases';
import { centreFigures, FIGURES_MAX_AGE_MS, pageCentreFigures, refreshCentreFigures } from '../../src/reports/public-figures';
import { adminActor, makeCase } from '../packages/support';
import { createCampaign } from '../../src/giving/campaigns';
import { recordOfflineGift } from '../../src/giving/gifts';

// A centre's public page opens with its year so far in the funder report's own indicators.
let h: Harness;
beforeAll(async () => {
  // 5 January 2026, 10:00 in Hải Phòng: the year has barely begun.
  h = await createHarness({ now: '2026-01-05T03:00:00Z' });
});
afterAll(() => h?.close());

const snapshot = async (orgId: string) =>
  (await queryRows<{ from: string; to: string; at: string; figures: Record<string, { value: unknown } | null> }>(h.db, sql`select period_from::text as from, period_to::text as to, (extract(epoch from computed_at) * 1000)::bigint::text as at, figures from centre_figure_snapshots where org_id = ${orgId}`))[0];

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
    // The page shows its stored figures; once they are old, a visit has them computed again.
    const small = await visitAfterRefresh();
    expect(figure(small, 'beneficiaries-reached')).toBe('dưới 5');
    expect(small).not.toMatch(/data-figure="beneficiaries-reached"><dt>[^<]*<\/dt><dd>3</);
    expect(figure(await (await h.request('/c/hai-phong?lang=en')).text(), 'beneficiaries-reached')).toBe('fewer than 5');
    expect(small).not.toContain('Hư Cấu');

    for (const id of ids.slice(3)) await logService(h.db, adminActor(h), id, { kind: 'home_visit', on: '2026-01-04', durationMinutes: 60 });
    // One child seen twice still counts once.
    await logService(h.db, adminActor(h), ids[0]!, { kind: 'home_visit', on: '2026-01-04', durationMinutes: 30 });
    const six = await visitAfterRefresh();
    expect(figure(six, 'beneficiaries-reached')).toBe('6');
    // Each figure is the report's: packages handed over in the year, as the records count them.
    const [delivered] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from package_units where org_id = ${h.demo.orgId} and status = 'delivered' and delivered_on between '2026-01-01' and '2026-01-05'`);
    expect(figure(six, 'packages-delivered')).toBe(String(delivered!.n));
    expect(figure(six, 'in-kind-value-distributed')).toMatch(/₫$/);
    expect(six).toContain('từ 01/01/2026 đến 05/01/2026');
  });

  it('stores the figures per centre: a visit reads them, old ones are shown and computed again after the response', async () => {
    await visitAfterRefresh();
    const first = (await snapshot(h.demo.orgId))!;
    expect(Number(first.at)).toBe(h.clock.now().getTime());
    expect(first.to).toBe('2026-01-05');
    const reached = Number(figure(await (await h.request('/c/hai-phong')).text(), 'beneficiaries-reached'));
    expect(reached).toBeGreaterThanOrEqual(5);
    expect(first.figures['beneficiaries-reached']).toEqual({ unit: 'count', value: reached });

    // One more child reached: within the limit the page still shows the stored figures.
    const child = await makeCase(h, { tag: 'YRX', openedOn: '2025-12-01' });
    await logService(h.db, adminActor(h), child.id, { kind: 'counselling', on: '2026-01-05', durationMinutes: 30 });
    h.clock.advance(FIGURES_MAX_AGE_MS - 60_000);
    expect(figure(await (await h.request('/c/hai-phong')).text(), 'beneficiaries-reached')).toBe(String(reached));
    expect(Number((await snapshot(h.demo.orgId))!.at)).toBe(Number(first.at));

    // Past the limit: that visit is answered from the stored figures, and new ones are stored after it.
    h.clock.advance(2 * 60_000);
    expect(figure(await (await h.request('/c/hai-phong')).text(), 'beneficiaries-reached')).toBe(String(reached));
    expect(Number((await snapshot(h.demo.orgId))!.at)).toBe(h.clock.now().getTime());
    expect(figure(await (await h.request('/c/hai-phong')).text(), 'beneficiaries-reached')).toBe(String(reached + 1));

    // Another centre's page has its own row; this centre's figures are not its own.
    await h.request('/c/quang-ninh');
    const other = await snapshot(h.demo.otherOrgId);
    expect(other).toBeDefined();
    expect(other!.figures['beneficiaries-reached']).not.toEqual({ unit: 'count', value: reached + 1 });
  });

  it('many visits to old figures: one of them computes the next', async () => {
    h.clock.advance(FIGURES_MAX_AGE_MS + 60_000);
    const now = h.clock.now();
    const visits = await Promise.all([1, 2, 3].map(() => pageCentreFigures(h.db, h.demo.orgId, now)));
    expect(visits.every((v) => v.refresh !== null)).toBe(true);
    const done = await Promise.all(visits.map((v) => v.refresh!()));
    expect(done.filter((d) => d !== null)).toHaveLength(1);
    // Afterwards the figures are fresh: no visit computes them again.
    expect((await pageCentreFigures(h.db, h.demo.orgId, now)).refresh).toBeNull();
  });

  it('a refresh overtaken by a newer one does not put its older figures back', async () => {
    const now = h.clock.now();
    await refreshCentreFigures(h.db, h.demo.orgId, now);
    // The slower refresh, begun a minute earlier, finishes last.
    await refreshCentreFigures(h.db, h.demo.orgId, new Date(now.getTime() - 60_000));
    expect(Number((await snapshot(h.demo.orgId))!.at)).toBe(now.getTime());
    // Last year's refresh finishing after this year's figures were stored does not put them back either.
    await refreshCentreFigures(h.db, h.demo.orgId, new Date('2025-12-31T16:59:00Z'));
    expect((await snapshot(h.demo.orgId))!.from).toBe('2026-01-01');
  });

  it('visits that find no usable figures at once wait for one computation, not one each', async () => {
    const now = h.clock.now();
    await h.db.execute(sql`update centre_figure_snapshots set period_from = '2025-01-01', period_to = '2025-12-31' where org_id = ${h.demo.orgId}`);
    let stores = 0;
    const counting = new Proxy(h.db, {
      get(target, prop, receiver) {
        if (prop === 'insert') stores++;
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const visits = await Promise.all([1, 2, 3].map(() => pageCentreFigures(counting, h.demo.orgId, now)));
    expect(stores).toBe(1);
    const truth = await centreFigures(h.db, h.demo.orgId, now);
    for (const v of visits) expect(v.figures.figures.map((f) => f.value)).toEqual(truth.figures.map((f) => f.value));
    // Once stored, a visit reads them: nothing is computed.
    await pageCentreFigures(counting, h.demo.orgId, now);
    expect(stores).toBe(1);
  });

  it('computes the figures while the visitor waits when the stored ones are last year’s or not what the page publishes', async () => {
    const now = h.clock.now();
    await pageCentreFigures(h.db, h.demo.orgId, now);
    const truth = await centreFigures(h.db, h.demo.orgId, now);
    const reachedOf = (f: Awaited<ReturnType<typeof centreFigures>>) => f.figures.find((x) => x.id === 'beneficiaries-reached')!.value;
    // Last year's figures, however recent, are not this year's.
    await h.db.execute(sql`update centre_figure_snapshots set period_from = '2025-01-01', period_to = '2025-12-31', figures = jsonb_set(figures, '{beneficiaries-reached,value}', '999') where org_id = ${h.demo.orgId}`);
    const afterYear = await pageCentreFigures(h.db, h.demo.orgId, now);
    expect(afterYear.refresh).toBeNull();
    expect(afterYear.figures.period).toEqual(truth.period);
    expect(reachedOf(afterYear.figures)).toEqual(reachedOf(truth));
    // A small count in a stored row (written under another rule, or by hand) is withheld all the same.
    await h.db.execute(sql`update centre_figure_snapshots set figures = jsonb_set(figures, '{beneficiaries-reached}', '{"unit": "count", "value": 3}') where org_id = ${h.demo.orgId}`);
    const small = await pageCentreFigures(h.db, h.demo.orgId, now);
    expect(small.refresh).toBeNull();
    expect(reachedOf(small.figures)).toBeNull();
    // A row this code cannot read as its figures (a removed figure, a wrong unit) is computed again and replaced.
    for (const broken of [sql`figures - 'donors-giving'`, sql`jsonb_set(figures, '{packages-delivered}', '{"unit": "money", "value": "5"}')`, sql`jsonb_set(figures, '{beneficiaries-reached,value}', '-3')`]) {
      await h.db.execute(sql`update centre_figure_snapshots set figures = ${broken} where org_id = ${h.demo.orgId}`);
      const again = await pageCentreFigures(h.db, h.demo.orgId, now);
      expect(again.refresh).toBeNull();
      expect(again.figures.figures.map((f) => f.value)).toEqual(truth.figures.map((f) => f.value));
      const ok = await pageCentreFigures(h.db, h.demo.orgId, now);
      expect(ok.figures.figures.map((f) => f.value)).toEqual(truth.figures.map((f) => f.value));
    }
    // A row written before the campaign cards were kept (or with a card it cannot read) is computed again too.
    const card = await createCampaign(h.db, h.demo.orgId, { slug: 'the-chan', title: 'Thẻ chăn ấm', goalMinor: 1_000_000n, currency: 'VND', status: 'active' });
    await recordOfflineGift(h.db, h.demo.orgId, { campaignId: card.id, channel: 'cash', amountMinor: 250_000n, currency: 'VND', receivedOn: '2026-01-04', reference: 'PT-FIG-1' }, { appUrl: 'http://localhost:8787', today: '2026-01-05' });
    await refreshCentreFigures(h.db, h.demo.orgId, now);
    const cards = (await centreFigures(h.db, h.demo.orgId, now)).campaigns;
    expect(cards.get(card.id)).toEqual({ raisedMinor: 250_000n, donorCount: 1, delivered: 0 });
    const someId = card.id;
    for (const broken of [sql`null`, sql`jsonb_set(campaigns, ${`{${someId}}`}::text[], '{"raised": "1.5", "donors": 1, "delivered": 0}')`]) {
      await h.db.execute(sql`update centre_figure_snapshots set campaigns = ${broken} where org_id = ${h.demo.orgId}`);
      const again = await pageCentreFigures(h.db, h.demo.orgId, now);
      expect(again.refresh).toBeNull();
      expect(again.figures.campaigns).toEqual(cards);
      const [stored] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from jsonb_object_keys((select campaigns from centre_figure_snapshots where org_id = ${h.demo.orgId}))`);
      expect(stored!.n).toBe(cards.size);
    }
  });
});

/** Lets the stored figures grow old, then visits twice: the first visit has them computed again. */
async function visitAfterRefresh(path = '/c/hai-phong') {
  h.clock.advance(FIGURES_MAX_AGE_MS + 60_000);
  await h.request(path);
  return (await h.request(path)).text();
}
