import { describe, expect, it } from 'vitest';
import { demoReportModel } from '../../src/reports/demo';
import { minorToDecimal, percentBasisPoints, ReportModelError, validateReportModel, type CountIndicator, type ReportModel } from '../../src/reports/model';
import { publishReport, publishedIndicators } from '../../src/reports/publish';
import { renderReportJson } from '../../src/reports/json';

function issuesOf(change: (m: ReportModel) => void): string[] {
  const m = demoReportModel();
  change(m);
  return validateReportModel(m).map((i) => `${i.path}: ${i.message}`);
}

const count = (m: ReportModel, id: string) => m.groups.flatMap((g) => g.indicators).find((i) => i.id === id) as CountIndicator;

describe('validating a report model', () => {
  it('accepts the demo report', () => {
    expect(validateReportModel(demoReportModel())).toEqual([]);
  });

  it('refuses a sources-and-uses table that does not balance against the ledger', () => {
    const issues = issuesOf((m) => (m.moneyTables[0]!.closingBalance = 24_000_000n));
    expect(issues).toEqual(['moneyTables[0].closingBalance: does not balance: opening + sources − uses = 25000000, the ledger says 24000000']);
  });

  it('refuses a breakdown that does not add up to its indicator', () => {
    const issues = issuesOf((m) => (m.breakdowns[0]!.counts[1]![3] = 1));
    expect(issues).toEqual(['breakdowns[0].indicatorId: the table adds up to 46, the indicator says 45']);
  });

  it('refuses parts that do not add up, unknown currencies, bad dates, floats and duplicates, naming each', () => {
    const issues = issuesOf((m) => {
      count(m, 'cases-closed').value = 66;
      m.moneyTables[0]!.currency = 'XYZ';
      m.meta.period.to = '2019-02-30';
      count(m, 'hotline-calls').value = 3.5;
      m.groups[1]!.indicators[0]!.id = 'hotline-calls';
      m.meta.title.en = ' ';
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'meta.title.en: must not be empty',
        'meta.period.to: must be a date YYYY-MM-DD',
        'groups[0].indicators[0].value: must be a non-negative integer',
        'groups[1].indicators[0].id: duplicates groups[0].indicators[0]',
        'moneyTables[0].currency: unsupported currency "XYZ" (one of VND, JPY, KRW, USD, EUR, GBP, AUD, SGD)',
      ]),
    );
    expect(issues.some((i) => i.startsWith('groups[0].indicators[1].sumOf: parts add up to'))).toBe(true);
  });

  it('refuses a money amount that is not a bigint, and a chart of an unknown table', () => {
    const issues = issuesOf((m) => {
      (m.moneyTables[0]!.sources[0] as { amount: unknown }).amount = 120000000.5;
      m.charts.push({ kind: 'bars', id: 'nope', title: { vi: 'x', en: 'x' }, source: { breakdown: 'missing' } as never });
    });
    expect(issues).toContain('moneyTables[0].sources[0].amount: must be a non-negative bigint amount in minor units');
    expect(issues).toContain('charts[4].source.breakdown: no breakdown "missing"');
  });

  it('refuses progress bars for an indicator without a target or that improves downwards', () => {
    const issues = issuesOf((m) => {
      count(m, 'gift-recipients').target = undefined;
      count(m, 'conference-delegates').ascending = false;
    });
    expect(issues).toEqual([
      'charts[0].indicators: "gift-recipients" has no target above zero',
      'charts[0].indicators: "conference-delegates" improves downwards: progress bars show ascending indicators',
    ]);
  });

  it('refuses an IATI identifier that does not start with the reporting organisation', () => {
    expect(issuesOf((m) => (m.activity!.identifier = 'VN-OTHER-1'))).toEqual(['activity.identifier: must start with the reporting organisation ref and "-"']);
  });

  it('publishReport throws a ReportModelError listing the problems, and publishes nothing', () => {
    const m = demoReportModel();
    m.moneyTables[0]!.closingBalance = 0n;
    expect(() => publishReport(m)).toThrow(ReportModelError);
    try {
      publishReport(m);
    } catch (e) {
      expect((e as ReportModelError).issues).toHaveLength(1);
    }
  });
});

