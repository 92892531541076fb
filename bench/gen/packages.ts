import { DISTRICTS, districtId } from './foundation';
import { analyze, bulkLoad, count, rowId, u, uid, uidText, vnYear, type GenContext, type GenModule } from './types';

/**
 * Gift packages (issue 5): 300,000 package units at scale 1 over the five years, as the app
 * records them:
 * - six package types and 100 drives (about 20 a year, whatever the scale: a smaller
 *   organisation runs as many drives, each smaller), each inside a giving campaign with its own
 *   restricted fund (kind package_drive);
 * - offline package gifts (bank transfer or cash, from the giving module's donors, a few
 *   anonymous cash gifts) of 1 to ~20 packages: the donation with its purpose, its `donation:`
 *   posting into the drive's fund, its receipt (numbered after the year's other receipts, as a
 *   gift recorded later would be), and one funded unit per package;
 * - units matched to distinct children (at most one unit per child per drive, no overrides):
 *   open cases that fit the drive's eligibility (age reached that year, categories, district)
 *   at the moment of matching, then handed over at one event per district (≤ 500 units per
 *   delivery, as deliverUnits allows) with a `package-delivered:` posting per unit moving its
 *   value from the drive's fund to programme expense;
 * - every status change as a package_unit_events row (funded, matched, delivered).
 * The latest drive (in the report year, unrestricted, still active) keeps up to 500 funded,
 * unmatched units — the matching screen's benchmark target — plus a fifth as many matched.
 *
 * Package types carry no in-kind contents (money-only packages), so deliveries draw no stock.
 */

export const DRIVES = 100;

interface PackageType {
  no: number;
  name: string;
  en: string;
  value: number;
  minAge: number | null;
  maxAge: number | null;
  categories: string[];
}

const TYPES: PackageType[] = [
  { no: 1, name: 'Quà Tết', en: 'Lunar New Year gift', value: 500_000, minAge: null, maxAge: 17, categories: [] },
  { no: 2, name: 'Học bổng đến trường', en: 'School scholarship', value: 1_000_000, minAge: 6, maxAge: 17, categories: ['poverty', 'school_dropout', 'orphan', 'migrant'] },
  { no: 3, name: 'Quà Trung thu', en: 'Mid-autumn gift', value: 300_000, minAge: null, maxAge: 15, categories: [] },
  { no: 4, name: 'Áo ấm mùa đông', en: 'Winter clothes', value: 400_000, minAge: null, maxAge: null, categories: [] },
  { no: 5, name: 'Sữa dinh dưỡng', en: 'Nutrition milk', value: 600_000, minAge: 0, maxAge: 5, categories: [] },
  { no: 6, name: 'Suất hỗ trợ cuối năm', en: 'Year-end support', value: 800_000, minAge: null, maxAge: null, categories: [] },
];

/** Campaigns of the giving module: one a month, 30 days apart from the start of the period. */
const CAMPAIGN_SPACING_DAYS = 30;
const MAX_PER_DELIVERY = 500;

interface DriveSpec {
  i: number;
  k: number;
  type: PackageType;
  district: number | null;
  startsOn: string;
  endsOn: string;
  matchAt: string;
  year: number;
  active: boolean;
  /** Share of the eligible children who get a unit (set once the eligible counts are known). */
  f: number;
  /** Funded units left unmatched (the latest drive only). */
  open: number;
  title: string;
}

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function driveSpecs(ctx: GenContext): DriveSpec[] {
  const day0 = ctx.from.slice(0, 10);
  const specs: DriveSpec[] = [];
  for (let i = 1; i <= DRIVES; i++) {
    const last = i === DRIVES;
    const k = last ? 60 : 1 + Math.floor(((i - 1) * 59) / (DRIVES - 1));
    const type = last ? TYPES[5]! : TYPES[(i - 1) % 5]!;
    const district = !last && i % 7 === 3 ? 1 + (i % DISTRICTS) : null;
    const startsOn = addDays(day0, (k - 1) * CAMPAIGN_SPACING_DAYS);
    const matchDay = addDays(startsOn, 45);
    const year = Number(matchDay.slice(0, 4));
    specs.push({
      i,
      k,
      type,
      district,
      startsOn,
      endsOn: addDays(startsOn, 60),
      matchAt: `${matchDay} 10:00:00+07`,
      year,
      active: last,
      f: 0,
      open: 0,
      title: `${type.name} ${Number(startsOn.slice(0, 4))} – đợt ${i}${district ? ` (huyện ${district})` : ''}`,
    });
  }
  return specs;
}

