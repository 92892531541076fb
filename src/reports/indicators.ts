/**
 * The indicator registry: one small definition per indicator, with a precise written definition
 * (shown in every report) and a `compute(db, scope, period)` that derives the value from the
 * records. Nothing here is typed in by staff: targets and baselines come from grants, values
 * only from rows.
 *
 * To add an indicator (e.g. once gift packages or in-kind goods are merged), append a definition
 * to INDICATORS (or a capability's list to it) with a unique id, and, for beneficiaries reached,
 * add the capability's "who received something" query to BENEFICIARY_SOURCES.
 */
import { sql, type SQL } from 'drizzle-orm';
import { GENDERS, OUTREACH_KINDS, SERVICE_KINDS } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { AGE_BANDS, caseAgeBand, vnDayStart, type AgeBand } from '../cases/cases';
import type { BreakdownTable, Category, ScopeKind, Text } from './model';
import { caseFilter, fundFilter, locationFilter, periodBounds, uuidList, type Period, type ReportScope } from './scope';
import { percentBasisPoints } from './model';

export type IndicatorGroupId = 'money' | 'packages' | 'inkind' | 'beneficiaries' | 'cases' | 'services' | 'outreach' | 'donors';

export const GROUPS: Record<IndicatorGroupId, { title: Text; resultKind: 'output' | 'outcome' | 'other' }> = {
  money: { title: { vi: 'Nguồn lực huy động và sử dụng', en: 'Resources mobilised and used' }, resultKind: 'other' },
  packages: { title: { vi: 'Suất quà', en: 'Gift packages' }, resultKind: 'output' },
  inkind: { title: { vi: 'Hiện vật', en: 'In-kind goods' }, resultKind: 'output' },
  beneficiaries: { title: { vi: 'Người được hỗ trợ', en: 'People reached' }, resultKind: 'outcome' },
  cases: { title: { vi: 'Quản lý trường hợp', en: 'Case management' }, resultKind: 'output' },
  services: { title: { vi: 'Dịch vụ đã cung cấp', en: 'Services delivered' }, resultKind: 'output' },
  outreach: { title: { vi: 'Đường dây nóng, truyền thông và tập huấn', en: 'Hotline, awareness and training' }, resultKind: 'output' },
  donors: { title: { vi: 'Nhà tài trợ', en: 'Donors' }, resultKind: 'other' },
};

export type IndicatorValue =
  | { unit: 'count'; value: number }
  | { unit: 'money'; value: bigint }
  | { unit: 'percent'; value: number; counts?: { numerator: number; denominator: number } }
  | { unit: 'days'; value: number };

export interface IndicatorDef {
  id: string;
  group: IndicatorGroupId;
  label: Text;
  definition: Text;
  unit: 'count' | 'money' | 'percent' | 'days';
  /** Counts (or percentages made of counts) of people: small numbers are suppressed. */
  people?: boolean;
  ascending?: boolean;
  /** Ids of indicators that add up exactly to this one. */
  sumOf?: string[];
  /** Scopes where the indicator means something; default: all. */
  scopes?: ScopeKind[];
  /** A finer test on the scope (e.g. hotline calls cannot be attributed to a grant for some categories). */
  appliesTo?: (scope: ReportScope) => boolean;
  compute(db: Db, scope: ReportScope, period: Period): Promise<IndicatorValue>;
}

// ---------------------------------------------------------------------------------------------
// Shared loaders, computed once per scope and period.

const memo = new WeakMap<ReportScope, Map<string, Promise<unknown>>>();
function once<T>(scope: ReportScope, key: string, fn: () => Promise<T>): Promise<T> {
  let m = memo.get(scope);
  if (!m) memo.set(scope, (m = new Map()));
  if (!m.has(key)) m.set(key, fn());
  return m.get(key) as Promise<T>;
}

interface CaseFact {
  id: string;
  gender: string;
  birthYear: number;
  mainCategory: string | null;
  locationId: string;
  handled: boolean;
  opened: boolean;
  statusAtEnd: string | null;
  reasonAtEnd: string | null;
}

/** Every case in scope with its history relative to the period (from case_transitions). */
export function caseFacts(db: Db, scope: ReportScope, p: Period): Promise<CaseFact[]> {
  return once(scope, `cases:${p.from}:${p.to}`, async () => {
    const { start, end } = periodBounds(p);
    const rows = await queryRows<{
      id: string;
      gender: string;
      birth_year: number;
      main_category: string | null;
      location_id: string;
      before_status: string | null;
      in_period: number;
      opened: number;
      end_status: string | null;
      end_reason: string | null;
    }>(
      db,
      // One pass over the organisation's history up to the period's end, grouped per case (the
      // latest step first in each array), instead of five look-ups per case.
      sql`with h as (
            select t.case_id,
                   (array_agg(t.to_status order by t.at desc, t.id desc) filter (where t.at < ${start}))[1] as before_status,
                   count(*) filter (where t.at >= ${start})::int as in_period,
                   count(*) filter (where t.at >= ${start} and t.kind = 'open')::int as opened,
                   (array_agg(t.to_status order by t.at desc, t.id desc))[1] as end_status,
                   (array_agg(t.closure_reason order by t.at desc, t.id desc))[1] as end_reason
            from case_transitions t
            where t.org_id = ${scope.orgId} and t.at < ${end}
              ${scope.cases ? sql`and t.case_id in (select c.id from cases c where c.org_id = ${scope.orgId} and ${caseFilter(scope)})` : sql``}
            group by t.case_id
          )
          select c.id, c.gender, c.birth_year, c.categories[1] as main_category, c.location_id,
                 h.before_status, coalesce(h.in_period, 0) as in_period, coalesce(h.opened, 0) as opened, h.end_status, h.end_reason
          from cases c left join h on h.case_id = c.id
          where c.org_id = ${scope.orgId} and ${caseFilter(scope)}`,
    );
    return rows.map((r) => ({
      id: r.id,
      gender: r.gender,
      birthYear: Number(r.birth_year),
      mainCategory: r.main_category,
      locationId: r.location_id,
      // Open at some moment of the period: open when it began, or moved (opened, advanced, closed) during it.
      handled: (r.before_status !== null && r.before_status !== 'closed') || Number(r.in_period) > 0,
      opened: Number(r.opened) > 0,
      statusAtEnd: r.end_status,
      reasonAtEnd: r.end_reason,
    }));
  });
}

