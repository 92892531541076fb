import { describe, expect, it } from 'vitest';
import { demoReportModel } from '../../src/reports/demo';
import { publishReport } from '../../src/reports/publish';
import { ACTIVITY_STATUS, IatiExportError, ORGANISATION_ROLE, ORGANISATION_TYPE, renderIatiXml, RESULT_TYPE, TRANSACTION_TYPE } from '../../src/reports/iati';
import { IATI_CODELISTS, type CodelistName } from '../../src/reports/iati-codelists';
import { CURRENCY_DIGITS, type ReportModel } from '../../src/reports/model';
import { iatiVariantModel } from './iati-fixtures';

/** Which attribute of which element takes its value from which codelist. */
const CODED: [element: string, attribute: string, list: CodelistName][] = [
  ['reporting-org', 'type', 'OrganisationType'],
  ['participating-org', 'role', 'OrganisationRole'],
  ['participating-org', 'type', 'OrganisationType'],
  ['provider-org', 'type', 'OrganisationType'],
  ['receiver-org', 'type', 'OrganisationType'],
  ['activity-status', 'code', 'ActivityStatus'],
  ['activity-date', 'type', 'ActivityDateType'],
  ['description', 'type', 'DescriptionType'],
  ['recipient-country', 'code', 'Country'],
  ['sector', 'vocabulary', 'SectorVocabulary'],
  ['sector', 'code', 'Sector'],
  ['budget', 'type', 'BudgetType'],
  ['budget', 'status', 'BudgetStatus'],
  ['transaction-type', 'code', 'TransactionType'],
  ['value', 'currency', 'Currency'],
  ['iati-activity', 'default-currency', 'Currency'],
  ['iati-activity', 'xml:lang', 'Language'],
  ['narrative', 'xml:lang', 'Language'],
  ['result', 'type', 'ResultType'],
  ['indicator', 'measure', 'IndicatorMeasure'],
];

function codesEmitted(xml: string): { element: string; attribute: string; list: CodelistName; value: string }[] {
  const out: { element: string; attribute: string; list: CodelistName; value: string }[] = [];
  for (const [element, attribute, list] of CODED) {
    for (const tag of xml.matchAll(new RegExp(`<${element}(\\s[^>]*)?/?>`, 'g'))) {
      const m = new RegExp(`\\s${attribute.replace(':', '\\:')}="([^"]*)"`).exec(tag[1] ?? '');
      if (m) out.push({ element, attribute, list, value: m[1]! });
    }
  }
  return out;
}

function expectAllCodesListed(xml: string) {
  const emitted = codesEmitted(xml);
  const unknown = emitted.filter((c) => !(c.value in IATI_CODELISTS[c.list]));
  expect(unknown).toEqual([]);
  return emitted;
}

describe('IATI code values', () => {
  it('every code the demo grant XML emits is in the IATI codelists', () => {
    const emitted = expectAllCodesListed(renderIatiXml(publishReport(demoReportModel())));
    const checked = new Set(emitted.map((c) => `${c.element}@${c.attribute}`));
    for (const rule of ['participating-org@role', 'transaction-type@code', 'result@type', 'indicator@measure', 'budget@status', 'value@currency', 'activity-date@type']) {
      expect(checked).toContain(rule);
    }
    expect(emitted.filter((c) => c.element === 'transaction-type').map((c) => c.value)).toEqual(['1', '1', '1', '4', '4', '4', '4', '4']);
    expect(emitted.filter((c) => c.element === 'participating-org' && c.attribute === 'role').map((c) => c.value)).toEqual(['1', '4']);
  });

  it('so does a grant using every kind of transaction, status and organisation', () => {
    expectAllCodesListed(renderIatiXml(publishReport(iatiVariantModel())));
  });

  it('every mapping from the model to IATI lands in a codelist', () => {
    const within = (map: Record<string, string>, list: CodelistName) => Object.values(map).forEach((code) => expect(IATI_CODELISTS[list]).toHaveProperty(code));
    within(ORGANISATION_TYPE, 'OrganisationType');
    within(ORGANISATION_ROLE, 'OrganisationRole');
    within(ACTIVITY_STATUS, 'ActivityStatus');
    within(TRANSACTION_TYPE, 'TransactionType');
    within(RESULT_TYPE, 'ResultType');
    for (const currency of Object.keys(CURRENCY_DIGITS)) expect(IATI_CODELISTS.Currency).toHaveProperty(currency);
  });

  it('the codelists hold the official values of the codes we rely on', () => {
    expect(IATI_CODELISTS.OrganisationRole).toMatchObject({ '1': 'Funding', '4': 'Implementing' });
    expect(IATI_CODELISTS.TransactionType).toMatchObject({ '1': 'Incoming Funds', '3': 'Disbursement', '4': 'Expenditure' });
    expect(IATI_CODELISTS.IndicatorMeasure).toMatchObject({ '1': 'Unit', '2': 'Percentage' });
    expect(IATI_CODELISTS.ResultType).toMatchObject({ '1': 'Output', '2': 'Outcome', '3': 'Impact' });
  });
});

describe('IATI export', () => {
  it('writes money in major units from minor units, exactly', () => {
    const xml = renderIatiXml(publishReport(iatiVariantModel()));
    expect(xml).toContain('<value currency="USD" value-date="2019-03-01">1234.56</value>');
    expect(xml).toContain('<transaction-type code="11"/>');
    expect(xml).toContain('<transaction-type code="3"/>');
  });

  it('refuses a report without activity information, with a clear message', () => {
    const m: ReportModel = demoReportModel();
    delete m.activity;
    expect(() => renderIatiXml(publishReport(m))).toThrow(IatiExportError);
  });

  it('escapes markup in names', () => {
    const m = demoReportModel();
    m.activity!.participatingOrgs[0]!.name.en = 'A & B <Funders>';
    const xml = renderIatiXml(publishReport(m));
    expect(xml).toContain('A &amp; B &lt;Funders&gt;');
  });
});