const textArray = (xs: string[]) => (xs.length ? `array[${xs.map((x) => `'${x}'`).join(',')}]::text[]` : `'{}'::text[]`);

/** The drives as an SQL VALUES list: tiny, and every statement below joins it. */
function drvCte(ctx: GenContext, specs: DriveSpec[]) {
  const rows = specs.map(
    (s) =>
      `(${s.i}, ${s.k}, ${s.type.no}, ${s.type.minAge ?? 'null'}::int, ${s.type.maxAge ?? 'null'}::int, ${textArray(s.type.categories)}, ` +
      `${s.district ? districtId(ctx, String(s.district)) : 'null::uuid'}, '${s.startsOn}'::date, '${s.matchAt}'::timestamptz, ${s.year}, ` +
      `${s.f}::float8, ${s.open}, ${s.type.value}::bigint, ${s.active})`,
  );
  return `drv(i, k, type_no, min_age, max_age, cats, district, starts, match_at, y, f, open_n, value, active) as (values ${rows.join(',\n')})`;
}

/** Open cases that fit drive d's eligibility when its units are matched (as rankedCandidates decides). */
const eligCte = (ctx: GenContext) => `elig as (
  select d.i, d.f, c.id as case_id, l.parent_id as district_id
  from drv d
  join cases c on c.org_id = '${ctx.orgId}' and c.opened_at <= d.match_at and (c.closed_at is null or c.closed_at > d.match_at)
    and (d.min_age is null or c.birth_year <= d.y - d.min_age) and (d.max_age is null or c.birth_year >= d.y - d.max_age)
    and (cardinality(d.cats) = 0 or c.categories && d.cats)
  join locations l on l.id = c.location_id and (d.district is null or l.parent_id = d.district))`;

/**
 * Every unit of every drive: position p within its drive, the child it goes to (none for the
 * latest drive's open units), and the gift g that paid for it (a new gift starts at p = 1 and
 * then with probability 0.22, so gifts are of ~4.5 packages on average).
 */
const planCtes = (ctx: GenContext, specs: DriveSpec[]) => `with ${drvCte(ctx, specs)}, ${eligCte(ctx)},
  s as (select i, case_id, district_id from elig where ${u("case_id::text || ':' || i", 'pick')} < f),
  pos as (
    select i, case_id, district_id, row_number() over (partition by i order by case_id) as p from s
    union all
    select d.i, null::uuid, null::uuid, coalesce(m.n, 0) + g.g
    from drv d left join (select i, count(*) as n from s group by i) m on m.i = d.i cross join lateral generate_series(1, d.open_n) g(g)),
  plan as (
    select pos.i, pos.case_id, pos.district_id, pos.p, d.k, d.value, d.starts, d.match_at, d.active,
           sum(case when pos.p = 1 or ${u("pos.i || ':' || pos.p", 'gs')} < 0.22 then 1 else 0 end) over (partition by pos.i order by pos.p) as g
    from pos join drv d on d.i = pos.i)`;