/**
 * Who received something in the period, per kind of help: a query returning `case_id` for cases
 * (aliased `c`, already restricted to the scope). Gift packages and in-kind goods add theirs here.
 */
export const BENEFICIARY_SOURCES: { id: string; label: Text; query: (scope: ReportScope, p: Period) => SQL }[] = [
  {
    id: 'services',
    label: { vi: 'một dịch vụ (tư vấn, trị liệu, thăm gia đình, chuyển gửi, hỗ trợ khẩn cấp)', en: 'a service (counselling, therapy, home visit, referral, emergency support)' },
    query: (scope, p) =>
      sql`select s.case_id from case_services s where s.org_id = ${scope.orgId} and s.delivered_on between ${p.from}::date and ${p.to}::date`,
  },
  {
    id: 'packages',
    label: { vi: 'một suất quà', en: 'a gift package' },
    query: (scope, p) =>
      sql`select u.case_id from package_units u where u.org_id = ${scope.orgId} and u.status = 'delivered' and u.case_id is not null
          and u.delivered_on between ${p.from}::date and ${p.to}::date and ${driveFilter(scope)}`,
  },
  {
    id: 'inkind',
    label: { vi: 'hiện vật trao tận tay (đồ dùng, quần áo, đồ chơi…)', en: 'goods handed to them (supplies, clothes, toys…)' },
    query: (scope, p) =>
      sql`select d.case_id from inkind_distributions d where d.org_id = ${scope.orgId} and d.case_id is not null
          and d.distributed_on between ${p.from}::date and ${p.to}::date`,
  },
];

