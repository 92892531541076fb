/**
 * The in-memory model of an impact report, independent of where its numbers come from.
 *
 * The report builder computes indicator values, breakdown counts and money lines from the
 * ledgers and hands a `ReportModel` to `publishReport()` (publish.ts), which validates it and
 * applies small-cell suppression. Every output format (HTML, PDF, CSV, JSON, IATI XML, SVG)
 * renders from the resulting `PublishedReport` only, so no renderer can print a suppressed count:
 * the published model no longer holds it.
 *
 * Money is always an integer amount in minor units (bigint) with an ISO 4217 code: VND and JPY
 * have no minor unit. Counts are non-negative safe integers. Percentages are integer basis points
 * (1% = 100). Nothing here identifies a person: the model only has room for aggregates.
 */
import type { Locale } from '../ui/i18n';

export type { Locale };

/** A text in both languages of the platform. */
export interface Text {
  vi: string;
  en: string;
}

export type ScopeKind = 'organisation' | 'campaign' | 'grant';

export interface ReportMeta {
  title: Text;
  orgName: Text;
  scope: { kind: ScopeKind; label: Text };
  /** Inclusive ISO dates (YYYY-MM-DD). */
  period: { from: string; to: string };
  /** The language the report was requested in; every output still carries both. */
  language: Locale;
  /** ISO date-time (UTC) when the numbers were computed. */
  generatedAt: string;
  /** 1 for the first issue of this report, 2 when it is re-issued with corrected data, ... */
  version: number;
  summary?: Text;
}

export type IndicatorUnit = 'count' | 'money' | 'percent' | 'days';

interface IndicatorCommon {
  /** Stable slug (a-z, 0-9, "-"), used in file names, anchors and IATI. */
  id: string;
  label: Text;
  /** A precise, written definition: what is counted, from which records, over which dates. */
  definition: Text;
  /** true when more is better (IATI @ascending). Default true. */
  ascending?: boolean;
}

export interface CountIndicator extends IndicatorCommon {
  unit: 'count';
  /** Counts of people (children, cases, households) are subject to small-cell suppression. */
  people: boolean;
  value: number;
  baseline?: { year: number; value: number };
  target?: number;
  /**
   * Ids of count indicators whose values add up exactly to this one (e.g. cases handled =
   * closed + still in intervention). Suppression treats them as one table with this total, so a
   * hidden part cannot be recovered by subtraction.
   */
  sumOf?: string[];
}

export interface MoneyIndicator extends IndicatorCommon {
  unit: 'money';
  currency: string;
  value: bigint;
  baseline?: { year: number; value: bigint };
  target?: bigint;
}

export interface PercentIndicator extends IndicatorCommon {
  unit: 'percent';
  /** Basis points: 10000 = 100%. */
  value: number;
  /**
   * The counts the percentage is made of (a share, or a ratio such as this year / last year). When
   * they count people and either of them, or the remainder of a share, is a small number, the
   * percentage is suppressed too: 3 of 7 would reveal both.
   */
  counts?: { numerator: number; denominator: number; people: boolean };
  baseline?: { year: number; value: number };
  target?: number;
}

export interface DaysIndicator extends IndicatorCommon {
  unit: 'days';
  /** Days, at most one decimal. */
  value: number;
  baseline?: { year: number; value: number };
  target?: number;
}

export type Indicator = CountIndicator | MoneyIndicator | PercentIndicator | DaysIndicator;

export type ResultKind = 'output' | 'outcome' | 'impact' | 'other';

/** Indicators that belong together; one IATI <result> each. */
export interface IndicatorGroup {
  id: string;
  title: Text;
  description?: Text;
  resultKind: ResultKind;
  indicators: Indicator[];
}

export interface Category {
  /** Stable slug of the category (e.g. "female", "age-6-10"). */
  key: string;
  label: Text;
}