/** What gift (i, g) was: day, channel, donor, reference, who recorded it. Same values in every statement. */
const giftLateral = (ctx: GenContext, donors: number, x: string) => `
  lateral (select ${u(`${x}.i || ':' || ${x}.g`, 'gr')} as r_day, ${u(`${x}.i || ':' || ${x}.g`, 'gc')} as r_ch, ${u(`${x}.i || ':' || ${x}.g`, 'ga')} as r_anon,
                  ${u(`${x}.i || ':' || ${x}.g`, 'gd')} as r_donor, ${u(`${x}.i || ':' || ${x}.g`, 'gu')} as r_user offset 0) gr,
  lateral (select ((${x}.starts + floor(gr.r_day * 40)::int)::timestamp at time zone 'Asia/Ho_Chi_Minh') as received_at,
                  case when gr.r_ch < 0.65 then 'bank_transfer' else 'cash' end as channel offset 0) gb,
  lateral (select case when gb.channel = 'cash' and gr.r_anon < 0.15 then null else ${uid(ctx, 'donor', `1 + floor(gr.r_donor * ${donors})::int`)} end as donor_id,
                  case when gb.channel = 'cash' then 'cash' else 'bank' end as account,
                  case when gb.channel = 'cash' then 'PQ' else 'GQ' end || ${x}.i || '-' || ${x}.g as external_id,
                  ${uid(ctx, 'user', '3 + floor(gr.r_user * 4)::int')} as created_by offset 0) ga`;

/** A coordinator (users 7–12) per drive. */
const coordinator = (ctx: GenContext, i: string) => uid(ctx, 'user', `7 + (${i}) % 6`);
const deliveredOn = (i: string, district: string) => `(starts + 48 + floor(${u(`${i} || ':' || ${district}::text`, 'dd')} * 10)::int)`;
const deliveryId = (ctx: GenContext, i: string, district: string, b: string) => uidText(ctx, 'pdelivery', `${i} || ':' || ${district}::text || ':' || ${b}`);

