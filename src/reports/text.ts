/** Labels and number formatting shared by every report format, so they all say the same thing. */
import { formatDate, formatDateTime, formatMoney, formatNumber, type Locale } from '../ui/i18n';
import { numberFormat } from '../lib/intl';
import type { ReportMeta, ScopeKind, Text } from './model';
import type { Cell, PublishedIndicator } from './publish';

/** Shown for a hidden small count of people. */
export const SMALL_MARK = '<5';
/** Shown for a number hidden so that a small count cannot be worked out from it. */
export const COMPLEMENT_MARK = '*';

export const L = {
  indicators: { vi: 'Chỉ số', en: 'Indicators' },
  breakdowns: { vi: 'Phân tổ', en: 'Breakdowns' },
  money: { vi: 'Nguồn và sử dụng kinh phí', en: 'Sources and uses of funds' },
  charts: { vi: 'Biểu đồ', en: 'Charts' },
  organisation: { vi: 'Tổ chức', en: 'Organisation' },
  scope: { vi: 'Phạm vi', en: 'Scope' },
  period: { vi: 'Kỳ báo cáo', en: 'Period' },
  generatedAt: { vi: 'Số liệu tính lúc', en: 'Figures computed' },
  version: { vi: 'Phiên bản', en: 'Version' },
  value: { vi: 'Kết quả', en: 'Result' },
  definition: { vi: 'Định nghĩa', en: 'Definition' },
  baseline: { vi: 'Mốc cơ sở', en: 'Baseline' },
  baselineYear: { vi: 'Năm cơ sở', en: 'Baseline year' },
  target: { vi: 'Mục tiêu', en: 'Target' },
  achieved: { vi: 'Đạt', en: 'Achieved' },
  total: { vi: 'Tổng', en: 'Total' },
  sources: { vi: 'Nguồn thu', en: 'Sources' },
  uses: { vi: 'Sử dụng', en: 'Uses' },
  totalSources: { vi: 'Tổng nguồn thu', en: 'Total sources' },
  totalUses: { vi: 'Tổng sử dụng', en: 'Total uses' },
  openingBalance: { vi: 'Số dư đầu kỳ', en: 'Opening balance' },
  closingBalance: { vi: 'Số dư cuối kỳ', en: 'Closing balance' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  currency: { vi: 'Tiền tệ', en: 'Currency' },
  item: { vi: 'Khoản mục', en: 'Item' },
  section: { vi: 'Phần', en: 'Section' },
  indicator: { vi: 'Chỉ số', en: 'Indicator' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  page: { vi: 'Trang', en: 'Page' },
  of: { vi: '/', en: 'of' },
  smallLegend: {
    vi: '<5: từ 1 đến 4 người. Số nhỏ không được công bố để không ai có thể bị nhận ra.',
    en: '<5: between 1 and 4 people. Small numbers are not published so that nobody can be identified.',
  },
  complementLegend: {
    vi: '*: ẩn để không thể suy ra số nhỏ từ các tổng.',
    en: '*: hidden so that a small number cannot be worked out from the totals.',
  },
  withheld: {
    vi: 'Quá ít người để công bố chi tiết phân tổ này mà không ai bị nhận ra: chỉ công bố tổng.',
    en: 'Too few people to publish this breakdown in detail without anyone being identifiable: only the total is published.',
  },
  privacy: {
    vi: 'Báo cáo chỉ chứa số liệu tổng hợp, không có thông tin nhận dạng cá nhân. Số 0 được công bố; số từ 1 đến 4 hiển thị là "<5".',
    en: 'This report contains aggregate figures only and no identifying information. Zero is published; numbers from 1 to 4 are shown as "<5".',
  },
} satisfies Record<string, Text>;

export const SCOPE_LABEL: Record<ScopeKind, Text> = {
  organisation: { vi: 'Tổ chức', en: 'Organisation' },
  campaign: { vi: 'Chiến dịch', en: 'Campaign' },
  grant: { vi: 'Khoản tài trợ', en: 'Grant' },
};

export const UNIT_LABEL: Record<PublishedIndicator['unit'], Text> = {
  count: { vi: 'số lượng', en: 'count' },
  money: { vi: 'tiền', en: 'money' },
  percent: { vi: 'phần trăm', en: 'percent' },
  days: { vi: 'ngày', en: 'days' },
};

export const tr = (locale: Locale, t: Text): string => t[locale];

/** What a hidden cell shows instead of its number. */
export function markOf(cell: Cell<unknown>): string | null {
  return cell.kind === 'small' ? SMALL_MARK : cell.kind === 'complementary' ? COMPLEMENT_MARK : null;
}

export function formatCount(cell: Cell<number>, locale: Locale): string {
  return cell.kind === 'value' ? formatNumber(cell.value, locale) : markOf(cell)!;
}

export function formatPercent(basisPoints: number, locale: Locale): string {
  return numberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', { style: 'percent', maximumFractionDigits: 1 }).format(basisPoints / 10000);
}

export function formatDays(days: number, locale: Locale): string {
  const n = numberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 1 }).format(days);
  return locale === 'vi' ? `${n} ngày` : `${n} ${days === 1 ? 'day' : 'days'}`;
}

/** A number of an indicator's unit (value, baseline or target). */
export function formatQuantity(ind: PublishedIndicator, v: number | bigint, locale: Locale): string {
  switch (ind.unit) {
    case 'count':
      return formatNumber(v, locale);
    case 'money':
      return formatMoney(v as bigint, ind.currency, locale);
    case 'percent':
      return formatPercent(Number(v), locale);
    case 'days':
      return formatDays(Number(v), locale);
  }
}

export function formatIndicatorCell(ind: PublishedIndicator, cell: Cell<number | bigint>, locale: Locale): string {
  return cell.kind === 'value' ? formatQuantity(ind, cell.value, locale) : markOf(cell)!;
}

export function formatAchieved(cell: Cell<number>, locale: Locale): string {
  return cell.kind === 'value' ? formatPercent(cell.value, locale) : markOf(cell)!;
}

export function formatPeriod(meta: ReportMeta, locale: Locale): string {
  return `${formatDate(`${meta.period.from}T12:00:00Z`, locale)} – ${formatDate(`${meta.period.to}T12:00:00Z`, locale)}`;
}

export function formatGeneratedAt(meta: ReportMeta, locale: Locale): string {
  return formatDateTime(meta.generatedAt, locale);
}

/** The explanatory lines a format prints under its tables, only for the marks it uses. */
export function legendLines(hidden: { small: boolean; complementary: boolean }, locale: Locale): string[] {
  const lines: string[] = [];
  if (hidden.small) lines.push(L.smallLegend[locale]);
  if (hidden.complementary) lines.push(L.complementLegend[locale]);
  return lines;
}

/** "Baseline 2018: 52 · Target: 60 · Achieved: 120%": the secondary line of an indicator. */
export function indicatorDetails(ind: PublishedIndicator, locale: Locale): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  if (ind.baseline) out.push({ label: `${L.baseline[locale]} ${ind.baseline.year}`, value: formatIndicatorCell(ind, ind.baseline.value, locale) });
  if (ind.target !== undefined) out.push({ label: L.target[locale], value: formatQuantity(ind, ind.target, locale) });
  if (ind.achieved) out.push({ label: L.achieved[locale], value: formatAchieved(ind.achieved, locale) });
  return out;
}