export function beneficiaryIds(db: Db, scope: ReportScope, p: Period): Promise<Set<string>> {
  return once(scope, `beneficiaries:${p.from}:${p.to}`, async () => {
    const union = sql.join(
      BENEFICIARY_SOURCES.map((s) => s.query(scope, p)),
      sql` union `,
    );
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select distinct c.id from cases c where c.org_id = ${scope.orgId} and ${caseFilter(scope)} and c.id in (${union})`,
    );
    return new Set(rows.map((r) => r.id));
  });
}

async function serviceCounts(db: Db, scope: ReportScope, p: Period) {
  return once(scope, `services:${p.from}:${p.to}`, async () => {
    const rows = await queryRows<{ kind: string; n: number }>(
      db,
      sql`select s.kind, count(*)::int as n from case_services s join cases c on c.id = s.case_id
          where s.org_id = ${scope.orgId} and ${caseFilter(scope)} and s.delivered_on between ${p.from}::date and ${p.to}::date group by s.kind`,
    );
    return new Map(rows.map((r) => [r.kind, Number(r.n)]));
  });
}

async function outreachTotals(db: Db, scope: ReportScope, p: Period) {
  return once(scope, `outreach:${p.from}:${p.to}`, async () => {
    const rows = await queryRows<{ kind: string; events: number; participants: number; leaflets: number; posters: number; questionnaires: number }>(
      db,
      sql`select o.kind, count(*)::int as events, coalesce(sum(o.participants), 0)::int as participants,
            coalesce(sum(o.leaflets), 0)::int as leaflets, coalesce(sum(o.posters), 0)::int as posters,
            coalesce(sum(o.questionnaires), 0)::int as questionnaires
          from outreach_events o where o.org_id = ${scope.orgId} and ${locationFilter(scope, sql`o.location_id`)}
            and o.held_on between ${p.from}::date and ${p.to}::date group by o.kind`,
    );
    return rows.map((r) => ({
      kind: r.kind,
      events: Number(r.events),
      participants: Number(r.participants),
      leaflets: Number(r.leaflets),
      posters: Number(r.posters),
      questionnaires: Number(r.questionnaires),
    }));
  });
}

export type MoneySource = 'online' | 'bank' | 'cash' | 'grant';

/** Gifts received in the period per source, in the base currency. */
async function receivedBySource(db: Db, scope: ReportScope, p: Period) {
  return once(scope, `received:${p.from}:${p.to}`, async () => {
    const { start, end } = periodBounds(p);
    const rows = await queryRows<{ source: MoneySource; total: string }>(
      db,
      sql`select case when f.kind = 'grant' then 'grant'
                      when d.channel = 'stripe' then 'online'
                      when d.channel = 'bank_transfer' then 'bank'
                      else 'cash' end as source,
                 coalesce(sum(case when d.currency = ${scope.baseCurrency} then d.amount_minor
                                   when d.base_amount_minor is not null then d.base_amount_minor else 0 end), 0)::text as total
          from donations d join funds f on f.id = d.fund_id
          where d.org_id = ${scope.orgId} and ${fundFilter(scope, sql`d.fund_id`)}
            and d.received_at >= ${start} and d.received_at < ${end}
          group by 1`,
    );
    const out: Record<MoneySource, bigint> = { online: 0n, bank: 0n, cash: 0n, grant: 0n };
    for (const r of rows) out[r.source] = BigInt(r.total);
    return out;
  });
}

/** Net debits of a ledger account over the period for the funds in scope, in the base currency (from the ledger's day totals). */
async function ledgerAccountTotal(db: Db, scope: ReportScope, p: Period, account: string): Promise<bigint> {
  return once(scope, `ledger:${account}:${p.from}:${p.to}`, async () => {
    const [r] = await queryRows<{ total: string }>(
      db,
      sql`select coalesce(sum(t.amount_minor), 0)::text as total from ledger_day_totals t
          where t.org_id = ${scope.orgId} and ${fundFilter(scope, sql`t.fund_id`)} and t.account = ${account}
            and t.currency = ${scope.baseCurrency} and t.day between ${p.from}::date and ${p.to}::date`,
    );
    return BigInt(r?.total ?? '0');
  });
}

async function donorCounts(db: Db, scope: ReportScope, p: Period) {
  return once(scope, `donors:${p.from}:${p.to}`, async () => {
    const { start, end } = periodBounds(p);
    // Returning: gave in scope during the period and had given (to any fund) before it.
    const [r] = await queryRows<{ total: number; returning: number }>(
      db,
      scope.fundIds === null
        ? // The whole organisation: one ordered pass over the donor index (org, donor, date) up to the
          // period's end, each donor's first gift and whether they gave in the period side by side —
          // instead of one index probe per giver (130,000 at a province's scale).
          sql`select count(*)::int as total, count(*) filter (where x.first_at < ${start})::int as returning
              from (select d.donor_id, min(d.received_at) as first_at, bool_or(d.received_at >= ${start}) as gave
                    from (select donor_id, received_at from donations
                          where org_id = ${scope.orgId} and donor_id is not null and received_at < ${end}
                          order by org_id, donor_id, received_at) d
                    group by d.donor_id) x
              where x.gave`
        : // A grant or campaign: few givers, each looked up.
          sql`with givers as (
                select distinct d.donor_id from donations d
                where d.org_id = ${scope.orgId} and d.donor_id is not null and ${fundFilter(scope, sql`d.fund_id`)}
                  and d.received_at >= ${start} and d.received_at < ${end}
              )
              select count(*)::int as total,
                     count(*) filter (where exists (select 1 from donations e where e.org_id = ${scope.orgId} and e.donor_id = g.donor_id and e.received_at < ${start}))::int as returning
              from givers g`,
    );
    return { total: Number(r?.total ?? 0), returning: Number(r?.returning ?? 0) };
  });
}

// ---------------------------------------------------------------------------------------------
// The registry.

const count = (value: number): IndicatorValue => ({ unit: 'count', value });
const money = (value: bigint): IndicatorValue => ({ unit: 'money', value });
const CASE_SCOPES: ScopeKind[] = ['organisation', 'grant'];
/** Hotline and outreach are not recorded per category: a grant restricted to categories does not get them. */
const notByCategory = (scope: ReportScope) => !scope.cases?.categories.length;

const received = (source: MoneySource, label: Text, definition: Text): IndicatorDef => ({
  id: `money-received-${source}`,
  group: 'money',
  unit: 'money',
  label,
  definition,
  compute: async (db, scope, p) => money((await receivedBySource(db, scope, p))[source]),
});

const RECEIVED_NOTE: Text = {
  vi: 'Tính theo ngày nhận tiền, vào các quỹ thuộc phạm vi báo cáo, quy ra đồng tiền gốc của tổ chức (khoản ngoại tệ theo số tiền thực nhận khi Stripe quyết toán; khoản chưa quyết toán chưa được tính). Số tiền gộp, chưa trừ phí và hoàn trả.',
  en: 'By the day the money was received, into the funds in the report’s scope, in the organisation’s base currency (foreign-currency gifts at the amount Stripe settled; gifts not yet settled are not counted). Gross, before fees and refunds.',
};
const withNote = (t: Text): Text => ({ vi: `${t.vi} ${RECEIVED_NOTE.vi}`, en: `${t.en} ${RECEIVED_NOTE.en}` });

const SERVICE_LABELS: Record<(typeof SERVICE_KINDS)[number], Text> = {
  counselling: { vi: 'Buổi tư vấn trực tiếp', en: 'Direct counselling sessions' },
  therapy: { vi: 'Buổi can thiệp, trị liệu', en: 'Intervention and therapy sessions' },
  home_visit: { vi: 'Lần thăm gia đình', en: 'Home visits' },
  referral: { vi: 'Lần chuyển gửi dịch vụ', en: 'Referrals to other services' },
  emergency_shelter: { vi: 'Lần hỗ trợ tạm lánh khẩn cấp', en: 'Emergency shelter' },
  emergency_food: { vi: 'Lần hỗ trợ lương thực khẩn cấp', en: 'Emergency food support' },
  emergency_travel: { vi: 'Lần hỗ trợ đi lại khẩn cấp', en: 'Emergency travel support' },
};

const OUTREACH_LABELS: Record<(typeof OUTREACH_KINDS)[number], { id: string; events: Text; participants: Text }> = {
  awareness_conference: {
    id: 'awareness-conferences',
    events: { vi: 'Hội nghị truyền thông', en: 'Awareness conferences' },
    participants: { vi: 'Đại biểu dự hội nghị truyền thông', en: 'Delegates at awareness conferences' },
  },
  training: {
    id: 'trainings',
    events: { vi: 'Lớp tập huấn', en: 'Trainings' },
    participants: { vi: 'Người được tập huấn', en: 'People trained' },
  },
  early_detection: {
    id: 'early-detection-sessions',
    events: { vi: 'Buổi truyền thông phát hiện sớm tự kỷ', en: 'Early-detection sessions on autism' },
    participants: { vi: 'Phụ huynh, giáo viên dự buổi phát hiện sớm', en: 'Parents and teachers at early-detection sessions' },
  },
  life_skills: {
    id: 'life-skills-trainings',
    events: { vi: 'Lớp kỹ năng sống', en: 'Life-skills trainings' },
    participants: { vi: 'Trẻ em được tập huấn kỹ năng sống', en: 'Children trained in life skills' },
  },
};

/** Gift-package units (aliased `u`) that belong to the scope: drives of its campaigns or funds. */
function driveFilter(scope: ReportScope): SQL {
  if (scope.kind === 'organisation') return sql`true`;
  const parts: SQL[] = [];
  if (scope.campaignIds?.length) parts.push(sql`dr.campaign_id in (${uuidList(scope.campaignIds)})`);
  if (scope.fundIds?.length) parts.push(sql`dr.fund_id in (${uuidList(scope.fundIds)})`);
  if (!parts.length) return sql`false`;
  return sql`u.drive_id in (select dr.id from package_drives dr where dr.org_id = ${scope.orgId} and (${sql.join(parts, sql` or `)}))`;
}

interface PackageFacts {
  funded: number;
  delivered: number;
  deliveredOfFunded: number;
  valueDelivered: bigint;
  medianDays: number | null;
}

/** Units funded in the period (by the gift's date) and units delivered in it, in scope. */
function packageFacts(db: Db, scope: ReportScope, p: Period): Promise<PackageFacts> {
  return once(scope, `packages:${p.from}:${p.to}`, async () => {
    const { start, end } = periodBounds(p);
    const [r] = await queryRows<{ funded: string; delivered: string; delivered_of_funded: string; value: string; median: string | null }>(
      db,
      sql`with u as (
            select u.*, coalesce(d.received_at, u.created_at) as funded_at from package_units u
            left join donations d on d.id = u.donation_id
            where u.org_id = ${scope.orgId} and ${driveFilter(scope)}
              -- A unit is delivered after it is funded: one delivered before the period was funded
              -- before it too and counts for nothing here (index package_units_delivered_on_idx).
              and (u.delivered_on is null or u.delivered_on >= ${p.from}::date)
          )
          select
            count(*) filter (where funded_at >= ${start} and funded_at < ${end})::text as funded,
            count(*) filter (where status = 'delivered' and delivered_on between ${p.from}::date and ${p.to}::date)::text as delivered,
            count(*) filter (where funded_at >= ${start} and funded_at < ${end} and status = 'delivered')::text as delivered_of_funded,
            coalesce(sum(value_minor) filter (where status = 'delivered' and delivered_on between ${p.from}::date and ${p.to}::date), 0)::text as value,
            (percentile_cont(0.5) within group (order by (delivered_on - (funded_at at time zone 'Asia/Ho_Chi_Minh')::date))
              filter (where status = 'delivered' and delivered_on between ${p.from}::date and ${p.to}::date))::text as median
          from u`,
    );
    return {
      funded: Number(r?.funded ?? 0),
      delivered: Number(r?.delivered ?? 0),
      deliveredOfFunded: Number(r?.delivered_of_funded ?? 0),
      valueDelivered: BigInt(r?.value ?? '0'),
      medianDays: r?.median == null ? null : Math.round(Number(r.median) * 10) / 10,
    };
  });
}

export const INDICATORS: IndicatorDef[] = [
  // --- Money
  received('online', { vi: 'Tiền nhận trực tuyến (thẻ)', en: 'Money received online (card)' }, withNote({ vi: 'Tổng các khoản ủng hộ qua thanh toán thẻ trực tuyến (Stripe), trừ khoản vào quỹ của khoản tài trợ.', en: 'Sum of gifts paid online by card (Stripe), other than into a grant’s fund.' })),
  received('bank', { vi: 'Tiền nhận qua chuyển khoản', en: 'Money received by bank transfer' }, withNote({ vi: 'Tổng các khoản ủng hộ chuyển khoản ngân hàng, trừ khoản vào quỹ của khoản tài trợ.', en: 'Sum of gifts received by bank transfer, other than into a grant’s fund.' })),
  received('cash', { vi: 'Tiền mặt và séc', en: 'Money received in cash or cheque' }, withNote({ vi: 'Tổng các khoản ủng hộ bằng tiền mặt hoặc séc có phiếu thu, trừ khoản vào quỹ của khoản tài trợ.', en: 'Sum of gifts received in cash or by cheque with a receipt, other than into a grant’s fund.' })),
  received('grant', { vi: 'Tiền tài trợ nhận được', en: 'Grant money received' }, withNote({ vi: 'Tổng các khoản nhận vào quỹ hạn chế của các khoản tài trợ (mọi hình thức thanh toán).', en: 'Sum of payments received into the restricted funds of grants (any payment method).' })),
  {
    id: 'in-kind-value-received',
    group: 'money',
    unit: 'money',
    label: { vi: 'Giá trị hiện vật nhận được', en: 'Value of goods received in kind' },
    definition: {
      vi: 'Giá trị ghi sổ của hiện vật nhận được trong kỳ (tài khoản thu nhập hiện vật của sổ cái), theo giá trị ghi nhận khi nhập kho.',
      en: 'Recorded value of goods received in the period (the ledger’s in-kind income account), at the value recorded when they entered stock.',
    },
    compute: async (db, scope, p) => money(-(await ledgerAccountTotal(db, scope, p, 'in_kind_income'))),
  },
  {
    id: 'money-spent-direct-support',
    group: 'money',
    unit: 'money',
    label: { vi: 'Chi hỗ trợ trực tiếp', en: 'Money spent on direct support' },
    definition: {
      vi: 'Tổng chi cho đối tượng trong kỳ từ các quỹ thuộc phạm vi báo cáo (tài khoản chi chương trình của sổ cái: suất quà, hỗ trợ tiền mặt), theo ngày ghi sổ.',
      en: 'Total spent on beneficiaries in the period from the funds in scope (the ledger’s programme expense account: gift packages, cash support), by posting date.',
    },
    compute: async (db, scope, p) => money(await ledgerAccountTotal(db, scope, p, 'programme_expense')),
  },
  {
    id: 'in-kind-value-distributed',
    group: 'money',
    unit: 'money',
    label: { vi: 'Giá trị hiện vật đã phân phát', en: 'Value of goods distributed' },
    definition: {
      vi: 'Giá trị ghi sổ của hiện vật đã xuất kho phân phát cho đối tượng trong kỳ (tài khoản hiện vật đã phân phát của sổ cái).',
      en: 'Recorded value of goods issued from stock to beneficiaries in the period (the ledger’s in-kind distributed account).',
    },
    compute: async (db, scope, p) => money(await ledgerAccountTotal(db, scope, p, 'in_kind_distributed')),
  },

  // --- Beneficiaries
  {
    id: 'beneficiaries-reached',
    group: 'beneficiaries',
    unit: 'count',
    people: true,
    scopes: CASE_SCOPES,
    label: { vi: 'Người được hỗ trợ (không trùng lặp)', en: 'Unique beneficiaries reached' },
    definition: {
      vi: `Số hồ sơ trường hợp khác nhau đã nhận trong kỳ ít nhất: ${BENEFICIARY_SOURCES.map((s) => s.label.vi).join('; ')}. Mỗi người tính một lần dù nhận nhiều lần.`,
      en: `Distinct case records that received in the period at least: ${BENEFICIARY_SOURCES.map((s) => s.label.en).join('; ')}. Each person counts once however often they were helped.`,
    },
    compute: async (db, scope, p) => count((await beneficiaryIds(db, scope, p)).size),
  },

  // --- Cases
  {
    id: 'cases-opened',
    group: 'cases',
    unit: 'count',
    people: true,
    scopes: CASE_SCOPES,
    label: { vi: 'Trường hợp mới tiếp nhận', en: 'Cases opened' },
    definition: { vi: 'Hồ sơ trường hợp được mở (tiếp nhận) trong kỳ.', en: 'Case records opened (intake) in the period.' },
    compute: async (db, scope, p) => count((await caseFacts(db, scope, p)).filter((c) => c.opened).length),
  },
  {
    id: 'cases-handled',
    group: 'cases',
    unit: 'count',
    people: true,
    scopes: CASE_SCOPES,
    sumOf: ['cases-closed', 'cases-open-at-end'],
    label: { vi: 'Trường hợp được quản lý, can thiệp', en: 'Cases handled' },
    definition: {
      vi: 'Hồ sơ trường hợp mở vào bất kỳ thời điểm nào trong kỳ: còn mở vào ngày đầu kỳ, hoặc được mở, chuyển bước hay đóng trong kỳ (theo lịch sử trạng thái).',
      en: 'Case records open at any moment of the period: open on its first day, or opened, advanced or closed during it (from the status history).',
    },
    compute: async (db, scope, p) => count((await caseFacts(db, scope, p)).filter((c) => c.handled).length),
  },
  {
    id: 'cases-closed',
    group: 'cases',
    unit: 'count',
    people: true,
    scopes: CASE_SCOPES,
    label: { vi: 'Trường hợp đã đóng ca', en: 'Cases closed' },
    definition: {
      vi: 'Trường hợp được quản lý trong kỳ và đã đóng vào ngày cuối kỳ (đóng trong kỳ, không mở lại).',
      en: 'Cases handled in the period that are closed on its last day (closed during the period and not re-opened).',
    },
    compute: async (db, scope, p) => count((await caseFacts(db, scope, p)).filter((c) => c.handled && c.statusAtEnd === 'closed').length),
  },
  {
    id: 'cases-open-at-end',
    group: 'cases',
    unit: 'count',
    people: true,
    scopes: CASE_SCOPES,
    label: { vi: 'Trường hợp đang tiếp tục can thiệp', en: 'Cases still in progress' },
    definition: {
      vi: 'Trường hợp được quản lý trong kỳ và vẫn mở (tiếp nhận, đánh giá hoặc can thiệp) vào ngày cuối kỳ.',
      en: 'Cases handled in the period and still open (intake, assessment or intervention) on its last day.',
    },
    compute: async (db, scope, p) => count((await caseFacts(db, scope, p)).filter((c) => c.handled && c.statusAtEnd !== 'closed').length),
  },
  {
    id: 'cases-closed-goals-met',
    group: 'cases',
    unit: 'count',
    people: true,
    scopes: CASE_SCOPES,
    label: { vi: 'Trường hợp đóng ca vì đạt mục tiêu', en: 'Cases closed with goals met' },
    definition: {
      vi: 'Trường hợp đã đóng ca (như trên) với lý do đóng "đạt mục tiêu kế hoạch can thiệp".',
      en: 'Cases closed (as above) with the closure reason "case plan goals met".',
    },
    compute: async (db, scope, p) =>
      count((await caseFacts(db, scope, p)).filter((c) => c.handled && c.statusAtEnd === 'closed' && c.reasonAtEnd === 'goals_met').length),
  },

  // --- Services
  {
    id: 'services-delivered',
    group: 'services',
    unit: 'count',
    people: false,
    scopes: CASE_SCOPES,
    label: { vi: 'Tổng số lượt dịch vụ', en: 'Services delivered' },
    definition: {
      vi: 'Số lượt dịch vụ ghi trong nhật ký dịch vụ của các hồ sơ trong phạm vi, theo ngày cung cấp trong kỳ.',
      en: 'Entries in the services log of the case records in scope, by the day the service was delivered within the period.',
    },
    compute: async (db, scope, p) => count([...(await serviceCounts(db, scope, p)).values()].reduce((a, b) => a + b, 0)),
  },
  ...SERVICE_KINDS.map(
    (kind): IndicatorDef => ({
      id: `services-${kind.replaceAll('_', '-')}`,
      group: 'services',
      unit: 'count',
      people: false,
      scopes: CASE_SCOPES,
      label: SERVICE_LABELS[kind],
      definition: {
        vi: `Số lượt dịch vụ loại "${SERVICE_LABELS[kind].vi.toLowerCase()}" trong nhật ký dịch vụ, theo ngày cung cấp trong kỳ.`,
        en: `Services log entries of the kind "${SERVICE_LABELS[kind].en.toLowerCase()}", by the day delivered within the period.`,
      },
      compute: async (db, scope, p) => count((await serviceCounts(db, scope, p)).get(kind) ?? 0),
    }),
  ),

  // --- Hotline and outreach
  {
    id: 'hotline-calls',
    group: 'outreach',
    unit: 'count',
    people: false,
    scopes: CASE_SCOPES,
    appliesTo: notByCategory,
    label: { vi: 'Cuộc gọi đến đường dây nóng', en: 'Calls to the hotline' },
    definition: {
      vi: 'Cuộc gọi được ghi vào sổ đường dây nóng trong kỳ, kể cả cuộc gọi không dẫn đến mở hồ sơ.',
      en: 'Calls logged on the hotline in the period, including calls that did not lead to a case.',
    },
    compute: async (db, scope, p) => {
      const { start, end } = periodBounds(p);
      const [r] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from hotline_calls h where h.org_id = ${scope.orgId} and ${locationFilter(scope, sql`h.location_id`)}
            and h.received_at >= ${start} and h.received_at < ${end}`,
      );
      return count(Number(r?.n ?? 0));
    },
  },
  ...OUTREACH_KINDS.flatMap((kind): IndicatorDef[] => {
    const l = OUTREACH_LABELS[kind];
    return [
      {
        id: l.id,
        group: 'outreach',
        unit: 'count',
        people: false,
        scopes: CASE_SCOPES,
        appliesTo: notByCategory,
        label: l.events,
        definition: { vi: `Số ${l.events.vi.toLowerCase()} được ghi nhận, theo ngày tổ chức trong kỳ.`, en: `${l.events.en} recorded, by the day held within the period.` },
        compute: async (db, scope, p) => count((await outreachTotals(db, scope, p)).find((r) => r.kind === kind)?.events ?? 0),
      },
      {
        id: `${l.id}-participants`,
        group: 'outreach',
        unit: 'count',
        people: true,
        scopes: CASE_SCOPES,
        appliesTo: notByCategory,
        label: l.participants,
        definition: {
          vi: `Tổng số người tham dự theo danh sách của các buổi "${l.events.vi.toLowerCase()}" trong kỳ; một người dự hai buổi tính hai lần.`,
          en: `Sum of attendance recorded for the ${l.events.en.toLowerCase()} of the period; a person attending twice counts twice.`,
        },
        compute: async (db, scope, p) => count((await outreachTotals(db, scope, p)).find((r) => r.kind === kind)?.participants ?? 0),
      },
    ];
  }),
  ...(['leaflets', 'posters', 'questionnaires'] as const).map(
    (m): IndicatorDef => ({
      id: `materials-${m}`,
      group: 'outreach',
      unit: 'count',
      people: false,
      scopes: CASE_SCOPES,
      appliesTo: notByCategory,
      label: { leaflets: { vi: 'Tờ rơi đã phát', en: 'Leaflets handed out' }, posters: { vi: 'Áp phích', en: 'Posters' }, questionnaires: { vi: 'Phiếu khảo sát', en: 'Survey questionnaires' } }[m],
      definition: {
        vi: 'Tổng số ghi nhận ở các sự kiện truyền thông, tập huấn trong kỳ.',
        en: 'Sum recorded at the awareness and training events of the period.',
      },
      compute: async (db, scope, p) => count((await outreachTotals(db, scope, p)).reduce((a, r) => a + r[m], 0)),
    }),
  ),

  // --- Donors
  {
    id: 'donors-giving',
    group: 'donors',
    unit: 'count',
    people: false,
    sumOf: ['donors-new', 'donors-retained'],
    label: { vi: 'Nhà tài trợ đóng góp trong kỳ', en: 'Donors who gave in the period' },
    definition: {
      vi: 'Nhà tài trợ khác nhau (cá nhân, nhóm, tổ chức) có ít nhất một khoản ủng hộ vào các quỹ thuộc phạm vi trong kỳ; khoản ẩn danh không rõ người cho không được tính.',
      en: 'Distinct donors (people, groups, organisations) with at least one gift into the funds in scope in the period; gifts from unknown givers are not counted.',
    },
    compute: async (db, scope, p) => count((await donorCounts(db, scope, p)).total),
  },
  {
    id: 'donors-new',
    group: 'donors',
    unit: 'count',
    people: false,
    label: { vi: 'Nhà tài trợ mới', en: 'New donors' },
    definition: { vi: 'Nhà tài trợ đóng góp trong kỳ mà trước kỳ chưa từng ủng hộ tổ chức.', en: 'Donors who gave in the period and had never given to the organisation before it.' },
    compute: async (db, scope, p) => {
      const d = await donorCounts(db, scope, p);
      return count(d.total - d.returning);
    },
  },
  {
    id: 'donors-retained',
    group: 'donors',
    unit: 'count',
    people: false,
    label: { vi: 'Nhà tài trợ tiếp tục ủng hộ', en: 'Retained donors' },
    definition: { vi: 'Nhà tài trợ đóng góp trong kỳ và đã từng ủng hộ tổ chức trước kỳ.', en: 'Donors who gave in the period and had also given to the organisation before it.' },
    compute: async (db, scope, p) => count((await donorCounts(db, scope, p)).returning),
  },
  {
    id: 'packages-funded',
    group: 'packages',
    unit: 'count',
    people: false,
    label: { vi: 'Suất quà được tài trợ', en: 'Gift packages funded' },
    definition: {
      vi: 'Số suất quà (đơn vị) được nhà tài trợ trả tiền trong kỳ, theo ngày nhận khoản đóng góp; suất đã hủy vẫn tính vì đã được tài trợ.',
      en: 'Gift packages (units) paid for by donors in the period, by the date the gift was received; later cancellations still count as funded.',
    },
    compute: async (db, scope, p) => count((await packageFacts(db, scope, p)).funded),
  },
  {
    id: 'packages-delivered',
    group: 'packages',
    unit: 'count',
    people: false,
    label: { vi: 'Suất quà đã trao tận tay trẻ', en: 'Gift packages handed to children' },
    definition: {
      vi: 'Số suất quà đã trao cho một trẻ cụ thể, theo ngày trao trong kỳ (trao rồi hoàn tác thì không tính).',
      en: 'Gift packages handed over to a specific child, by the day of the hand-over within the period (deliveries undone are not counted).',
    },
    compute: async (db, scope, p) => count((await packageFacts(db, scope, p)).delivered),
  },
  {
    id: 'packages-delivered-percent',
    group: 'packages',
    unit: 'percent',
    people: false,
    label: { vi: 'Tỷ lệ suất quà được tài trợ trong kỳ đã trao', en: 'Share of the period’s funded packages already delivered' },
    definition: {
      vi: 'Trong số suất quà được tài trợ trong kỳ, tỷ lệ đã trao tận tay trẻ (tính đến thời điểm lập báo cáo).',
      en: 'Of the packages funded in the period, the share already handed to a child (as of when the report is generated).',
    },
    compute: async (db, scope, p) => {
      const f = await packageFacts(db, scope, p);
      return f.funded === 0
        ? { unit: 'percent', value: 0 }
        : { unit: 'percent', value: percentBasisPoints(f.deliveredOfFunded, f.funded), counts: { numerator: f.deliveredOfFunded, denominator: f.funded } };
    },
  },
  {
    id: 'packages-median-days',
    group: 'packages',
    unit: 'days',
    people: false,
    label: { vi: 'Số ngày trung vị từ khi được tài trợ đến khi trao', en: 'Median days from funding to delivery' },
    definition: {
      vi: 'Trung vị số ngày giữa ngày nhận khoản đóng góp và ngày trao, của các suất quà trao trong kỳ (0 khi chưa có suất nào).',
      en: 'Median number of days between the gift’s date and the hand-over, over the packages delivered in the period (0 when none).',
    },
    compute: async (db, scope, p) => ({ unit: 'days', value: (await packageFacts(db, scope, p)).medianDays ?? 0 }),
  },
  {
    id: 'packages-value-delivered',
    group: 'packages',
    unit: 'money',
    people: false,
    label: { vi: 'Giá trị suất quà đã trao', en: 'Value of gift packages delivered' },
    definition: {
      vi: 'Tổng giá trị (theo giá trị mỗi suất của đợt vận động) các suất quà trao trong kỳ, bằng đồng tiền cơ sở của tổ chức.',
      en: 'Sum of the unit value of the packages delivered in the period, in the organisation’s base currency.',
    },
    compute: async (db, scope, p) => money((await packageFacts(db, scope, p)).valueDelivered),
  },
  {
    id: 'inkind-items-distributed',
    group: 'inkind',
    unit: 'count',
    people: false,
    scopes: ['organisation'],
    label: { vi: 'Hiện vật đã trao (số đơn vị)', en: 'In-kind items distributed (units)' },
    definition: {
      vi: 'Tổng số đơn vị hiện vật (cái, bộ, kg…) xuất kho để trao cho trẻ hoặc tại sự kiện, theo ngày trao trong kỳ; hàng hỏng, hết hạn không tính.',
      en: 'Units of goods (pieces, sets, kg…) taken out of stock and given to children or at events, by the day given within the period; damaged or expired goods are not counted.',
    },
    compute: async (db, scope, p) => {
      const [r] = await queryRows<{ n: string }>(
        db,
        sql`select coalesce(sum(-m.quantity), 0)::text as n from stock_movements m join inkind_distributions d on d.id = m.distribution_id
            where m.org_id = ${scope.orgId} and m.kind = 'distribute' and d.distributed_on between ${p.from}::date and ${p.to}::date`,
      );
      return count(Number(r?.n ?? 0));
    },
  },
  {
    id: 'inkind-events',
    group: 'inkind',
    unit: 'count',
    people: false,
    scopes: ['organisation'],
    label: { vi: 'Đợt trao hiện vật tại sự kiện', en: 'Group distributions of goods at events' },
    definition: {
      vi: 'Số đợt trao hiện vật cho một nhóm (sự kiện, lễ khai giảng…) trong kỳ.',
      en: 'Distributions of goods to a group (an event, a school-year opening…) held within the period.',
    },
    compute: async (db, scope, p) => {
      const [r] = await queryRows<{ n: string }>(
        db,
        sql`select count(*)::text as n from inkind_distributions d where d.org_id = ${scope.orgId} and d.case_id is null
            and d.distributed_on between ${p.from}::date and ${p.to}::date`,
      );
      return count(Number(r?.n ?? 0));
    },
  },
];