export const packagesModule: GenModule = {
  name: 'packages',
  tables: ['package_types', 'package_drives', 'package_units', 'package_unit_events', 'package_deliveries'],
  async generate(ctx) {
    const org = ctx.orgId;
    const U = ctx.n(300_000);
    const D = ctx.n(200_000);
    const open = Math.min(500, Math.max(1, Math.floor(U / 10)));
    const matchedInOpenDrive = Math.floor(open / 5);
    const specs = driveSpecs(ctx);

    // How many children each drive could reach, to size the drives so the whole adds up to U.
    const eligible = await ctx.exec(`with ${drvCte(ctx, specs)}, ${eligCte(ctx)} select i, count(*)::int as n from elig group by i`);
    const E = new Map(eligible.rows.map((r) => [Number(r.i), Number(r.n)]));
    const closedEligible = specs.filter((s) => !s.active).reduce((a, s) => a + (E.get(s.i) ?? 0), 0);
    const fClosed = closedEligible ? Math.min(0.85, (U - open - matchedInOpenDrive) / closedEligible) : 0;
    for (const s of specs) {
      const e = E.get(s.i) ?? 0;
      s.f = s.active ? (e ? Math.min(0.85, matchedInOpenDrive / e) : 0) : fClosed;
      s.open = s.active ? open : 0;
    }
    const target = (s: DriveSpec) => Math.max(1, Math.round(s.f * (E.get(s.i) ?? 0)) + s.open);

    // The unit tables are a bulk load (see bulkLoad): their indexes, the one-unit-per-child rule
    // among them, are rebuilt and re-verified after.
    await bulkLoad(ctx, ['package_units', 'package_unit_events', 'package_deliveries'], async () => {
      await ctx.exec(
        `insert into package_types (id, org_id, name_vi, name_en, contents_vi, contents_en, unit_value_minor, currency, min_age, max_age, categories, created_by, created_at)
         values ${TYPES.map(
           (t) =>
             `(${uid(ctx, 'ptype', String(t.no))}, '${org}', '${t.name}', '${t.en}', '', null, ${t.value}, 'VND', ${t.minAge ?? 'null'}, ${t.maxAge ?? 'null'}, ${textArray(t.categories)}, ${uid(ctx, 'user', '1')}, timestamptz '${ctx.from}')`,
         ).join(',\n')}`,
      );
      await ctx.exec(
        `insert into funds (id, org_id, kind, name, created_at)
         values ${specs.map((s) => `(${uid(ctx, 'dfund', String(s.i))}, '${org}', 'package_drive', '${s.title}', '${s.startsOn}'::date::timestamptz)`).join(',\n')}`,
      );
      await ctx.exec(
        `insert into package_drives (id, org_id, campaign_id, package_type_id, fund_id, title_vi, target_count, unit_value_minor, currency, starts_on, ends_on, status,
           min_age, max_age, categories, location_ids, created_by, created_at)
         values ${specs
           .map(
             (s) =>
               `(${uid(ctx, 'drive', String(s.i))}, '${org}', ${uid(ctx, 'campaign', String(s.k))}, ${uid(ctx, 'ptype', String(s.type.no))}, ${uid(ctx, 'dfund', String(s.i))}, '${s.title}', ${target(s)},
                 ${s.type.value}, 'VND', '${s.startsOn}', '${s.endsOn}', '${s.active ? 'active' : 'closed'}', ${s.type.minAge ?? 'null'}, ${s.type.maxAge ?? 'null'}, ${textArray(s.type.categories)},
                 ${s.district ? `array[${districtId(ctx, String(s.district))}]` : `'{}'::uuid[]`}, ${coordinator(ctx, String(s.i))}, '${s.startsOn}'::date::timestamptz)`,
           )
           .join(',\n')}`,
      );

      // The gifts: one donation per (drive, g) for its packages, into the drive's fund.
      await ctx.exec(
        `${planCtes(ctx, specs)}
         insert into donations (id, org_id, donor_id, campaign_id, fund_id, channel, amount_minor, currency, received_at, recurring, quantity, purpose, anonymous,
           external_id, created_by, created_at)
         select ${uidText(ctx, 'pgift', "x.i || ':' || x.g")}, '${org}', ga.donor_id, ${uid(ctx, 'campaign', 'x.k')}, ${uid(ctx, 'dfund', 'x.i')}, gb.channel,
                x.q * x.value, 'VND', gb.received_at, false, x.q,
                jsonb_build_object('kind', 'package_drive', 'driveId', ${uid(ctx, 'drive', 'x.i')}::text, 'quantity', x.q), false,
                ga.external_id, ga.created_by, gb.received_at + interval '10 hours'
         from (select i, g, k, value, starts, count(*)::int as q from plan group by i, g, k, value, starts) x, ${giftLateral(ctx, D, 'x')}`,
      );
      // Hand-over events: per drive and district, at most 500 units each.
      await ctx.exec(
        `${planCtes(ctx, specs)}
         insert into package_deliveries (id, org_id, drive_id, delivered_on, place, staff, note, unit_count, created_by, created_at)
         select ${deliveryId(ctx, 'x.i', 'x.district_id', 'x.b')}, '${org}', ${uid(ctx, 'drive', 'x.i')}, x.delivered_on, 'Nhà văn hoá ' || l.name, 'Tổ công tác xã hội ' || l.name, null,
                count(*)::int, ${coordinator(ctx, 'x.i')}, (x.delivered_on + time '17:00') at time zone 'Asia/Ho_Chi_Minh'
         from (select i, district_id, ${deliveredOn('i', 'district_id')} as delivered_on, (row_number() over (partition by i, district_id order by p) - 1) / ${MAX_PER_DELIVERY} as b
               from plan where case_id is not null and not active) x
         join locations l on l.id = x.district_id
         group by x.i, x.district_id, x.delivered_on, x.b, l.name`,
      );
      await ctx.exec(
        `${planCtes(ctx, specs)}
         insert into package_units (id, org_id, drive_id, donation_id, unit_no, value_minor, currency, money_account, status, case_id, matched_at, matched_by,
           delivery_id, delivered_on, delivered_at, created_at)
         select ${uidText(ctx, 'punit', "x.i || ':' || x.p")}, '${org}', ${uid(ctx, 'drive', 'x.i')}, ${uidText(ctx, 'pgift', "x.i || ':' || x.g")}, x.unit_no, x.value, 'VND',
                ga.account, st.status, x.case_id,
                case when x.case_id is not null then x.match_at end, case when x.case_id is not null then ${coordinator(ctx, 'x.i')} end,
                case when st.status = 'delivered' then ${deliveryId(ctx, 'x.i', 'x.district_id', 'x.b')} end,
                case when st.status = 'delivered' then x.delivered_on end,
                case when st.status = 'delivered' then (x.delivered_on + time '17:00') at time zone 'Asia/Ho_Chi_Minh' end,
                gb.received_at
         from (select plan.*, row_number() over (partition by i, g order by p) as unit_no, ${deliveredOn('i', 'district_id')} as delivered_on,
                      (row_number() over (partition by i, district_id order by p) - 1) / ${MAX_PER_DELIVERY} as b
               from plan) x,
              ${giftLateral(ctx, D, 'x')},
              lateral (select case when x.case_id is null then 'funded' when x.active then 'matched' else 'delivered' end as status offset 0) st`,
      );
      await analyze(ctx, ['donations', 'package_deliveries', 'package_units']);
      // Then four independent writes, each reading the units and gifts above, on their own
      // connections: the units' history, their postings, the gifts' receipts, and each child's
      // last delivery on the case (the trigger that keeps it is off during the load).
      await Promise.all([writeUnitEvents(ctx), postPackageLedger(ctx), issuePackageReceipts(ctx), markLastDeliveries(ctx)]);
    });

    const r = await ctx.exec(
      `select count(*)::int as units, count(*) filter (where status = 'delivered')::int as delivered, count(*) filter (where status = 'matched')::int as matched,
              count(*) filter (where status = 'funded')::int as funded, count(distinct donation_id)::int as gifts
       from package_units where org_id = '${org}'`,
    );
    const row = r.rows[0]!;
    return {
      package_drives: await count(ctx, 'package_drives'),
      package_units: Number(row.units),
      units_delivered: Number(row.delivered),
      units_matched: Number(row.matched),
      units_funded_open: Number(row.funded),
      package_gifts: Number(row.gifts),
      package_deliveries: await count(ctx, 'package_deliveries'),
      package_unit_events: await count(ctx, 'package_unit_events'),
    };
  },
};

