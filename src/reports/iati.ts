/**
 * IATI 2.03 activity XML of a published grant report: one <iati-activity> with reporting and
 * participating organisations, titles and descriptions in Vietnamese and English, status, dates,
 * budgets, one transaction per line of the sources-and-uses table (so the XML balances with the
 * report), and one <result> per indicator group with baselines, targets and actuals; a breakdown
 * linked to an indicator becomes actuals disaggregated by <dimension>.
 *
 * A hidden number is never written: its <actual> (or <baseline>) is left out, and the indicator's
 * description says which figures are "<5" or hidden. Code values come from iati-codelists.ts.
 */
import type { Locale } from '../ui/i18n';
import {
  ActivityDateType,
  ActivityStatus,
  BudgetStatus,
  BudgetType,
  Country,
  Currency,
  DescriptionType,
  IndicatorMeasure,
  OrganisationRole,
  OrganisationType,
  ResultType,
  Sector,
  SectorVocabulary,
  TransactionType,
} from './iati-codelists';
import { minorToDecimal, type ActivityStatusKind, type OrganisationKind, type ParticipatingRole, type ResultKind, type Text, type TransactionKind } from './model';
import type { Cell, PublishedBreakdown, PublishedIndicator, PublishedReport } from './publish';
import { escapeXml } from './svg';
import { COMPLEMENT_MARK, L, legendLines, markOf, SMALL_MARK } from './text';

type Code<T> = keyof T & string;

export const ORGANISATION_TYPE: Record<OrganisationKind, Code<typeof OrganisationType>> = {
  government: '10',
  'local-government': '11',
  'other-public-sector': '15',
  'international-ngo': '21',
  'national-ngo': '22',
  multilateral: '40',
  foundation: '60',
  'private-sector': '70',
  academic: '80',
  other: '90',
};

export const ORGANISATION_ROLE: Record<ParticipatingRole, Code<typeof OrganisationRole>> = {
  funding: '1',
  accountable: '2',
  extending: '3',
  implementing: '4',
};

export const ACTIVITY_STATUS: Record<ActivityStatusKind, Code<typeof ActivityStatus>> = {
  pipeline: '1',
  implementation: '2',
  finalisation: '3',
  closed: '4',
  cancelled: '5',
  suspended: '6',
};

export const TRANSACTION_TYPE: Record<TransactionKind, Code<typeof TransactionType>> = {
  'incoming-funds': '1',
  disbursement: '3',
  expenditure: '4',
  'incoming-commitment': '11',
};

export const RESULT_TYPE: Record<ResultKind, Code<typeof ResultType>> = { output: '1', outcome: '2', impact: '3', other: '9' };

const MEASURE: Record<PublishedIndicator['unit'], Code<typeof IndicatorMeasure>> = { count: '1', money: '1', percent: '2', days: '1' };

const DATE_TYPE: Record<'plannedStart' | 'actualStart' | 'plannedEnd' | 'actualEnd', Code<typeof ActivityDateType>> = {
  plannedStart: '1',
  actualStart: '2',
  plannedEnd: '3',
  actualEnd: '4',
};

const GENERAL_DESCRIPTION: Code<typeof DescriptionType> = '1';
const DAC_5_DIGIT: Code<typeof SectorVocabulary> = '1';

/** A tiny XML tree: elements with attributes (undefined ones are left out) and children. */
interface XmlElement {
  name: string;
  attrs: Record<string, string | undefined>;
  children: (XmlElement | string)[];
}

function el(name: string, attrs: Record<string, string | undefined> = {}, ...children: (XmlElement | string | null | undefined | false)[]): XmlElement {
  return { name, attrs, children: children.filter((c): c is XmlElement | string => c !== null && c !== undefined && c !== false) };
}

function serialize(node: XmlElement, depth = 0): string {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(node.attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v!)}"`)
    .join('');
  if (node.children.length === 0) return `${pad}<${node.name}${attrs}/>`;
  if (node.children.every((c) => typeof c === 'string')) return `${pad}<${node.name}${attrs}>${node.children.map((c) => escapeXml(c as string)).join('')}</${node.name}>`;
  const inner = node.children.map((c) => (typeof c === 'string' ? `${pad}  ${escapeXml(c)}` : serialize(c, depth + 1))).join('\n');
  return `${pad}<${node.name}${attrs}>\n${inner}\n${pad}</${node.name}>`;
}

const LANGS: Locale[] = ['vi', 'en'];

