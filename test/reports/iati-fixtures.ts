import { demoReportModel } from '../../src/reports/demo';
import type { ReportModel } from '../../src/reports/model';

/** The demo grant reported in US dollars, in English, with every kind of transaction. */
export function iatiVariantModel(): ReportModel {
  const m = demoReportModel({ language: 'en', generatedAt: '2020-01-15T08:30:00.000Z', version: 2 });
  const t = m.moneyTables[0]!;
  t.currency = 'USD';
  t.openingBalance = 0n;
  t.sources = [
    { key: 'grant', label: { vi: 'Tài trợ', en: 'Grant' }, amount: 123_456n, transaction: 'incoming-funds', date: '2019-03-01', counterpart: { name: { vi: 'Quỹ', en: 'Fund' }, ref: 'XM-DAC-00-0000', type: 'international-ngo' } },
    { key: 'pledge', label: { vi: 'Cam kết', en: 'Commitment' }, amount: 100_000n, transaction: 'incoming-commitment' },
  ];
  t.uses = [
    { key: 'partner', label: { vi: 'Chuyển cho đối tác', en: 'To a partner' }, amount: 50_000n, transaction: 'disbursement', counterpart: { name: { vi: 'Đối tác', en: 'Partner' }, type: 'national-ngo' } },
    { key: 'spent', label: { vi: 'Chi', en: 'Spent' }, amount: 73_456n, transaction: 'expenditure' },
  ];
  t.closingBalance = 100_000n;
  m.charts = m.charts.filter((c) => c.kind !== 'bars' || !('moneyTable' in c.source));
  const a = m.activity!;
  a.status = 'finalisation';
  a.dates = { plannedStart: '2019-01-01', actualStart: '2019-01-15', plannedEnd: '2019-12-31', actualEnd: '2019-12-20' };
  a.budgets = [
    { periodStart: '2019-01-01', periodEnd: '2019-06-30', valueDate: '2019-01-01', amount: 100_000n, currency: 'USD' },
    { periodStart: '2019-07-01', periodEnd: '2019-12-31', valueDate: '2019-07-01', amount: 150_050n, currency: 'USD', revised: true, committed: true },
  ];
  a.participatingOrgs.push({ role: 'accountable', name: { vi: 'Sở LĐTBXH', en: 'Provincial DOLISA' }, type: 'local-government' });
  a.participatingOrgs.push({ role: 'extending', name: { vi: 'Quỹ', en: 'Fund' }, type: 'foundation' });
  a.sector = '15180';
  m.groups[2]!.resultKind = 'outcome';
  m.groups.push({
    id: 'other-results',
    resultKind: 'impact',
    description: { vi: 'Kết quả khác', en: 'Other results' },
    title: { vi: 'Khác', en: 'Other' },
    indicators: [
      {
        id: 'median-days-to-delivery',
        unit: 'days',
        ascending: false,
        value: 12.5,
        baseline: { year: 2018, value: 20 },
        target: 10,
        label: { vi: 'Số ngày trung vị từ khi nhận quà đến khi trao', en: 'Median days from gift to hand-over' },
        definition: { vi: 'Trung vị số ngày.', en: 'Median number of days.' },
      },
      {
        id: 'money-raised',
        unit: 'money',
        currency: 'USD',
        value: 223_456n,
        baseline: { year: 2018, value: 100_000n },
        target: 250_000n,
        label: { vi: 'Tiền huy động', en: 'Money raised' },
        definition: { vi: 'Tổng nguồn thu.', en: 'Total sources.' },
      },
    ],
  });
  return m;
}