describe('money and percentages without floats', () => {
  it('formats minor units exactly', () => {
    expect(minorToDecimal(22_500_000n, 'VND')).toBe('22500000');
    expect(minorToDecimal(123_456_789_012_345_678_901n, 'USD')).toBe('1234567890123456789.01');
    expect(minorToDecimal(-5n, 'EUR')).toBe('-0.05');
    expect(minorToDecimal(1500n, 'JPY')).toBe('1500');
  });

  it('rounds basis points half up with integers', () => {
    expect(percentBasisPoints(72, 52)).toBe(13846);
    expect(percentBasisPoints(1, 3)).toBe(3333);
    expect(percentBasisPoints(2, 3)).toBe(6667);
  });

  it('JSON keeps amounts beyond 2^53 exact as decimal strings', () => {
    const m = demoReportModel();
    m.moneyTables[0]!.openingBalance = 9_007_199_254_740_993n;
    m.moneyTables[0]!.closingBalance = 9_007_199_254_740_993n + 20_000_000n;
    const json = JSON.parse(renderReportJson(publishReport(m))) as { moneyTables: { openingBalanceMinor: unknown; totalSourcesMinor: unknown }[] };
    expect(json.moneyTables[0]!.openingBalanceMinor).toBe('9007199254740993');
    expect(json.moneyTables[0]!.totalSourcesMinor).toBe(162_500_000);
  });
});

describe('suppression across a report', () => {
  it('hides a small part of a sum and a complement, so the total does not give it away', () => {
    const m = demoReportModel();
    count(m, 'cases-closed').value = 69;
    count(m, 'cases-in-intervention').value = 3;
    const r = publishReport(m);
    const byId = new Map(publishedIndicators(r).map((i) => [i.id, i]));
    expect(byId.get('cases-in-intervention')!.value).toEqual({ kind: 'small' });
    expect(byId.get('cases-closed')!.value).toEqual({ kind: 'complementary' });
    expect(byId.get('cases-handled')!.value).toEqual({ kind: 'value', value: 72 });
  });

  it('hides a breakdown total when its indicator is small, and the indicator when the table hides its total', () => {
    const m = demoReportModel();
    const ind = count(m, 'gift-recipients');
    ind.value = 4;
    ind.target = 50;
    m.breakdowns[0]!.counts = [
      [1, 0, 1, 0],
      [0, 2, 0, 0],
    ];
    const r = publishReport(m);
    const b = r.breakdowns[0]!;
    expect(b.grandTotal).toEqual({ kind: 'small' });
    expect(publishedIndicators(r).find((i) => i.id === 'gift-recipients')!.value).toEqual({ kind: 'small' });
    expect(publishedIndicators(r).find((i) => i.id === 'gift-recipients')!.achieved).toEqual({ kind: 'complementary' });
    expect(renderReportJson(r)).not.toMatch(/"value": [1-4]\b/);
  });

  it('hides a percentage made of few people, and a small baseline', () => {
    const m = demoReportModel();
    const growth = m.groups[0]!.indicators.find((i) => i.id === 'cases-growth')!;
    if (growth.unit !== 'percent') throw new Error('demo changed');
    growth.counts = { numerator: 3, denominator: 7, people: true };
    growth.value = percentBasisPoints(3, 7);
    count(m, 'cases-handled').baseline = { year: 2018, value: 2 };
    const r = publishReport(m);
    const byId = new Map(publishedIndicators(r).map((i) => [i.id, i]));
    expect(byId.get('cases-growth')!.value).toEqual({ kind: 'complementary' });
    expect(byId.get('cases-handled')!.baseline!.value).toEqual({ kind: 'small' });
    expect(r.hidden).toEqual({ small: true, complementary: true });
  });

  it('publishes counts of things, however small', () => {
    const m = demoReportModel();
    count(m, 'awareness-conferences').value = 2;
    const r = publishReport(m);
    expect(publishedIndicators(r).find((i) => i.id === 'awareness-conferences')!.value).toEqual({ kind: 'value', value: 2 });
  });
});
