/**
 * From records to a ReportModel: runs the indicator registry for a scope and period, adds the
 * breakdowns, the sources-and-uses table read from the ledger, grant targets and the IATI
 * activity data. The model is then frozen as a version (versions.ts) and published by the toolkit.
 */
import { and, eq, sql } from 'drizzle-orm';
import { grantTargets } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { independentReads } from '../db/retry';
import { MONEY_ACCOUNTS } from '../giving/ledger';
import type { Locale } from '../ui/i18n';
import {
  CURRENCY_DIGITS,
  type ActivityInfo,
  type ChartSpec,
  type Indicator,
  type IndicatorGroup,
  type MoneyLine,
  type MoneyTable,
  type OrganisationKind,
  type ReportModel,
  type Text,
} from './model';
import { beneficiaryBreakdowns, GROUPS, indicatorsFor, type IndicatorGroupId } from './indicators';
import { fundFilter, type Period, type ReportScope } from './scope';

const moneyAccounts = sql.join(
  MONEY_ACCOUNTS.map((a) => sql`${a}`),
  sql`, `,
);

type LineKey = 'online' | 'bank' | 'cash' | 'grant' | 'other-income' | 'currency-conversion' | 'transfers' | 'refunds' | 'card-fees' | 'direct-support' | 'in-kind' | 'other';

const LINE_LABEL: Record<LineKey, Text> = {
  online: { vi: 'Ủng hộ trực tuyến (thẻ)', en: 'Online gifts (card)' },
  bank: { vi: 'Ủng hộ qua chuyển khoản', en: 'Gifts by bank transfer' },
  cash: { vi: 'Ủng hộ tiền mặt, séc', en: 'Gifts in cash or cheque' },
  grant: { vi: 'Tiền tài trợ', en: 'Grant payments' },
  'other-income': { vi: 'Thu khác', en: 'Other income' },
  'currency-conversion': { vi: 'Quy đổi ngoại tệ', en: 'Currency conversion' },
  transfers: { vi: 'Điều chuyển giữa các quỹ', en: 'Transfers between funds' },
  refunds: { vi: 'Hoàn trả cho nhà tài trợ', en: 'Refunds to donors' },
  'card-fees': { vi: 'Phí thanh toán thẻ', en: 'Card payment fees' },
  'direct-support': { vi: 'Chi hỗ trợ trực tiếp cho đối tượng', en: 'Direct support to beneficiaries' },
  'in-kind': { vi: 'Hàng hiện vật', en: 'Goods in kind' },
  other: { vi: 'Khác', en: 'Other' },
};

function classify(account: string, channel: string | null, fundKind: string): LineKey {
  switch (account) {
    case 'donations_income':
      if (fundKind === 'grant') return 'grant';
      return channel === 'stripe' ? 'online' : channel === 'bank_transfer' ? 'bank' : channel === 'cash' || channel === 'cheque' ? 'cash' : 'other-income';
    case 'refunds':
      return 'refunds';
    case 'stripe_fees':
      return 'card-fees';
    case 'programme_expense':
      return 'direct-support';
    case 'transfers':
      return 'transfers';
    case 'fx_conversion':
      return 'currency-conversion';
    default:
      return account.startsWith('in_kind') ? 'in-kind' : 'other';
  }
}

/** The report's days: the period in the organisation's calendar (ledger_day_totals.day). */
const dayBounds = (p: Period) => ({ from: sql`${p.from}::date`, to: sql`${p.to}::date` });

/**
 * Money held (sum of money accounts) by the funds in scope before the period opens and when it
 * closes, per currency: one pass over the ledger's day totals, each balance summed on its own (so
 * that opening + sources − uses = closing stays a real check, not a derivation).
 */
async function balancesAround(db: Db, scope: ReportScope, p: Period) {
  const { from, to } = dayBounds(p);
  const rows = await queryRows<{ currency: string; opening: string; closing: string }>(
    db,
    sql`select t.currency, coalesce(sum(t.amount_minor) filter (where t.day < ${from}), 0)::text as opening, sum(t.amount_minor)::text as closing
        from ledger_day_totals t
        where t.org_id = ${scope.orgId} and ${fundFilter(scope, sql`t.fund_id`)} and t.account in (${moneyAccounts}) and t.day <= ${to}
        group by t.currency`,
  );
  return {
    opening: new Map(rows.map((r) => [r.currency, BigInt(r.opening)])),
    closing: new Map(rows.map((r) => [r.currency, BigInt(r.closing)])),
  };
}