/**
 * Counts of people by one or two characteristics (e.g. gender × age band). With one column it is
 * a one-way breakdown: only the column total is published. With several columns, row totals,
 * column totals and the grand total are published. Totals are always derived from the counts.
 */
export interface BreakdownTable {
  id: string;
  title: Text;
  description?: Text;
  /** The count indicator this table breaks down: its value must equal the grand total. */
  indicatorId?: string;
  rowsLabel: Text;
  columnsLabel: Text;
  rows: Category[];
  columns: Category[];
  /** counts[row][column], non-negative integers. */
  counts: number[][];
}

export type TransactionKind = 'incoming-funds' | 'incoming-commitment' | 'disbursement' | 'expenditure';

export interface OrgRef {
  name: Text;
  /** IATI organisation identifier, when the organisation has one. */
  ref?: string;
  type?: OrganisationKind;
}

export interface MoneyLine {
  key: string;
  label: Text;
  amount: bigint;
  /** How the line appears as an IATI transaction (sources default to incoming funds, uses to expenditure). */
  transaction?: TransactionKind;
  /** Value date of the line for IATI (default: the last day of the period). */
  date?: string;
  /** Who gave (sources) or received (uses) the money, when it is an organisation. */
  counterpart?: OrgRef;
}

/**
 * Sources and uses of money over the period. The builder passes the opening and closing balances
 * read from the ledger; the table must balance: opening + sources − uses = closing.
 */
export interface MoneyTable {
  id: string;
  title: Text;
  description?: Text;
  currency: string;
  openingBalance: bigint;
  sources: MoneyLine[];
  uses: MoneyLine[];
  closingBalance: bigint;
}

export type ChartSpec =
  | {
      kind: 'bars';
      id: string;
      title: Text;
      description?: Text;
      source:
        | { breakdown: string; series: 'rowTotals' | 'columnTotals' }
        | { moneyTable: string; side: 'sources' | 'uses' }
        | { indicators: string[] };
    }
  | { kind: 'progress'; id: string; title: Text; description?: Text; indicators: string[] };

export type OrganisationKind =
  | 'government'
  | 'local-government'
  | 'other-public-sector'
  | 'international-ngo'
  | 'national-ngo'
  | 'foundation'
  | 'private-sector'
  | 'academic'
  | 'multilateral'
  | 'other';

export type ParticipatingRole = 'funding' | 'accountable' | 'extending' | 'implementing';

export type ActivityStatusKind = 'pipeline' | 'implementation' | 'finalisation' | 'closed' | 'cancelled' | 'suspended';

/** What IATI needs beyond the report itself; present for grant reports. */
export interface ActivityInfo {
  /** Must start with the reporting organisation's ref and a hyphen. */
  identifier: string;
  reportingOrg: { ref: string; type: OrganisationKind; name: Text };
  description: Text;
  participatingOrgs: (OrgRef & { role: ParticipatingRole })[];
  status: ActivityStatusKind;
  dates: { plannedStart?: string; actualStart?: string; plannedEnd?: string; actualEnd?: string };
  budgets: {
    periodStart: string;
    periodEnd: string;
    valueDate: string;
    amount: bigint;
    currency: string;
    revised?: boolean;
    committed?: boolean;
  }[];
  /** The money table whose lines become IATI transactions (default: the first one). */
  transactionsFrom?: string;
  /** ISO 3166-1 alpha-2; default VN. */
  recipientCountry?: 'VN';
  /** DAC 5-digit purpose code; default 16010 Social Protection. */
  sector?: '16010' | '15180' | '11220' | '12220';
}

export interface ReportModel {
  meta: ReportMeta;
  groups: IndicatorGroup[];
  breakdowns: BreakdownTable[];
  moneyTables: MoneyTable[];
  charts: ChartSpec[];
  activity?: ActivityInfo;
}