export function indicatorById(id: string): IndicatorDef | undefined {
  return INDICATORS.find((i) => i.id === id);
}

export function indicatorsFor(scope: ReportScope): IndicatorDef[] {
  return INDICATORS.filter((i) => (!i.scopes || i.scopes.includes(scope.kind)) && (!i.appliesTo || i.appliesTo(scope)));
}

// ---------------------------------------------------------------------------------------------
// Breakdowns of beneficiaries reached: gender × age band, main category, location.

const GENDER_ROWS: Category[] = [
  { key: 'female', label: { vi: 'Nữ', en: 'Female' } },
  { key: 'male', label: { vi: 'Nam', en: 'Male' } },
  { key: 'other', label: { vi: 'Khác / không ghi', en: 'Other / not recorded' } },
];
const genderRow = (g: string) => (g === 'female' ? 0 : g === 'male' ? 1 : 2);
void GENDERS;

const AGE_LABEL: Record<AgeBand, Text> = {
  '0-5': { vi: '0–5 tuổi', en: '0–5 years' },
  '6-10': { vi: '6–10 tuổi', en: '6–10 years' },
  '11-15': { vi: '11–15 tuổi', en: '11–15 years' },
  '16-17': { vi: '16–17 tuổi', en: '16–17 years' },
  '18-59': { vi: '18–59 tuổi', en: '18–59 years' },
  '60+': { vi: 'Từ 60 tuổi', en: '60 years and over' },
};