/** cases.last_delivered_at as the package_units trigger keeps it (the trigger is off for the load). */
async function markLastDeliveries(ctx: GenContext) {
  await ctx.exec(`select sechia_case_last_delivery_rebuild('${ctx.orgId}')`);
}

/** Every status change, in order per unit: funded (with the gift), matched, delivered. */
async function writeUnitEvents(ctx: GenContext) {
  const org = ctx.orgId;
  await ctx.exec(
    `insert into package_unit_events (org_id, unit_id, kind, from_status, to_status, case_id, delivery_id, reason, data, actor_id, at)
     select u.org_id, u.id, e.kind, e.from_status, e.to_status, e.case_id, e.delivery_id, null, e.data, e.actor, e.at
     from package_units u join donations d on d.id = u.donation_id left join package_deliveries pd on pd.id = u.delivery_id
     cross join lateral (values
       ('funded', null, 'funded', null::uuid, null::uuid, null::jsonb, d.created_by, u.created_at, true),
       ('matched', 'funded', 'matched', u.case_id, null::uuid, '{"mode":"suggested"}'::jsonb, u.matched_by, u.matched_at, u.status in ('matched', 'delivered')),
       ('delivered', 'matched', 'delivered', u.case_id, u.delivery_id, null::jsonb, pd.created_by, u.delivered_at, u.status = 'delivered'))
       e(kind, from_status, to_status, case_id, delivery_id, data, actor, at, wanted)
     where u.org_id = '${org}' and e.wanted
     order by u.created_at, u.id`,
  );
}

