import { COMMUNES_PER_DISTRICT, DISTRICTS, OFFICES, STAFF, communeId, officeId } from './foundation';
import { count, rowId, u, uid, uidText, type GenContext, type GenModule } from './types';

/**
 * In-kind goods (issue 6): about 100,000 stock movements at scale 1 over the five years, as
 * src/inkind/stock.ts and counts.ts write them:
 * - a catalogue of 24 items with a fair value each; 13 storage offices (foundation);
 * - intakes from the giving module's donors (some unknown), 1–4 lines of 10–200 units;
 * - each intake line is ten equal shares: shares 1–8 go out in 1–4 distributions (to one
 *   open child's case by id, or at a group event in a commune), share 9 is written off as
 *   damaged or expired for a quarter of intakes, share 10 stays on the shelf; for 15% of
 *   intakes the first distribution's goods are first transferred to another office;
 * - a few goods come back from case distributions (returns);
 * - a year-end stock count at every office holding goods (31 Dec of the last year), confirmed,
 *   with count corrections for the lines counted differently;
 * - the in-kind ledger postings per operation (`inkind:<batch>`, general fund): income into
 *   `in_kind_goods` for goods received or found, `in_kind_distributed` for goods given out or
 *   written off, reversed for returns, nothing for transfers.
 * Every outgoing movement takes goods received strictly earlier at that office (by its own lot),
 * so stock is never below zero at any moment. The movements are inserted in date order in one
 * statement, so the database's own balance trigger and CHECK (quantity >= 0) replay the history
 * and would refuse the load otherwise. Each item keeps one unit value, so the app's average-cost
 * valuation gives every movement exactly quantity × value.
 * Not generated: acknowledgement emails (the mail outbox), open or cancelled counts, package draws
 * (the bench's package types hold no goods).
 */

const ITEMS: [string, string, string, number, string][] = [
  ['Áo ấm trẻ em', 'clothing', 'piece', 150_000, 'market_survey'],
  ['Bộ đồng phục học sinh', 'clothing', 'set', 200_000, 'donor_invoice'],
  ['Giày dép', 'clothing', 'pair', 120_000, 'market_survey'],
  ['Chăn ấm', 'clothing', 'piece', 250_000, 'market_survey'],
  ['Vở học sinh', 'school_supplies', 'book', 10_000, 'donor_invoice'],
  ['Bộ bút, thước', 'school_supplies', 'set', 30_000, 'market_survey'],
  ['Cặp sách', 'school_supplies', 'piece', 180_000, 'donor_invoice'],
  ['Bộ sách giáo khoa', 'school_supplies', 'set', 150_000, 'donor_invoice'],
  ['Máy tính cầm tay', 'school_supplies', 'piece', 250_000, 'market_survey'],
  ['Đồ chơi lắp ghép', 'toys', 'box', 120_000, 'staff_estimate'],
  ['Gấu bông', 'toys', 'piece', 80_000, 'staff_estimate'],
  ['Bóng đá', 'toys', 'piece', 100_000, 'market_survey'],
  ['Gạo', 'food', 'kg', 18_000, 'market_survey'],
  ['Sữa hộp', 'food', 'box', 12_000, 'donor_invoice'],
  ['Mì gói', 'food', 'pack', 5_000, 'market_survey'],
  ['Dầu ăn', 'food', 'bottle', 45_000, 'market_survey'],
  ['Bánh kẹo', 'food', 'pack', 40_000, 'staff_estimate'],
  ['Xà phòng', 'hygiene', 'piece', 15_000, 'market_survey'],
  ['Kem đánh răng', 'hygiene', 'piece', 25_000, 'market_survey'],
  ['Băng vệ sinh', 'hygiene', 'pack', 30_000, 'market_survey'],
  ['Khăn mặt', 'hygiene', 'piece', 20_000, 'staff_estimate'],
  ['Khẩu trang', 'medical', 'box', 50_000, 'donor_invoice'],
  ['Vitamin tổng hợp', 'medical', 'bottle', 120_000, 'donor_invoice'],
  ['Đèn học', 'other', 'piece', 200_000, 'market_survey'],
];
/** Consecutive lines of an intake take items 7 apart in the catalogue (7 and 24 coprime: distinct items). */
const ITEM_STEP = 7;