/** ISO 4217 minor-unit digits of the currencies reports accept. */
export const CURRENCY_DIGITS: Readonly<Record<string, number>> = {
  VND: 0,
  JPY: 0,
  KRW: 0,
  USD: 2,
  EUR: 2,
  GBP: 2,
  AUD: 2,
  SGD: 2,
};

/** An amount in minor units as an exact decimal string in major units ("1234.50", "22500000"). */
export function minorToDecimal(amount: bigint, currency: string): string {
  const digits = CURRENCY_DIGITS[currency];
  if (digits === undefined) throw new Error(`unsupported currency ${currency}`);
  const sign = amount < 0n ? '-' : '';
  const abs = amount < 0n ? -amount : amount;
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10n ** BigInt(digits);
  return `${sign}${abs / scale}.${(abs % scale).toString().padStart(digits, '0')}`;
}

export function allIndicators(model: { groups: { indicators: readonly Indicator[] }[] }): Indicator[] {
  return model.groups.flatMap((g) => g.indicators);
}

export class ReportModelError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`The report model is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'ReportModelError';
  }
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Every problem with a model, as paths and messages; empty when it can be published. */
export function validateReportModel(model: ReportModel): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const bad = (path: string, message: string) => issues.push({ path, message });
  const text = (path: string, t: Text | undefined, required = true) => {
    if (!t) {
      if (required) bad(path, 'is required in Vietnamese and English');
      return;
    }
    if (!t.vi?.trim()) bad(`${path}.vi`, 'must not be empty');
    if (!t.en?.trim()) bad(`${path}.en`, 'must not be empty');
  };
  const currency = (path: string, c: string) => {
    if (CURRENCY_DIGITS[c] === undefined) bad(path, `unsupported currency "${c}" (one of ${Object.keys(CURRENCY_DIGITS).join(', ')})`);
  };
  const date = (path: string, d: string | undefined) => {
    if (d !== undefined && !isIsoDate(d)) bad(path, 'must be a date YYYY-MM-DD');
  };

  const { meta } = model;
  text('meta.title', meta.title);
  text('meta.orgName', meta.orgName);
  text('meta.scope.label', meta.scope.label);
  text('meta.summary', meta.summary, false);
  if (!['organisation', 'campaign', 'grant'].includes(meta.scope.kind)) bad('meta.scope.kind', 'must be organisation, campaign or grant');
  date('meta.period.from', meta.period.from);
  date('meta.period.to', meta.period.to);
  if (isIsoDate(meta.period.from) && isIsoDate(meta.period.to) && meta.period.from > meta.period.to) bad('meta.period', 'starts after it ends');
  if (meta.language !== 'vi' && meta.language !== 'en') bad('meta.language', 'must be vi or en');
  if (Number.isNaN(Date.parse(meta.generatedAt)) || !/^\d{4}-\d{2}-\d{2}T/.test(meta.generatedAt)) bad('meta.generatedAt', 'must be an ISO date-time');
  if (!Number.isSafeInteger(meta.version) || meta.version < 1) bad('meta.version', 'must be a positive integer');

  const ids = new Map<string, string>();
  const uniqueId = (path: string, kind: string, id: string) => {
    if (!SLUG.test(id)) bad(`${path}.id`, 'must be a slug of a-z, 0-9 and "-"');
    const key = `${kind}:${id}`;
    if (ids.has(key)) bad(`${path}.id`, `duplicates ${ids.get(key)}`);
    ids.set(key, path);
  };

  const indicators = new Map<string, Indicator>();
  model.groups.forEach((g, gi) => {
    const gp = `groups[${gi}]`;
    uniqueId(gp, 'group', g.id);
    text(`${gp}.title`, g.title);
    text(`${gp}.description`, g.description, false);
    if (!['output', 'outcome', 'impact', 'other'].includes(g.resultKind)) bad(`${gp}.resultKind`, 'must be output, outcome, impact or other');
    if (g.indicators.length === 0) bad(`${gp}.indicators`, 'must not be empty');
    g.indicators.forEach((ind, ii) => {
      const p = `${gp}.indicators[${ii}]`;
      uniqueId(p, 'indicator', ind.id);
      indicators.set(ind.id, ind);
      text(`${p}.label`, ind.label);
      text(`${p}.definition`, ind.definition);
      const year = (y: number) => {
        if (!Number.isSafeInteger(y) || y < 1900 || y > 9999) bad(`${p}.baseline.year`, 'must be a year');
      };
      switch (ind.unit) {
        case 'count':
          if (!isCount(ind.value)) bad(`${p}.value`, 'must be a non-negative integer');
          if (ind.baseline) {
            year(ind.baseline.year);
            if (!isCount(ind.baseline.value)) bad(`${p}.baseline.value`, 'must be a non-negative integer');
          }
          if (ind.target !== undefined && !isCount(ind.target)) bad(`${p}.target`, 'must be a non-negative integer');
          break;
        case 'money':
          currency(`${p}.currency`, ind.currency);
          if (typeof ind.value !== 'bigint') bad(`${p}.value`, 'must be a bigint amount in minor units');
          if (ind.baseline) {
            year(ind.baseline.year);
            if (typeof ind.baseline.value !== 'bigint') bad(`${p}.baseline.value`, 'must be a bigint amount in minor units');
          }
          if (ind.target !== undefined && typeof ind.target !== 'bigint') bad(`${p}.target`, 'must be a bigint amount in minor units');
          break;
        case 'percent': {
          const bp = (path: string, v: unknown) => {
            if (!isCount(v)) bad(path, 'must be a non-negative integer number of basis points');
          };
          bp(`${p}.value`, ind.value);
          if (ind.baseline) {
            year(ind.baseline.year);
            bp(`${p}.baseline.value`, ind.baseline.value);
          }
          if (ind.target !== undefined) bp(`${p}.target`, ind.target);
          if (ind.counts) {
            const { numerator: n, denominator: d } = ind.counts;
            if (!isCount(n) || !isCount(d) || d === 0) bad(`${p}.counts`, 'must be non-negative integers with a denominator above 0');
            else if (ind.value !== percentBasisPoints(n, d)) bad(`${p}.value`, `must equal numerator / denominator (${percentBasisPoints(n, d)} basis points)`);
          }
          break;
        }
        case 'days': {
          const days = (path: string, v: unknown) => {
            if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || Math.round(v * 10) !== v * 10) bad(path, 'must be a non-negative number of days with at most one decimal');
          };
          days(`${p}.value`, ind.value);
          if (ind.baseline) {
            year(ind.baseline.year);
            days(`${p}.baseline.value`, ind.baseline.value);
          }
          if (ind.target !== undefined) days(`${p}.target`, ind.target);
          break;
        }
        default:
          bad(`${p}.unit`, 'must be count, money, percent or days');
      }
    });
  });

  // Relations between count indicators: parts must exist, be counts of the same kind, and add up.
  model.groups.forEach((g, gi) =>
    g.indicators.forEach((ind, ii) => {
      if (ind.unit !== 'count' || !ind.sumOf) return;
      const p = `groups[${gi}].indicators[${ii}].sumOf`;
      if (ind.sumOf.length < 2) bad(p, 'needs at least two parts');
      let sum = 0;
      for (const id of ind.sumOf) {
        const part = indicators.get(id);
        if (!part) bad(p, `no indicator "${id}"`);
        else if (part.unit !== 'count' || part.people !== ind.people) bad(p, `"${id}" must be a count of the same kind`);
        else if (id === ind.id) bad(p, 'cannot contain itself');
        else sum += part.value;
      }
      if (issues.every((i) => !i.path.startsWith(p)) && sum !== ind.value) bad(p, `parts add up to ${sum}, not ${ind.value}`);
    }),
  );

  const breakdowns = new Set<string>();
  model.breakdowns.forEach((b, bi) => {
    const p = `breakdowns[${bi}]`;
    uniqueId(p, 'breakdown', b.id);
    breakdowns.add(b.id);
    text(`${p}.title`, b.title);
    text(`${p}.description`, b.description, false);
    text(`${p}.rowsLabel`, b.rowsLabel);
    text(`${p}.columnsLabel`, b.columnsLabel);
    if (b.rows.length === 0) bad(`${p}.rows`, 'must not be empty');
    if (b.columns.length === 0) bad(`${p}.columns`, 'must not be empty');
    const keys = (path: string, cats: Category[]) => {
      const seen = new Set<string>();
      cats.forEach((c, ci) => {
        if (!SLUG.test(c.key)) bad(`${path}[${ci}].key`, 'must be a slug');
        if (seen.has(c.key)) bad(`${path}[${ci}].key`, 'is not unique');
        seen.add(c.key);
        text(`${path}[${ci}].label`, c.label);
      });
    };
    keys(`${p}.rows`, b.rows);
    keys(`${p}.columns`, b.columns);
    if (b.counts.length !== b.rows.length || b.counts.some((r) => r.length !== b.columns.length)) {
      bad(`${p}.counts`, `must have ${b.rows.length} rows of ${b.columns.length} counts`);
    } else if (b.counts.some((r) => r.some((v) => !isCount(v)))) {
      bad(`${p}.counts`, 'must be non-negative integers');
    } else if (b.indicatorId !== undefined) {
      const ind = indicators.get(b.indicatorId);
      const total = b.counts.flat().reduce((a, v) => a + v, 0);
      if (!ind) bad(`${p}.indicatorId`, `no indicator "${b.indicatorId}"`);
      else if (ind.unit !== 'count' || !ind.people) bad(`${p}.indicatorId`, 'must name a count of people');
      else if (ind.value !== total) bad(`${p}.indicatorId`, `the table adds up to ${total}, the indicator says ${ind.value}`);
    }
  });

  const moneyTables = new Set<string>();
  model.moneyTables.forEach((m, mi) => {
    const p = `moneyTables[${mi}]`;
    uniqueId(p, 'money', m.id);
    moneyTables.add(m.id);
    text(`${p}.title`, m.title);
    text(`${p}.description`, m.description, false);
    currency(`${p}.currency`, m.currency);
    const lines = (side: 'sources' | 'uses') =>
      m[side].forEach((l, li) => {
        const lp = `${p}.${side}[${li}]`;
        if (!SLUG.test(l.key)) bad(`${lp}.key`, 'must be a slug');
        text(`${lp}.label`, l.label);
        if (typeof l.amount !== 'bigint' || l.amount < 0n) bad(`${lp}.amount`, 'must be a non-negative bigint amount in minor units');
        date(`${lp}.date`, l.date);
        if (l.counterpart) text(`${lp}.counterpart.name`, l.counterpart.name);
        if (l.transaction) {
          const ok = side === 'sources' ? ['incoming-funds', 'incoming-commitment'] : ['disbursement', 'expenditure'];
          if (!ok.includes(l.transaction)) bad(`${lp}.transaction`, `must be ${ok.join(' or ')}`);
        }
      });
    lines('sources');
    lines('uses');
    if (typeof m.openingBalance !== 'bigint' || typeof m.closingBalance !== 'bigint') bad(p, 'balances must be bigint amounts in minor units');
    else if (m.sources.every((l) => typeof l.amount === 'bigint') && m.uses.every((l) => typeof l.amount === 'bigint')) {
      const computed = m.openingBalance + sumMoney(m.sources) - sumMoney(m.uses);
      if (computed !== m.closingBalance) {
        bad(`${p}.closingBalance`, `does not balance: opening + sources − uses = ${computed}, the ledger says ${m.closingBalance}`);
      }
    }
  });

  model.charts.forEach((c, ci) => {
    const p = `charts[${ci}]`;
    uniqueId(p, 'chart', c.id);
    text(`${p}.title`, c.title);
    text(`${p}.description`, c.description, false);
    const needIndicators = (ids: string[], path: string) => {
      if (ids.length === 0) bad(path, 'must not be empty');
      for (const id of ids) if (!indicators.has(id)) bad(path, `no indicator "${id}"`);
    };
    if (c.kind === 'progress') {
      needIndicators(c.indicators, `${p}.indicators`);
      for (const id of c.indicators) {
        const ind = indicators.get(id);
        if (ind && (ind.target === undefined || BigInt(ind.target) <= 0n)) bad(`${p}.indicators`, `"${id}" has no target above zero`);
        else if (ind && ind.ascending === false) bad(`${p}.indicators`, `"${id}" improves downwards: progress bars show ascending indicators`);
      }
    } else if (c.kind === 'bars') {
      const s = c.source;
      if ('breakdown' in s) {
        if (!breakdowns.has(s.breakdown)) bad(`${p}.source.breakdown`, `no breakdown "${s.breakdown}"`);
      } else if ('moneyTable' in s) {
        if (!moneyTables.has(s.moneyTable)) bad(`${p}.source.moneyTable`, `no money table "${s.moneyTable}"`);
      } else {
        needIndicators(s.indicators, `${p}.source.indicators`);
        const units = new Set(s.indicators.map((id) => indicators.get(id)).map((i) => (i?.unit === 'money' ? `money:${i.currency}` : i?.unit)));
        if (units.size > 1) bad(`${p}.source.indicators`, 'must share one unit (and currency)');
      }
    } else bad(`${p}.kind`, 'must be bars or progress');
  });

  const a = model.activity;
  if (a) {
    const p = 'activity';
    if (!/^\S+$/.test(a.reportingOrg.ref)) bad(`${p}.reportingOrg.ref`, 'must be an organisation identifier without spaces');
    if (!a.identifier.startsWith(`${a.reportingOrg.ref}-`) || !/^\S+$/.test(a.identifier)) {
      bad(`${p}.identifier`, 'must start with the reporting organisation ref and "-"');
    }
    text(`${p}.reportingOrg.name`, a.reportingOrg.name);
    text(`${p}.description`, a.description);
    if (a.participatingOrgs.length === 0) bad(`${p}.participatingOrgs`, 'must name at least one organisation');
    a.participatingOrgs.forEach((o, oi) => text(`${p}.participatingOrgs[${oi}].name`, o.name));
    for (const [k, v] of Object.entries(a.dates)) date(`${p}.dates.${k}`, v);
    if (!a.dates.plannedStart && !a.dates.actualStart) bad(`${p}.dates`, 'needs a planned or actual start date');
    a.budgets.forEach((b, bi) => {
      const bp = `${p}.budgets[${bi}]`;
      date(`${bp}.periodStart`, b.periodStart);
      date(`${bp}.periodEnd`, b.periodEnd);
      date(`${bp}.valueDate`, b.valueDate);
      currency(`${bp}.currency`, b.currency);
      if (typeof b.amount !== 'bigint' || b.amount < 0n) bad(`${bp}.amount`, 'must be a non-negative bigint amount in minor units');
      if (b.periodStart > b.periodEnd) bad(bp, 'starts after it ends');
    });
    if (a.transactionsFrom !== undefined && !moneyTables.has(a.transactionsFrom)) bad(`${p}.transactionsFrom`, `no money table "${a.transactionsFrom}"`);
  }
  return issues;
}

export function sumMoney(lines: readonly { amount: bigint }[]): bigint {
  return lines.reduce((a, l) => a + l.amount, 0n);
}

/** numerator / denominator in basis points, rounded half up, with integers only. */
export function percentBasisPoints(numerator: number | bigint, denominator: number | bigint): number {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d === 0n) throw new Error('division by zero');
  return Number((n * 20000n + d) / (2n * d));
}