export async function beneficiaryBreakdowns(db: Db, scope: ReportScope, p: Period): Promise<BreakdownTable[]> {
  const ids = await beneficiaryIds(db, scope, p);
  const facts = (await caseFacts(db, scope, p)).filter((c) => ids.has(c.id));
  const asOf = new Date(vnDayStart(p.to).getTime() + 12 * 3_600_000);

  const byGenderAge = GENDER_ROWS.map(() => AGE_BANDS.map(() => 0));
  for (const c of facts) byGenderAge[genderRow(c.gender)]![AGE_BANDS.indexOf(caseAgeBand(c.birthYear, asOf))]!++;

  const cats = await queryRows<{ key: string; label_vi: string; label_en: string }>(
    db,
    sql`select key, label_vi, label_en from case_categories where org_id = ${scope.orgId} order by sort, key`,
  );
  const catRows: Category[] = [...cats.map((c) => ({ key: c.key.replaceAll('_', '-'), label: { vi: c.label_vi, en: c.label_en } })), { key: 'none', label: { vi: 'Chưa phân loại', en: 'Not categorised' } }];
  const catIndex = new Map(cats.map((c, i) => [c.key, i]));
  const byCat = catRows.map(() => [0]);
  for (const c of facts) byCat[c.mainCategory !== null && catIndex.has(c.mainCategory) ? catIndex.get(c.mainCategory)! : catRows.length - 1]![0]!++;

  // Locations rolled up to the level below the top of the tree (communes and wards of the province).
  const locs = await queryRows<{ id: string; name: string; path: string }>(db, sql`select id, name, path from locations where org_id = ${scope.orgId} order by path`);
  const byId = new Map(locs.map((l) => [l.id, l]));
  const areaOf = (id: string) => {
    const parts = byId.get(id)?.path.split('/').filter(Boolean) ?? [id];
    return parts[Math.min(1, parts.length - 1)]!;
  };
  const areas = [...new Set(facts.map((c) => areaOf(c.locationId)))].sort((a, b) => (byId.get(a)?.name ?? a).localeCompare(byId.get(b)?.name ?? b, 'vi'));
  const byArea = areas.map((a) => [facts.filter((c) => areaOf(c.locationId) === a).length]);

  const people = { vi: 'Số người', en: 'People' };
  const genderAge: BreakdownTable = {
      id: 'beneficiaries-by-gender-age',
      indicatorId: 'beneficiaries-reached',
      title: { vi: 'Người được hỗ trợ theo giới tính và độ tuổi', en: 'Beneficiaries reached by gender and age' },
      description: { vi: 'Tuổi tính theo năm sinh, tại năm của ngày cuối kỳ.', en: 'Age from the birth year, in the year of the last day of the period.' },
      rowsLabel: { vi: 'Giới tính', en: 'Gender' },
      columnsLabel: { vi: 'Độ tuổi', en: 'Age' },
      rows: GENDER_ROWS,
      columns: AGE_BANDS.map((b) => ({ key: `age-${b.replace('+', '-plus')}`, label: AGE_LABEL[b] })),
      counts: byGenderAge,
  };
  const tables: BreakdownTable[] = [
    {
      id: 'beneficiaries-by-category',
      indicatorId: 'beneficiaries-reached',
      title: { vi: 'Người được hỗ trợ theo nhóm đối tượng chính', en: 'Beneficiaries reached by main category' },
      description: { vi: 'Nhóm đối tượng đầu tiên ghi trên hồ sơ.', en: 'The first category recorded on the case.' },
      rowsLabel: { vi: 'Nhóm đối tượng', en: 'Category' },
      columnsLabel: people,
      rows: catRows,
      columns: [{ key: 'people', label: people }],
      counts: byCat,
    },
  ];
  if (areas.length) {
    tables.push({
      id: 'beneficiaries-by-location',
      indicatorId: 'beneficiaries-reached',
      title: { vi: 'Người được hỗ trợ theo địa bàn', en: 'Beneficiaries reached by area' },
      rowsLabel: { vi: 'Địa bàn', en: 'Area' },
      columnsLabel: people,
      rows: areas.map((a, i) => ({ key: `area-${i + 1}`, label: { vi: byId.get(a)?.name ?? '?', en: byId.get(a)?.name ?? '?' } })),
      columns: [{ key: 'people', label: people }],
      counts: byArea,
    });
  }
  // Last: IATI disaggregates an indicator's actuals by its last breakdown.
  tables.push(genderAge);
  return tables;
}
