/**
 * The parts of the IATI 2.03 codelists that report XML uses, with their official code values.
 * The XSD (../shared/iati/) checks structure only; test/reports/iati.test.ts checks that every
 * code the generator emits is listed here.
 *
 * Source: IATI/IATI-Codelists, branch version-2.03 (embedded lists: OrganisationRole,
 * TransactionType, ActivityStatus, ActivityDateType, BudgetType, BudgetStatus) and
 * IATI/IATI-Codelists-NonEmbedded (OrganisationType, DescriptionType, IndicatorMeasure, ResultType, Currency,
 * Country, Language, Sector, SectorVocabulary). Only the code values and English names are used.
 */

type Codelist = Readonly<Record<string, string>>;

export const OrganisationRole = {
  '1': 'Funding',
  '2': 'Accountable',
  '3': 'Extending',
  '4': 'Implementing',
} as const satisfies Codelist;

export const OrganisationType = {
  '10': 'Government',
  '11': 'Local Government',
  '15': 'Other Public Sector',
  '21': 'International NGO',
  '22': 'National NGO',
  '23': 'Regional NGO',
  '24': 'Partner Country based NGO',
  '30': 'Public Private Partnership',
  '40': 'Multilateral',
  '60': 'Foundation',
  '70': 'Private Sector',
  '71': 'Private Sector in Provider Country',
  '72': 'Private Sector in Aid Recipient Country',
  '73': 'Private Sector in Third Country',
  '80': 'Academic, Training and Research',
  '90': 'Other',
} as const satisfies Codelist;

export const TransactionType = {
  '1': 'Incoming Funds',
  '2': 'Outgoing Commitment',
  '3': 'Disbursement',
  '4': 'Expenditure',
  '11': 'Incoming Commitment',
} as const satisfies Codelist;

export const ActivityStatus = {
  '1': 'Pipeline/identification',
  '2': 'Implementation',
  '3': 'Finalisation',
  '4': 'Closed',
  '5': 'Cancelled',
  '6': 'Suspended',
} as const satisfies Codelist;

export const ActivityDateType = {
  '1': 'Planned start',
  '2': 'Actual start',
  '3': 'Planned End',
  '4': 'Actual end',
} as const satisfies Codelist;

export const BudgetType = { '1': 'Original', '2': 'Revised' } as const satisfies Codelist;

export const BudgetStatus = { '1': 'Indicative', '2': 'Committed' } as const satisfies Codelist;

export const DescriptionType = { '1': 'General', '2': 'Objectives', '3': 'Target Groups', '4': 'Other' } as const satisfies Codelist;

export const IndicatorMeasure = {
  '1': 'Unit',
  '2': 'Percentage',
  '3': 'Nominal',
  '4': 'Ordinal',
  '5': 'Qualitative',
} as const satisfies Codelist;

export const ResultType = { '1': 'Output', '2': 'Outcome', '3': 'Impact', '9': 'Other' } as const satisfies Codelist;

/** ISO 4217 codes in the IATI Currency codelist that Sẻ Chia reports in. */
export const Currency = {
  VND: 'Dong',
  USD: 'US Dollar',
  EUR: 'Euro',
  JPY: 'Yen',
  KRW: 'Won',
  GBP: 'Pound Sterling',
  AUD: 'Australian Dollar',
  SGD: 'Singapore Dollar',
} as const satisfies Codelist;

export const Country = { VN: 'Viet Nam' } as const satisfies Codelist;

export const Language = { vi: 'Vietnamese', en: 'English' } as const satisfies Codelist;

export const SectorVocabulary = { '1': 'OECD DAC CRS Purpose Codes (5 digit)' } as const satisfies Codelist;

/** DAC 5-digit purpose codes (SectorVocabulary 1). */
export const Sector = {
  '16010': 'Social Protection',
  '15180': 'Ending violence against women and girls',
  '11220': 'Primary education',
  '12220': 'Basic health care',
} as const satisfies Codelist;

export const IATI_CODELISTS = {
  OrganisationRole,
  OrganisationType,
  TransactionType,
  ActivityStatus,
  ActivityDateType,
  BudgetType,
  BudgetStatus,
  DescriptionType,
  IndicatorMeasure,
  ResultType,
  Currency,
  Country,
  Language,
  SectorVocabulary,
  Sector,
} as const;

export type CodelistName = keyof typeof IATI_CODELISTS;