/**
 * The postings recordDonation and deliverUnits write: `donation:<id>` (money account against
 * donations income, in the drive's fund) and `package-delivered:<unit>:<delivery>` (programme
 * expense against the unit's money account). Bulk load with the deferred balance trigger off,
 * as giving.ts does; `ledgerCheck` proves the result balanced.
 */
async function postPackageLedger(ctx: GenContext) {
  const org = ctx.orgId;
  await ctx.exec(
    `insert into ledger_postings (id, org_id, key, kind, memo, donation_id, occurred_at, created_by, created_at)
     select ${rowId(ctx, 'posting')}, d.org_id, 'donation:' || d.id, 'donation', null, d.id, d.received_at, d.created_by, d.created_at
     from donations d join package_drives dr on dr.fund_id = d.fund_id where d.org_id = '${org}' and dr.org_id = '${org}'
     union all
     select ${rowId(ctx, 'posting')}, u.org_id, 'package-delivered:' || u.id || ':' || u.delivery_id, 'package_delivery', 'gift package delivered', null, u.delivered_at, pd.created_by, u.delivered_at
     from package_units u join package_deliveries pd on pd.id = u.delivery_id where u.org_id = '${org}' and u.status = 'delivered'`,
  );
  await ctx.exec(
    `insert into ledger_entries (org_id, posting_id, fund_id, account, amount_minor, currency, occurred_at, created_at)
     select p.org_id, p.id, d.fund_id, l.account, l.amount, d.currency, p.occurred_at, p.created_at
     from ledger_postings p join donations d on d.id = p.donation_id join package_drives dr on dr.fund_id = d.fund_id
     cross join lateral (values (case d.channel when 'cash' then 'cash' when 'stripe' then 'stripe_balance' else 'bank' end, d.amount_minor),
                                ('donations_income', -d.amount_minor)) l(account, amount)
     where p.org_id = '${org}' and p.kind = 'donation'`,
  );
  await ctx.exec(
    `insert into ledger_entries (org_id, posting_id, fund_id, account, amount_minor, currency, occurred_at, created_at)
     select p.org_id, p.id, dr.fund_id, l.account, l.amount, u.currency, p.occurred_at, p.created_at
     from package_units u join package_drives dr on dr.id = u.drive_id
     join ledger_postings p on p.org_id = u.org_id and p.key = 'package-delivered:' || u.id || ':' || u.delivery_id
     cross join lateral (values ('programme_expense', u.value_minor), (u.money_account, -u.value_minor)) l(account, amount)
     where u.org_id = '${org}' and u.status = 'delivered'`,
  );
}

/** One receipt per package gift, numbered after the receipts the year already has, without gaps. */
async function issuePackageReceipts(ctx: GenContext) {
  const org = ctx.orgId;
  await ctx.exec(
    `insert into receipts (id, org_id, donation_id, refund_id, kind, year, number, code, amount_minor, currency, issued_at, created_at)
     select ${rowId(ctx, 'receipt')}, '${org}', id, null, 'receipt', y, n, '${ctx.shortCode}-' || y || '-' || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end,
            amount_minor, currency, received_at, received_at
     from (select d.id, d.amount_minor, d.currency, d.received_at, x.y,
                  coalesce(rc.last_number, 0) + row_number() over (partition by x.y order by d.received_at, d.id) as n
           from donations d join package_drives dr on dr.fund_id = d.fund_id
           cross join lateral (select ${vnYear('d.received_at')} as y) x
           left join receipt_counters rc on rc.org_id = d.org_id and rc.year = x.y
           where d.org_id = '${org}') a`,
  );
  await ctx.exec(
    `insert into receipt_counters (org_id, year, last_number) select org_id, year, max(number) from receipts where org_id = '${org}' group by org_id, year
     on conflict (org_id, year) do update set last_number = excluded.last_number`,
  );
}