/**
 * Sources and uses per currency, from the ledger: every posting of the period that changed the
 * money held by a fund in scope, classified by its other side (gift by channel, grant, fee,
 * refund, programme expense, transfer, conversion). By construction, and checked again by the
 * toolkit: opening + sources − uses = closing.
 *
 * Read from the ledger's day totals (`ledger_day_totals`, kept by a trigger on every posting):
 * per day, fund, currency and account, with the gift channel on gift income and whether the
 * line's posting moved that fund's money. A posting moves money per fund; a transfer between two
 * funds in scope therefore shows both of its sides, which cancel in "transfers".
 */
export async function sourcesAndUses(db: Db, scope: ReportScope, p: Period): Promise<MoneyTable[]> {
  const { from, to } = dayBounds(p);
  const balances = balancesAround(db, scope, p);
  const rows = await queryRows<{ currency: string; account: string; channel: string | null; fund_kind: string; total: string }>(
    db,
    sql`select t.currency, case when t.account in (${moneyAccounts}) then '$money' else t.account end as account,
               nullif(t.channel, '') as channel, f.kind as fund_kind, sum(t.amount_minor)::text as total
        from ledger_day_totals t
        join funds f on f.id = t.fund_id
        where t.org_id = ${scope.orgId} and ${fundFilter(scope, sql`t.fund_id`)} and t.moving and t.day between ${from} and ${to}
        group by 1, 2, 3, 4`,
  );
  const { opening, closing } = await balances;
  const currencies = new Set<string>([scope.baseCurrency, ...opening.keys(), ...closing.keys(), ...rows.map((r) => r.currency)]);
  const tables: MoneyTable[] = [];
  for (const currency of [...currencies].sort((a, b) => (a === scope.baseCurrency ? -1 : b === scope.baseCurrency ? 1 : a.localeCompare(b)))) {
    if (CURRENCY_DIGITS[currency] === undefined) continue;
    const open = opening.get(currency) ?? 0n;
    const close = closing.get(currency) ?? 0n;
    const mine = rows.filter((r) => r.currency === currency);
    if (currency !== scope.baseCurrency && open === 0n && close === 0n && mine.length === 0) continue;
    const byKey = new Map<LineKey, bigint>();
    let explained = 0n;
    for (const r of mine) {
      if (r.account === '$money') continue;
      const k = classify(r.account, r.channel, r.fund_kind);
      const contribution = -BigInt(r.total);
      explained += contribution;
      byKey.set(k, (byKey.get(k) ?? 0n) + contribution);
    }
    // Postings that balance against funds outside the scope (none today): shown, never dropped.
    const delta = mine.filter((r) => r.account === '$money').reduce((a, r) => a + BigInt(r.total), 0n);
    if (delta !== explained) byKey.set('transfers', (byKey.get('transfers') ?? 0n) + (delta - explained));
    const order = Object.keys(LINE_LABEL) as LineKey[];
    const sources: MoneyLine[] = [];
    const uses: MoneyLine[] = [];
    for (const k of order) {
      const v = byKey.get(k);
      if (v === undefined || v === 0n) continue;
      if (v > 0n) sources.push({ key: k, label: LINE_LABEL[k], amount: v });
      else uses.push({ key: k, label: LINE_LABEL[k], amount: -v });
    }
    const suffix = currency === scope.baseCurrency ? '' : `-${currency.toLowerCase()}`;
    tables.push({
      id: `sources-and-uses${suffix}`,
      title: { vi: `Nguồn và sử dụng kinh phí (${currency})`, en: `Sources and uses of funds (${currency})` },
      description: {
        vi: 'Từ sổ cái, theo ngày ghi sổ trong kỳ; số dư là tiền của các quỹ thuộc phạm vi báo cáo (tiền mặt, ngân hàng, số dư Stripe).',
        en: 'From the ledger, by posting date within the period; balances are the money held by the funds in scope (cash, bank, Stripe balance).',
      },
      currency,
      openingBalance: open,
      sources,
      uses,
      closingBalance: close,
    });
  }
  return tables;
}

