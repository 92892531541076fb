import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite';
import { suggestMatches } from '../../src/packages/matching';
import { createReport, modelFromJson } from '../../src/reports/versions';
import type { ReportModel } from '../../src/reports/model';
import { generate, ledgerCheck, MODULES, PERIOD, stockCheck, type Exec } from '../../bench/gen';

/**
 * The bench generator at tiny scales on PGlite: every module runs, counts scale, and the data
 * obeys the rules the app and the database enforce (ledger balanced, stock never negative, one
 * package per child per drive, matches only to open eligible children); the report builder and
 * the matching suggestions run on it.
 */
let p: Awaited<ReturnType<typeof openPglite>>;
let exec: Exec;
let small: Awaited<ReturnType<typeof generate>>;
let double: Awaited<ReturnType<typeof generate>>;

beforeAll(async () => {
  p = await openPglite();
  exec = (text) => p.client.query(text) as Promise<{ rows: Record<string, unknown>[] }>;
  small = await generate(exec, { scale: 0.001 });
  double = await generate(exec, { scale: 0.002 });
}, 240_000);
afterAll(() => p?.close());

const rows = (r: typeof small, name: string) => r.modules.find((m) => m.name === name)?.rows ?? {};
const one = async (text: string) => (await exec(text)).rows[0]!;
const num = async (text: string) => Number((await one(text)).n);