function narratives(t: Text, extra?: Text): XmlElement[] {
  return LANGS.map((l) => el('narrative', { 'xml:lang': l }, extra ? `${t[l]} ${extra[l]}` : t[l]));
}

/** A number of an indicator as IATI wants it: a plain decimal (money in major units, percent as %). */
function iatiValue(ind: PublishedIndicator, v: number | bigint): string {
  switch (ind.unit) {
    case 'money':
      return minorToDecimal(v as bigint, ind.currency);
    case 'percent': {
      const bp = Number(v);
      return `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
    }
    default:
      return String(v);
  }
}

/** "Nữ · 0–5 tuổi: <5; ...": where a figure is hidden, so the XML says so without the number. */
function hiddenNote(ind: PublishedIndicator, breakdown: PublishedBreakdown | undefined): Text | undefined {
  const lines: Record<Locale, string[]> = { vi: [], en: [] };
  const add = (label: Text, c: Cell<unknown>) => {
    const mark = markOf(c);
    if (mark) for (const l of LANGS) lines[l].push(`${label[l]}: ${mark}`);
  };
  add(L.value, ind.value);
  if (ind.baseline) add({ vi: `${L.baseline.vi} ${ind.baseline.year}`, en: `${L.baseline.en} ${ind.baseline.year}` }, ind.baseline.value);
  if (breakdown) {
    breakdown.rows.forEach((r, i) =>
      breakdown.columns.forEach((c, j) => add(breakdown.oneWay ? r.label : { vi: `${r.label.vi} · ${c.label.vi}`, en: `${r.label.en} · ${c.label.en}` }, breakdown.cells[i]![j]!)),
    );
    if (!breakdown.oneWay) {
      breakdown.rows.forEach((r, i) => add({ vi: `${r.label.vi} · ${L.total.vi}`, en: `${r.label.en} · ${L.total.en}` }, breakdown.rowTotals[i]!));
      breakdown.columns.forEach((c, j) => add({ vi: `${c.label.vi} · ${L.total.vi}`, en: `${c.label.en} · ${L.total.en}` }, breakdown.columnTotals[j]!));
    }
  }
  if (breakdown?.withheld) {
    lines.vi.push(L.withheld.vi);
    lines.en.push(L.withheld.en);
  }
  if (lines.en.length === 0) return undefined;
  const used = { small: lines.en.some((x) => x.endsWith(SMALL_MARK)), complementary: lines.en.some((x) => x.endsWith(COMPLEMENT_MARK)) };
  return {
    vi: [`Số liệu ẩn để bảo vệ quyền riêng tư: ${lines.vi.join('; ')}.`, ...legendLines(used, 'vi')].join(' '),
    en: [`Figures hidden to protect privacy: ${lines.en.join('; ')}.`, ...legendLines(used, 'en')].join(' '),
  };
}

function disaggregatedActuals(b: PublishedBreakdown): XmlElement[] {
  const out: XmlElement[] = [];
  const actual = (c: Cell<number>, dims: [Text, Text][]) => {
    if (c.kind !== 'value') return;
    out.push(el('actual', { value: String(c.value) }, ...dims.map(([name, value]) => el('dimension', { name: name.en, value: value.en }))));
  };
  b.rows.forEach((r, i) =>
    b.columns.forEach((c, j) => actual(b.cells[i]![j]!, b.oneWay ? [[b.rowsLabel, r.label]] : [[b.rowsLabel, r.label], [b.columnsLabel, c.label]])),
  );
  if (!b.oneWay) {
    b.rows.forEach((r, i) => actual(b.rowTotals[i]!, [[b.rowsLabel, r.label]]));
    b.columns.forEach((c, j) => actual(b.columnTotals[j]!, [[b.columnsLabel, c.label]]));
  }
  return out;
}

export class IatiExportError extends Error {}

/** The IATI activity file of a grant report; throws IatiExportError when the report has no activity data. */
export function renderIatiXml(report: PublishedReport): string {
  const a = report.activity;
  if (!a) throw new IatiExportError('This report has no IATI activity information (identifier, organisations, budget).');
  const { meta } = report;
  const money = report.moneyTables.find((m) => m.id === (a.transactionsFrom ?? report.moneyTables[0]?.id));
  const currency = money?.currency ?? a.budgets[0]?.currency ?? 'VND';
  const codeOf = <T extends object>(list: T, code: string): string => {
    if (!(code in list)) throw new IatiExportError(`code ${code} is not in the codelist`);
    return code;
  };
  const breakdownOf = new Map(report.breakdowns.filter((b) => b.indicatorId).map((b) => [b.indicatorId!, b]));

  const orgAttrs = (o: { ref?: string; type?: OrganisationKind }) => ({
    ref: o.ref,
    type: o.type ? ORGANISATION_TYPE[o.type] : undefined,
  });

  const transactions =
    money === undefined
      ? []
      : (['sources', 'uses'] as const).flatMap((side) =>
          money[side].map((line) => {
            const kind: TransactionKind = line.transaction ?? (side === 'sources' ? 'incoming-funds' : 'expenditure');
            const date = line.date ?? meta.period.to;
            const counterpart = line.counterpart && el(side === 'sources' ? 'provider-org' : 'receiver-org', orgAttrs(line.counterpart), ...narratives(line.counterpart.name));
            return el(
              'transaction',
              { ref: `${money.id}-${line.key}` },
              el('transaction-type', { code: TRANSACTION_TYPE[kind] }),
              el('transaction-date', { 'iso-date': date }),
              el('value', { currency: codeOf(Currency, money.currency), 'value-date': date }, minorToDecimal(line.amount, money.currency)),
              el('description', {}, ...narratives(line.label)),
              counterpart,
            );
          }),
        );

  const results = report.groups.map((g) =>
    el(
      'result',
      { type: RESULT_TYPE[g.resultKind], 'aggregation-status': 'false' },
      el('title', {}, ...narratives(g.title)),
      g.description && el('description', {}, ...narratives(g.description)),
      ...g.indicators.map((ind) => {
        const b = breakdownOf.get(ind.id);
        const note = hiddenNote(ind, b);
        const baseline =
          ind.baseline && ind.baseline.value.kind === 'value'
            ? el('baseline', { year: String(ind.baseline.year), value: iatiValue(ind, ind.baseline.value.value) })
            : null;
        return el(
          'indicator',
          { measure: MEASURE[ind.unit], ascending: String(ind.ascending) },
          el('title', {}, ...narratives(ind.label)),
          el('description', {}, ...narratives(ind.definition, note)),
          baseline,
          el(
            'period',
            {},
            el('period-start', { 'iso-date': meta.period.from }),
            el('period-end', { 'iso-date': meta.period.to }),
            ind.target !== undefined && el('target', { value: iatiValue(ind, ind.target) }),
            ind.value.kind === 'value' && el('actual', { value: iatiValue(ind, ind.value.value) }),
            ...(b ? disaggregatedActuals(b) : []),
          ),
        );
      }),
    ),
  );

  const dates = (Object.keys(DATE_TYPE) as (keyof typeof DATE_TYPE)[])
    .filter((k) => a.dates[k])
    .map((k) => el('activity-date', { type: DATE_TYPE[k], 'iso-date': a.dates[k] }));

  const activity = el(
    'iati-activity',
    {
      'last-updated-datetime': meta.generatedAt,
      'xml:lang': codeOf({ vi: 1, en: 1 }, meta.language),
      'default-currency': codeOf(Currency, currency),
      hierarchy: '1',
    },
    el('iati-identifier', {}, a.identifier),
    el('reporting-org', { ref: a.reportingOrg.ref, type: ORGANISATION_TYPE[a.reportingOrg.type] }, ...narratives(a.reportingOrg.name)),
    el('title', {}, ...narratives(meta.title)),
    el('description', { type: GENERAL_DESCRIPTION }, ...narratives(a.description)),
    ...a.participatingOrgs.map((o) => el('participating-org', { ...orgAttrs(o), role: ORGANISATION_ROLE[o.role] }, ...narratives(o.name))),
    el('activity-status', { code: ACTIVITY_STATUS[a.status] }),
    ...dates,
    el('recipient-country', { code: codeOf(Country, a.recipientCountry ?? 'VN'), percentage: '100' }),
    el('sector', { vocabulary: DAC_5_DIGIT, code: codeOf(Sector, a.sector ?? '16010'), percentage: '100' }),
    ...a.budgets.map((b) =>
      el(
        'budget',
        { type: codeOf(BudgetType, b.revised ? '2' : '1'), status: codeOf(BudgetStatus, b.committed ? '2' : '1') },
        el('period-start', { 'iso-date': b.periodStart }),
        el('period-end', { 'iso-date': b.periodEnd }),
        el('value', { currency: codeOf(Currency, b.currency), 'value-date': b.valueDate }, minorToDecimal(b.amount, b.currency)),
      ),
    ),
    ...transactions,
    ...results,
  );

  const root = el('iati-activities', { version: '2.03', 'generated-datetime': meta.generatedAt }, activity);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root)}\n`;
}