export interface BuildOptions {
  language: Locale;
  generatedAt: Date;
  version: number;
}

/** Grant targets keyed by indicator id, as numbers/bigints matching the indicator's unit. */
async function targetsOf(db: Db, scope: ReportScope) {
  if (!scope.grant) return new Map<string, { baselineYear: number | null; baselineValue: bigint | null; targetValue: bigint }>();
  const rows = await db
    .select()
    .from(grantTargets)
    .where(and(eq(grantTargets.orgId, scope.orgId), eq(grantTargets.grantId, scope.grant.id)));
  return new Map(rows.map((r) => [r.indicatorId, r]));
}

const fmtDate = (d: string, locale: Locale) => (locale === 'vi' ? d.split('-').reverse().join('/') : d);

export async function buildReportModel(db: Db, scope: ReportScope, period: Period, opts: BuildOptions): Promise<ReportModel> {
  const defs = indicatorsFor(scope);
  const hasCases = defs.some((d) => d.id === 'beneficiaries-reached');
  // Every figure is an independent read: on a pool they run side by side (inside a transaction,
  // one after another), and the report is assembled in the definitions' order.
  const [targets, values, breakdowns, moneyTables] = await independentReads(db, [
    () => targetsOf(db, scope),
    () => independentReads(db, defs.map((def) => () => def.compute(db, scope, period))),
    () => (hasCases ? beneficiaryBreakdowns(db, scope, period) : Promise.resolve([])),
    () => sourcesAndUses(db, scope, period),
  ] as const);
  const groups = new Map<IndicatorGroupId, Indicator[]>();
  for (const [i, def] of defs.entries()) {
    const v = values[i]!;
    const t = targets.get(def.id);
    const common = { id: def.id, label: def.label, definition: def.definition, ascending: def.ascending };
    let ind: Indicator;
    const baselineYear = t?.baselineYear ?? null;
    const baselineValue = t?.baselineValue ?? null;
    if (v.unit === 'money') {
      ind = {
        ...common,
        unit: 'money',
        currency: scope.baseCurrency,
        value: v.value,
        ...(baselineYear !== null && baselineValue !== null ? { baseline: { year: baselineYear, value: baselineValue } } : {}),
        ...(t ? { target: t.targetValue } : {}),
      };
    } else if (v.unit === 'count') {
      ind = {
        ...common,
        unit: 'count',
        people: def.people ?? false,
        value: v.value,
        ...(def.sumOf ? { sumOf: def.sumOf } : {}),
        ...(baselineYear !== null && baselineValue !== null ? { baseline: { year: baselineYear, value: Number(baselineValue) } } : {}),
        ...(t ? { target: Number(t.targetValue) } : {}),
      };
    } else if (v.unit === 'percent') {
      ind = {
        ...common,
        unit: 'percent',
        value: v.value,
        ...(v.counts ? { counts: { ...v.counts, people: def.people ?? false } } : {}),
        ...(baselineYear !== null && baselineValue !== null ? { baseline: { year: baselineYear, value: Number(baselineValue) } } : {}),
        ...(t ? { target: Number(t.targetValue) } : {}),
      };
    } else {
      ind = { ...common, unit: 'days', value: v.value, ...(t ? { target: Number(t.targetValue) / 10 } : {}) };
    }
    const list = groups.get(def.group) ?? [];
    list.push(ind);
    groups.set(def.group, list);
  }
  const indicatorGroups: IndicatorGroup[] = [...groups.entries()].map(([id, indicators]) => ({
    id,
    title: GROUPS[id].title,
    resultKind: GROUPS[id].resultKind,
    indicators,
  }));

  const withTargets = indicatorGroups.flatMap((g) => g.indicators).filter((i) => i.target !== undefined && BigInt(i.target) > 0n && i.ascending !== false && i.unit !== 'money');
  const charts: ChartSpec[] = [];
  if (withTargets.length) charts.push({ kind: 'progress', id: 'progress-to-targets', title: { vi: 'Tiến độ so với mục tiêu', en: 'Progress towards targets' }, indicators: withTargets.map((i) => i.id) });
  if (breakdowns.some((b) => b.id === 'beneficiaries-by-gender-age')) {
    charts.push({ kind: 'bars', id: 'beneficiaries-by-age', title: { vi: 'Người được hỗ trợ theo độ tuổi', en: 'Beneficiaries by age' }, source: { breakdown: 'beneficiaries-by-gender-age', series: 'columnTotals' } });
  }
  const main = moneyTables[0];
  if (main?.sources.length) charts.push({ kind: 'bars', id: 'sources-of-funds', title: { vi: 'Nguồn kinh phí', en: 'Sources of funds' }, source: { moneyTable: main.id, side: 'sources' } });
  if (main?.uses.length) charts.push({ kind: 'bars', id: 'uses-of-funds', title: { vi: 'Sử dụng kinh phí', en: 'Uses of funds' }, source: { moneyTable: main.id, side: 'uses' } });

  const scopeWord: Text = scope.kind === 'grant' ? { vi: 'khoản tài trợ', en: 'grant' } : scope.kind === 'campaign' ? { vi: 'chương trình', en: 'campaign' } : { vi: 'tổ chức', en: 'organisation' };
  const title: Text = {
    vi: `Báo cáo kết quả: ${scope.label.vi}, ${fmtDate(period.from, 'vi')}–${fmtDate(period.to, 'vi')}`,
    en: `Impact report: ${scope.label.en}, ${period.from} to ${period.to}`,
  };
  const summary: Text | undefined =
    scope.kind === 'grant' && scope.cases
      ? {
          vi: `Số liệu về trường hợp, dịch vụ và người được hỗ trợ chỉ tính những hồ sơ thuộc mục đích của ${scopeWord.vi}${scope.cases.categories.length ? ` (nhóm đối tượng: ${scope.cases.categories.join(', ')})` : ''}${scope.cases.locationIds ? ' và địa bàn được tài trợ' : ''}.`,
          en: `Case, service and beneficiary figures count only the case records within the ${scopeWord.en}’s purpose${scope.cases.categories.length ? ` (categories: ${scope.cases.categories.join(', ')})` : ''}${scope.cases.locationIds ? ' and funded areas' : ''}.`,
        }
      : undefined;

  const model: ReportModel = {
    meta: {
      title,
      orgName: { vi: scope.orgName, en: scope.orgName },
      scope: { kind: scope.kind, label: scope.label },
      period,
      language: opts.language,
      generatedAt: opts.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      version: opts.version,
      ...(summary ? { summary } : {}),
    },
    groups: indicatorGroups,
    breakdowns,
    moneyTables,
    charts,
  };
  if (scope.grant) model.activity = activityOf(scope);
  return model;
}