describe('bench data generator (scales 0.001 and 0.002)', () => {
  it('generates every module', () => {
    // Then the ledger's day totals, computed in one pass once every module has posted.
    expect(small.modules.map((m) => m.name)).toEqual([...MODULES.map((m) => m.name), 'ledger-day-totals']);
    expect(small.modules.map((m) => m.name)).toEqual(['foundation', 'giving', 'cases', 'grants', 'packages', 'inkind', 'ledger-day-totals']);
    for (const m of [...small.modules, ...double.modules]) expect({ name: m.name, status: m.status, reason: m.reason }).toEqual({ name: m.name, status: 'generated', reason: undefined });
  });

  it('builds the scaled organisation, and twice the scale builds about twice the rows', () => {
    expect(rows(small, 'giving')).toMatchObject({ donors: 200, donations: 1000 });
    expect(rows(small, 'cases')).toMatchObject({ cases: 50, case_services: 200, hotline_calls: 100, outreach_events: 5 });
    expect(rows(small, 'grants')).toMatchObject({ grants: 5, grant_targets: 15 });
    // Refunds (~2%), one receipt per gift plus one correction per refund, 2+ lines per posting.
    const g = rows(small, 'giving');
    expect(g.receipts).toBe(g.donations! + g.refunds!);
    expect(g.ledger_entries!).toBeGreaterThanOrEqual(2 * g.ledger_postings!);
    expect(rows(small, 'cases').case_transitions!).toBeGreaterThanOrEqual(50);
    // ~300 package units and ~100 goods movements per 0.001; drives do not scale.
    expect(rows(small, 'packages').package_units!).toBeGreaterThan(200);
    expect(rows(small, 'packages').package_units!).toBeLessThan(400);
    expect(rows(small, 'packages').package_drives).toBe(100);
    expect(rows(small, 'inkind').stock_movements!).toBeGreaterThan(50);
    expect(rows(small, 'inkind').stock_movements!).toBeLessThan(200);
    expect(rows(double, 'giving')).toMatchObject({ donors: 400, donations: 2000 });
    expect(rows(double, 'cases')).toMatchObject({ cases: 100, case_services: 400 });
    for (const [module, key] of [['packages', 'package_units'], ['inkind', 'stock_movements'], ['inkind', 'inkind_intakes']] as const) {
      const ratio = rows(double, module)[key]! / rows(small, module)[key]!;
      expect({ key, ratio: ratio > 1.5 && ratio < 2.6 }).toEqual({ key, ratio: true });
    }
    // Gifts grow more slowly than units: the 100 drives do not scale, and each drive's first
    // package starts a gift (1.46–1.56× in repeated runs; 1.5 was the old, flaky, lower bound).
    // What scales is the gift's size: 1 to ~4.5 packages on average, larger at the larger scale.
    const giftSize = (r: typeof small) => rows(r, 'packages').package_units! / rows(r, 'packages').package_gifts!;
    const giftRatio = rows(double, 'packages').package_gifts! / rows(small, 'packages').package_gifts!;
    expect(giftRatio).toBeGreaterThan(1.2);
    expect(giftRatio).toBeLessThan(2.6);
    expect(giftSize(small)).toBeGreaterThan(1);
    expect(giftSize(double)).toBeGreaterThan(giftSize(small));
    expect(giftSize(double)).toBeLessThan(4.5);
  });

  it('every posting balances, every gift is posted and receipted, receipts have no gaps, the day totals equal the ledger', async () => {
    for (const r of [small, double]) {
      expect(await ledgerCheck({ exec, orgId: r.orgId })).toEqual({
        unbalancedPostings: 0,
        postingsWithFewerThanTwoLines: 0,
        donationsWithoutPosting: 0,
        donationsWithoutReceipt: 0,
        receiptNumberGaps: 0,
        ledgerDayTotalsDrift: 0,
        campaignDonorsDrift: 0,
      });
      // Not vacuous: the campaign donor counts were rebuilt after the load, one row per campaign and giver.
      expect(Number(rows(r, 'giving').campaign_donors)).toBeGreaterThan(0);
    }
  });

  it('stock is never below zero at any moment, balances follow the movements, the ledger holds the goods at their value', async () => {
    for (const r of [small, double]) {
      expect(await stockCheck({ exec, orgId: r.orgId })).toEqual({ negativeMoments: 0, balancesOffMovements: 0, valuedBatchesWithoutPosting: 0, inKindGoodsOffStockValue: 0 });
    }
    const org = small.orgId;
    const kinds = await exec(`select distinct kind from stock_movements where org_id = '${org}' order by kind`);
    expect(kinds.rows.map((r) => r.kind)).toEqual(expect.arrayContaining(['adjust', 'distribute', 'receive']));
    // Goods go to children only while their case is open, by case id.
    expect(
      await num(`select count(*)::int as n from inkind_distributions d join cases c on c.id = d.case_id
                 where d.org_id = '${org}' and (c.opened_at > (d.distributed_on::timestamp at time zone 'Asia/Ho_Chi_Minh') or c.closed_at <= (d.distributed_on::timestamp at time zone 'Asia/Ho_Chi_Minh'))`),
    ).toBe(0);
    expect(await num(`select count(*)::int as n from inkind_distributions where org_id = '${org}' and kind = 'case'`)).toBeGreaterThan(0);
  });

  it('no child holds two units of one drive without an override, and units go only to open, eligible children', async () => {
    for (const r of [small, double]) {
      const org = r.orgId;
      expect(
        await num(`select count(*)::int as n from (select drive_id, case_id from package_units where org_id = '${org}' and status in ('matched', 'delivered') and override_reason is null
                   group by drive_id, case_id having count(*) > 1) x`),
      ).toBe(0);
      // Open when matched, and within the drive's age band, categories and district.
      expect(
        await num(`select count(*)::int as n from package_units u join package_drives d on d.id = u.drive_id join cases c on c.id = u.case_id join locations l on l.id = c.location_id
                   where u.org_id = '${org}' and (c.opened_at > u.matched_at or c.closed_at <= u.matched_at
                     or (d.min_age is not null and c.birth_year > extract(year from u.matched_at at time zone 'Asia/Ho_Chi_Minh') - d.min_age)
                     or (d.max_age is not null and c.birth_year < extract(year from u.matched_at at time zone 'Asia/Ho_Chi_Minh') - d.max_age)
                     or (cardinality(d.categories) > 0 and not c.categories && d.categories)
                     or (cardinality(d.location_ids) > 0 and not l.parent_id = any(d.location_ids)))`),
      ).toBe(0);
      // Each child's last delivery on the case is the latest of its delivered units (matching ranks by it).
      expect(
        await num(`select count(*)::int as n from sechia_case_last_delivery_drift('${org}')`),
      ).toBe(0);
      expect(await num(`select count(*)::int as n from cases where org_id = '${org}' and last_delivered_at is not null`)).toBeGreaterThan(0);
      // Each gift paid for exactly its packages; each delivered unit moved its value to programme expense once.
      expect(
        await num(`select count(*)::int as n from donations g join (select donation_id, count(*) as q, sum(value_minor) as v from package_units where org_id = '${org}' group by donation_id) u
                   on u.donation_id = g.id where g.quantity <> u.q or g.amount_minor <> u.v or (g.purpose->>'quantity')::int <> u.q`),
      ).toBe(0);
      expect(
        await num(`select count(*)::int as n from package_units u where u.org_id = '${org}' and u.status = 'delivered'
                   and (select count(*) from ledger_postings p where p.org_id = u.org_id and p.key = 'package-delivered:' || u.id || ':' || u.delivery_id) <> 1`),
      ).toBe(0);
      // A closed drive's fund is empty once everything is delivered; deliveries hold at most 500 units.
      expect(
        await num(`select count(*)::int as n from package_drives d where d.org_id = '${org}' and d.status = 'closed'
                   and coalesce((select sum(amount_minor) from ledger_entries e where e.fund_id = d.fund_id and e.account in ('bank', 'cash', 'stripe_balance')), 0) <> 0`),
      ).toBe(0);
      expect(await num(`select count(*)::int as n from package_deliveries where org_id = '${org}' and (unit_count > 500 or unit_count <> (select count(*) from package_units u where u.delivery_id = package_deliveries.id))`)).toBe(0);
    }
  });

  it('leaves the balance trigger on afterwards: an unbalanced posting is still refused', async () => {
    const trig = await exec(`select tgenabled from pg_trigger where tgname = 'ledger_entries_balanced'`);
    expect(trig.rows[0]!.tgenabled).toBe('O');
    await expect(
      exec(`with p as (insert into ledger_postings (org_id, key, kind, occurred_at) values ('${small.orgId}', 'smoke:1', 'manual', now()) returning id, org_id)
            insert into ledger_entries (org_id, posting_id, fund_id, account, amount_minor, currency, occurred_at)
            select p.org_id, p.id, f.id, 'cash', 5, 'VND', now() from p, funds f where f.org_id = p.org_id and f.kind = 'general'`),
    ).rejects.toThrow(/does not balance/);
  });

  it('the impact report builds on the data, for the organisation and a grant, and agrees with the rows', async () => {
    const org = double.orgId;
    const y = PERIOD.reportYear;
    const actor = { userId: null, now: new Date(`${y + 1}-01-15T09:00:00+07:00`) };
    const period = { from: `${y}-01-01`, to: `${y}-12-31` };
    const { version } = await createReport(p.db, org, { scope: { kind: 'organisation' }, period, language: 'vi' }, actor);
    const model: ReportModel = modelFromJson(version.model);
    const value = (id: string) => model.groups.flatMap((g) => g.indicators).find((i) => i.id === id)?.value;
    expect(value('packages-delivered')).toBe(
      await num(`select count(*)::int as n from package_units where org_id = '${org}' and status = 'delivered' and delivered_on between '${period.from}' and '${period.to}'`),
    );
    const spent = await one(`select coalesce(sum(amount_minor), 0)::text as n from ledger_entries where org_id = '${org}' and account = 'programme_expense'
                             and occurred_at >= '${y}-01-01T00:00:00+07' and occurred_at < '${y + 1}-01-01T00:00:00+07'`);
    expect(value('money-spent-direct-support')).toBe(BigInt(String(spent.n)));
    expect(BigInt(String(spent.n))).toBeGreaterThan(0n);
    expect(value('inkind-items-distributed')).toBeGreaterThan(0);
    expect(value('beneficiaries-reached')).toBeGreaterThan(0);
    // Opening + sources − uses = closing, in every currency.
    expect(model.moneyTables.length).toBeGreaterThan(0);
    for (const t of model.moneyTables) {
      const flow = t.sources.reduce((a, l) => a + l.amount, 0n) - t.uses.reduce((a, l) => a + l.amount, 0n);
      expect(t.openingBalance + flow).toBe(t.closingBalance);
    }
    const [grant] = (await exec(`select id from grants where org_id = '${org}' order by code limit 1`)).rows;
    const g = await createReport(p.db, org, { scope: { kind: 'grant', grantId: String(grant!.id) }, period, language: 'vi' }, actor);
    const gm: ReportModel = modelFromJson(g.version.model);
    expect(gm.meta.scope.kind).toBe('grant');
    expect(gm.groups.length).toBeGreaterThan(0);
  });

  it('the matching suggestions run on the latest drive: its open units meet eligible children not yet served', async () => {
    const org = double.orgId;
    const [drive] = (await exec(`select id from package_drives where org_id = '${org}' and status = 'active'`)).rows;
    const open = await num(`select count(*)::int as n from package_units where drive_id = '${drive!.id}' and status = 'funded'`);
    expect(open).toBe(60); // a tenth of the ~600 units, at most 500
    const r = await suggestMatches(p.db, org, String(drive!.id), { asOf: new Date(`${PERIOD.reportYear}-12-31T12:00:00+07:00`), limit: 50 });
    expect(r.fundedTotal).toBe(open);
    expect(r.candidateTotal).toBeGreaterThan(0);
    expect(r.suggestions.length).toBe(Math.min(50, open, r.candidateTotal));
    for (const s of r.suggestions) expect(s.candidate.servedInDrive).toBe(false);
    expect(new Set(r.suggestions.map((s) => s.candidate.caseId)).size).toBe(r.suggestions.length);
  });
});