const CASEWORKERS = STAFF - 14;
const staff = (ctx: GenContext, k: string) => uid(ctx, 'user', `15 + (${k}) % ${CASEWORKERS}`);
/** Share count of distribution dj of nd: shares 1–8 dealt round-robin. */
const shares = (dj: string, nd: string) => `(floor((8 - ${dj}) / ${nd}) + 1)::int`;
const dayStart = (d: string) => `((${d})::timestamp at time zone 'Asia/Ho_Chi_Minh')`;

/**
 * The operations, derived from the intake number j alone (plus the cases table, to know which
 * child was open that day): intakes `it`, their lines `ln`, distributions `ds`. Ops dated after
 * the last day before the count have not happened yet.
 */
function opsCtes(ctx: GenContext, intakes: number, donors: number, cases: number, lastDay: string) {
  const day0 = `(timestamptz '${ctx.from}' at time zone 'Asia/Ho_Chi_Minh')::date`;
  return `with
  it as (
    select j, r.o, r.t, r.nl, r.nd, r.o2, r.t + 1 as tr_day,
           r.tr < 0.15 and r.nd >= 2 and r.t + 1 <= date '${lastDay}' as transferred,
           r.dmg < 0.25 and r.t + r.dmg_days <= date '${lastDay}' as damaged, r.t + r.dmg_days as dmg_day,
           case when r.dmg < 0.125 then 'expired' else 'damaged' end as dmg_reason,
           case when r.anon < 0.15 then null else ${uid(ctx, 'donor', `1 + floor(r.dn * ${donors})::int`)} end as donor_id
    from generate_series(1, ${intakes}) j,
    lateral (select floor(${u('j', 'io')} * ${OFFICES})::int as o, ${day0} + floor(${u('j', 'it')} * 1826)::int as t,
                    1 + floor(${u('j', 'il')} * 4)::int as nl, 1 + floor(${u('j', 'nd')} * 4)::int as nd, ${u('j', 'tr')} as tr, ${u('j', 'dmg')} as dmg,
                    20 + floor(${u('j', 'dd')} * 180)::int as dmg_days, ${u('j', 'an')} as anon, ${u('j', 'dn')} as dn, ${u('j', 'o2')} as o2r offset 0) r0,
    lateral (select r0.*, (r0.o + 1 + floor(r0.o2r * ${OFFICES - 1})::int) % ${OFFICES} as o2 offset 0) r
    where r.t <= date '${lastDay}'),
  ln as (
    select it.j, l, 1 + (floor(${u('it.j', 'ib')} * ${ITEMS.length})::int + (l - 1) * ${ITEM_STEP}) % ${ITEMS.length} as item_no,
           1 + floor(${u("it.j || ':' || l", 'qa')} * 20)::int as a,
           (array['new','good','used'])[1 + floor(${u("it.j || ':' || l", 'cond')} * 3)::int] as condition
    from it, generate_series(1, it.nl) l),
  ds0 as (
    select it.j, dj, it.t + 2 + floor(${u("it.j || ':' || dj", 'dday')} * 60)::int as day,
           case when dj = 1 and it.transferred then it.o2 else it.o end as o,
           ${u("it.j || ':' || dj", 'dkind')} < 0.7 as to_case, ${uid(ctx, 'case', `1 + floor(${u("it.j || ':' || dj", 'dk')} * ${cases})::int`)} as case_id,
           ${u("it.j || ':' || dj", 'ret')} < 0.06 as returns
    from it, generate_series(1, it.nd) dj),
  ds as (
    select ds0.j, ds0.dj, ds0.day, ds0.o, case when c.id is not null then 'case' else 'event' end as kind, c.id as case_id,
           ds0.returns and c.id is not null and ds0.day + 3 + floor(${u("ds0.j || ':' || ds0.dj", 'rday')} * 20)::int <= date '${lastDay}' as returned,
           ds0.day + 3 + floor(${u("ds0.j || ':' || ds0.dj", 'rday')} * 20)::int as ret_day
    from ds0
    left join cases c on ds0.to_case and c.id = ds0.case_id and c.opened_at < ${dayStart('ds0.day')} and (c.closed_at is null or c.closed_at > ${dayStart('ds0.day + 1')})
    where ds0.day <= date '${lastDay}'),
  item as (select n as item_no, ${uid(ctx, 'item', 'n')} as item_id, v as value from unnest(array[${ITEMS.map((i) => i[3]).join(',')}]::bigint[]) with ordinality x(v, n))`;
}