const IATI_ORG_TYPES: OrganisationKind[] = ['government', 'local-government', 'other-public-sector', 'international-ngo', 'national-ngo', 'foundation', 'private-sector', 'academic', 'multilateral', 'other'];

/** IATI activity data of a grant. The reporting org ref is a placeholder until the centre registers one. */
export function activityOf(scope: ReportScope): ActivityInfo {
  const g = scope.grant!;
  const ref = `XI-IATI-SECHIA-${scope.orgShortCode}`;
  const orgName: Text = { vi: scope.orgName, en: scope.orgName };
  const funderType = (IATI_ORG_TYPES as string[]).includes(g.funderType) ? (g.funderType as OrganisationKind) : 'other';
  return {
    identifier: `${ref}-${g.code.toUpperCase()}`,
    reportingOrg: { ref, type: 'other-public-sector', name: orgName },
    description: { vi: g.description || g.title, en: g.description || g.titleEn || g.title },
    participatingOrgs: [
      { role: 'funding', name: { vi: g.funderName, en: g.funderName }, type: funderType, ...(g.funderRef ? { ref: g.funderRef } : {}) },
      { role: 'implementing', ref, type: 'other-public-sector', name: orgName },
    ],
    status: 'implementation',
    dates: { plannedStart: g.startsOn, plannedEnd: g.endsOn },
    budgets: [{ periodStart: g.startsOn, periodEnd: g.endsOn, valueDate: g.startsOn, amount: g.amountMinor, currency: g.currency, committed: true }],
    recipientCountry: 'VN',
    sector: '16010',
  };
}