export const inkindModule: GenModule = {
  name: 'inkind',
  tables: ['inkind_items', 'inkind_settings', 'inkind_intakes', 'inkind_distributions', 'stock_movements', 'stock_balances', 'stock_counts', 'stock_count_lines'],
  async generate(ctx) {
    const org = ctx.orgId;
    const I = ctx.n(10_000);
    const D = ctx.n(200_000);
    const N = ctx.n(50_000);
    const to = ctx.to.slice(0, 10);
    // The count is on the last day of the period; every other movement is dated before it.
    const countDay = new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const lastDay = new Date(Date.parse(`${countDay}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const ops = opsCtes(ctx, I, D, N, lastDay);

    await ctx.exec(
      `insert into inkind_items (id, org_id, name_vi, category, unit, unit_value_minor, currency, valuation_source, created_at)
       values ${ITEMS.map(([name, cat, unit, value, source], n) => `(${uid(ctx, 'item', String(n + 1))}, '${org}', '${name}', '${cat}', '${unit}', ${value}, 'VND', '${source}', timestamptz '${ctx.from}')`).join(',\n')}`,
    );
    await ctx.exec(`insert into inkind_settings (org_id, ack_states_value) values ('${org}', false)`);
    await ctx.exec(
      `${ops}
       insert into inkind_intakes (id, org_id, donor_id, anonymous, received_on, location_id, ack_states_value, note, created_by, created_at)
       select ${uid(ctx, 'intake', 'j')}, '${org}', donor_id, false, t, ${officeId(ctx, 'o')}, null, null, ${staff(ctx, 'j')}, ${dayStart('t')} + interval '15 hours'
       from it`,
    );
    await ctx.exec(
      `${ops}
       insert into inkind_distributions (id, org_id, kind, distributed_on, location_id, case_id, event_name, headcount, place_location_id, place, note, created_by, created_at)
       select ${uidText(ctx, 'distribution', "j || ':' || dj")}, '${org}', kind, day, ${officeId(ctx, 'o')}, case_id,
              case when kind = 'event' then 'Trao quà tại xã ' || x.commune end,
              case when kind = 'event' then 10 + floor(${u("j || ':' || dj", 'hc')} * 140)::int end,
              case when kind = 'event' then ${communeId(ctx, 'x.commune')} end, null, null, ${staff(ctx, 'j + dj')}, ${dayStart('day')} + interval '16 hours'
       from ds, lateral (select case when o = 0 then 1 + floor(${u("j || ':' || dj", 'pl')} * ${DISTRICTS * COMMUNES_PER_DISTRICT})::int
                                     else (o - 1) * ${COMMUNES_PER_DISTRICT} + 1 + floor(${u("j || ':' || dj", 'pl')} * ${COMMUNES_PER_DISTRICT})::int end as commune offset 0) x`,
    );

    // Every movement before the count, in date order (goods in before goods out on a day), so the
    // balance trigger replays the history; the CHECK on stock_balances refuses any negative moment.
    await ctx.exec(
      `${ops},
       mv as (
         select ln.item_no, it.o, 'receive' as kind, 10 * ln.a as q, ln.condition, null as reason, ${uid(ctx, 'intake', 'it.j')} as intake_id, null::uuid as distribution_id,
                ${uid(ctx, 'ibatch', 'it.j')} as batch_id, it.t as day, ${staff(ctx, 'it.j')} as by_user
         from it join ln on ln.j = it.j
         union all
         select ln.item_no, side.o, side.kind, side.sign * ln.a * ${shares('1', 'it.nd')}, null, null, null, null, ${uid(ctx, 'tbatch', 'it.j')}, it.tr_day, ${staff(ctx, 'it.j')}
         from it join ln on ln.j = it.j cross join lateral (values (it.o, 'transfer_out', -1), (it.o2, 'transfer_in', 1)) side(o, kind, sign)
         where it.transferred
         union all
         select ln.item_no, ds.o, 'distribute', -ln.a * ${shares('ds.dj', 'it.nd')}, null, null, null, ${uidText(ctx, 'distribution', "ds.j || ':' || ds.dj")},
                ${uidText(ctx, 'dbatch', "ds.j || ':' || ds.dj")}, ds.day, ${staff(ctx, 'ds.j + ds.dj')}
         from ds join it on it.j = ds.j join ln on ln.j = ds.j
         union all
         select ln.item_no, it.o, 'adjust', -ln.a, null, it.dmg_reason, null, null, ${uid(ctx, 'abatch', 'it.j')}, it.dmg_day, ${staff(ctx, 'it.j')}
         from it join ln on ln.j = it.j where it.damaged
         union all
         select ln.item_no, ds.o, 'return', greatest(1, ln.a / 2), 'good', null, null, ${uidText(ctx, 'distribution', "ds.j || ':' || ds.dj")},
                ${uidText(ctx, 'rbatch', "ds.j || ':' || ds.dj")}, ds.ret_day, ${staff(ctx, 'ds.j + ds.dj')}
         from ds join ln on ln.j = ds.j and ln.l = 1 where ds.returned)
       insert into stock_movements (org_id, item_id, location_id, kind, quantity, unit_value_minor, value_minor, currency, condition, reason, note,
         intake_id, distribution_id, count_id, batch_id, occurred_at, created_by, created_at)
       select '${org}', item.item_id, ${officeId(ctx, 'mv.o')}, mv.kind, mv.q, item.value, mv.q * item.value, 'VND', mv.condition, mv.reason, null,
              mv.intake_id, mv.distribution_id, null, mv.batch_id, ${dayStart('mv.day')}, mv.by_user, ${dayStart('mv.day')} + interval '17 hours'
       from mv join item on item.item_no = mv.item_no
       order by mv.day, mv.q > 0 desc, mv.batch_id`,
    );

    // Year-end count at every office with goods: the sheet is what the balances say, a tenth of
    // the lines are counted differently, and the confirmation posts those differences.
    const started = `timestamptz '${countDay} 09:00:00+07'`;
    const confirmed = `timestamptz '${countDay} 16:00:00+07'`;
    await ctx.exec(
      `insert into stock_counts (id, org_id, location_id, status, started_at, confirmed_at, created_by, created_at)
       select ${uidText(ctx, 'count', 'b.location_id')}, '${org}', b.location_id, 'confirmed', ${started}, ${confirmed}, ${staff(ctx, 'row_number() over (order by b.location_id)')}, ${started}
       from (select distinct location_id from stock_balances where org_id = '${org}' and quantity > 0) b`,
    );
    await ctx.exec(
      `insert into stock_count_lines (count_id, item_id, expected_quantity, counted_quantity)
       select ${uidText(ctx, 'count', 'b.location_id')}, b.item_id, b.quantity,
              case when ${u("b.item_id::text || b.location_id::text", 'cd')} < 0.1
                   then greatest(0, b.quantity + (array[-3,-2,-1,1,2])[1 + floor(${u("b.item_id::text || b.location_id::text", 'cv')} * 5)::int]) else b.quantity end
       from stock_balances b where b.org_id = '${org}' and b.quantity > 0`,
    );
    await ctx.exec(
      `insert into stock_movements (org_id, item_id, location_id, kind, quantity, unit_value_minor, value_minor, currency, reason, count_id, batch_id, occurred_at, created_by, created_at)
       select '${org}', l.item_id, c.location_id, 'adjust', l.counted_quantity - l.expected_quantity, i.unit_value_minor,
              (l.counted_quantity - l.expected_quantity) * i.unit_value_minor, 'VND', 'count_correction', c.id, ${uidText(ctx, 'cbatch', 'c.id')}, ${confirmed}, c.created_by, ${confirmed}
       from stock_counts c join stock_count_lines l on l.count_id = c.id join inkind_items i on i.id = l.item_id
       where c.org_id = '${org}' and l.counted_quantity <> l.expected_quantity
       order by c.id, l.item_id`,
    );
    await postInkindLedger(ctx);

    const mix = await ctx.exec(`select kind, count(*)::int as n from stock_movements where org_id = '${org}' group by kind`);
    const byKind = Object.fromEntries(mix.rows.map((r) => [`movements_${String(r.kind)}`, Number(r.n)]));
    return {
      inkind_intakes: await count(ctx, 'inkind_intakes'),
      inkind_distributions: await count(ctx, 'inkind_distributions'),
      stock_movements: await count(ctx, 'stock_movements'),
      ...byKind,
      stock_counts: await count(ctx, 'stock_counts'),
    };
  },
};

/**
 * One posting per operation (batch), as postInkindLedger: goods in (received, found) are
 * in-kind income into `in_kind_goods`; goods out (given, written off) move from `in_kind_goods`
 * to `in_kind_distributed`; returns reverse that; transfers post nothing.
 */
async function postInkindLedger(ctx: GenContext) {
  const org = ctx.orgId;
  const batches = `select batch_id, min(occurred_at) as at, (array_agg(created_by))[1] as by_user,
           coalesce(sum(value_minor) filter (where kind = 'receive' or (kind = 'adjust' and value_minor > 0)), 0) as income,
           coalesce(sum(-value_minor) filter (where kind = 'distribute' or (kind = 'adjust' and value_minor < 0)), 0)
             - coalesce(sum(value_minor) filter (where kind = 'return'), 0) as expense
    from stock_movements where org_id = '${org}' group by batch_id`;
  await ctx.exec(
    `insert into ledger_postings (id, org_id, key, kind, memo, donation_id, occurred_at, created_by, created_at)
     select ${rowId(ctx, 'posting')}, '${org}', 'inkind:' || batch_id, 'in_kind', null, null, at, by_user, at from (${batches}) b where income <> 0 or expense <> 0`,
  );
  await ctx.exec(
    `insert into ledger_entries (org_id, posting_id, fund_id, account, amount_minor, currency, occurred_at, created_at)
     select p.org_id, p.id, ${uidText(ctx, 'fund', "'general'")}, l.account, l.amount, 'VND', p.occurred_at, p.created_at
     from (${batches}) b join ledger_postings p on p.org_id = '${org}' and p.key = 'inkind:' || b.batch_id
     cross join lateral (values (1, 'in_kind_goods', b.income), (2, 'in_kind_income', -b.income), (3, 'in_kind_distributed', b.expense), (4, 'in_kind_goods', -b.expense)) l(n, account, amount)
     where l.amount <> 0
     order by p.occurred_at, p.id, l.n`,
  );
}

/**
 * Set-based proof the goods are sound: no moment where an (item, office) was below zero,
 * balances equal to the sum of their movements, every movement of a valued operation posted,
 * and the ledger's in-kind goods equal to the value on the shelves.
 */
export async function stockCheck(ctx: Pick<GenContext, 'exec' | 'orgId'>) {
  const org = ctx.orgId;
  const q = async (text: string) => Number((await ctx.exec(text)).rows[0]!.n);
  return {
    negativeMoments: await q(
      `select count(*)::int as n from (select sum(quantity) over (partition by item_id, location_id order by occurred_at, id) as s from stock_movements where org_id = '${org}') x where s < 0`,
    ),
    balancesOffMovements: await q(
      `select count(*)::int as n from stock_balances b full join (select item_id, location_id, sum(quantity) as q, sum(value_minor) as v from stock_movements where org_id = '${org}' group by item_id, location_id) m
         on m.item_id = b.item_id and m.location_id = b.location_id
       where (b.org_id = '${org}' or b.org_id is null) and (b.quantity is distinct from m.q::int or b.value_minor is distinct from m.v)`,
    ),
    valuedBatchesWithoutPosting: await q(
      `select count(*)::int as n from (select batch_id from stock_movements where org_id = '${org}' and kind not in ('transfer_out', 'transfer_in') group by batch_id) b
       where not exists (select 1 from ledger_postings p where p.org_id = '${org}' and p.key = 'inkind:' || b.batch_id)`,
    ),
    inKindGoodsOffStockValue: await q(
      `select abs(coalesce((select sum(amount_minor) from ledger_entries where org_id = '${org}' and account = 'in_kind_goods'), 0)
                - coalesce((select sum(value_minor) from stock_balances where org_id = '${org}'), 0))::int as n`,
    ),
  };
}
