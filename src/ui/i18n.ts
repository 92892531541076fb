import { dateTimeFormat, numberFormat } from '../lib/intl';
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const isLocale = (v: unknown): v is Locale => v === 'vi' || v === 'en';

/** Formats an amount in minor units with Intl; VND and JPY have no minor unit. */
export function formatMoney(amountMinor: bigint | number, currency: string, locale: Locale): string {
  const fmt = numberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', { style: 'currency', currency });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 0;
  const minor = BigInt(amountMinor);
  if (digits === 0) return fmt.format(minor);
  const scale = 10n ** BigInt(digits);
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  // Intl accepts decimal strings exactly: no float ever touches the amount.
  return fmt.format(`${sign}${abs / scale}.${(abs % scale).toString().padStart(digits, '0')}` as unknown as number);
}

const FEW = { vi: 'dưới 5', en: 'fewer than 5' };

/**
 * A count as a public page may show it: "dưới 5" / "fewer than 5" for a small count of people,
 * "*" for one hidden so that a small one cannot be worked out (src/reports/suppression.ts marks).
 */
export function publicCount(n: number, mark: 'small' | 'complementary' | null, locale: Locale, opts: { sentenceStart?: boolean } = {}): string {
  if (mark === 'complementary') return '*';
  if (mark === 'small') return opts.sentenceStart ? FEW[locale].charAt(0).toUpperCase() + FEW[locale].slice(1) : FEW[locale];
  return formatNumber(n, locale);
}

export function formatNumber(n: bigint | number, locale: Locale): string {
  return numberFormat(locale === 'vi' ? 'vi-VN' : 'en-US').format(n);
}

export function formatDate(d: Date | string, locale: Locale): string {
  return dateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(d));
}

/** A moment as a date and a time of day, in Vietnam time. */
export function formatDateTime(d: Date | string, locale: Locale): string {
  return dateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(d));
}

type Dict = Record<string, { vi: string; en: string }>;

const messages = {
  appName: { vi: 'Sẻ Chia', en: 'Sẻ Chia' },
  tagline: { vi: 'Vận động nguồn lực cho trẻ em', en: 'Resource mobilisation for children' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  email: { vi: 'Email', en: 'Email' },
  sendLink: { vi: 'Gửi liên kết đăng nhập', en: 'Send sign-in link' },
  linkSent: {
    vi: 'Nếu email này thuộc một tài khoản nhân viên, chúng tôi đã gửi liên kết đăng nhập. Liên kết có hiệu lực 15 phút và chỉ dùng một lần.',
    en: 'If this email belongs to a staff account, a sign-in link is on its way. It works once, for 15 minutes.',
  },
  devMailHint: {
    vi: 'Chạy trên máy cục bộ: chưa cấu hình gửi email, thư nằm ở /dev/mail.',
    en: 'Running locally: no mail provider configured, messages wait at /dev/mail.',
  },
  confirmSignIn: { vi: 'Xác nhận đăng nhập', en: 'Confirm sign-in' },
  confirmSignInText: { vi: 'Bấm nút bên dưới để đăng nhập vào Sẻ Chia.', en: 'Press the button below to sign in to Sẻ Chia.' },
  linkInvalid: {
    vi: 'Liên kết đăng nhập không hợp lệ, đã hết hạn hoặc đã được dùng. Hãy yêu cầu liên kết mới.',
    en: 'This sign-in link is invalid, expired or already used. Please request a new one.',
  },
  dashboard: { vi: 'Tổng quan', en: 'Dashboard' },
  organisation: { vi: 'Tổ chức', en: 'Organisation' },
  yourOrganisations: { vi: 'Tổ chức của bạn', en: 'Your organisations' },
  roles: { vi: 'Vai trò', en: 'Roles' },
  staff: { vi: 'Nhân viên', en: 'Staff' },
  locations: { vi: 'Địa bàn', en: 'Locations' },
  donors: { vi: 'Nhà tài trợ', en: 'Donors' },
  donations: { vi: 'Khoản đóng góp', en: 'Donations' },
  raised: { vi: 'Đã tiếp nhận', en: 'Received' },
  raisedNet: { vi: 'Đã tiếp nhận (trừ hoàn tiền)', en: 'Received (net of refunds)' },
  campaigns: { vi: 'Chương trình', en: 'Campaigns' },
  reconciliation: { vi: 'Đối soát', en: 'Reconciliation' },
  attention: { vi: 'Cần xử lý', en: 'Needs attention' },
  attentionAlert: {
    vi: 'Cần xử lý: {mail} thư không gửi được, {review} thanh toán cần xem xét.',
    en: 'Needs attention: messages not sent: {mail}, payments to review: {review}.',
  },
  cases: { vi: 'Hồ sơ trường hợp', en: 'Cases' },
  openCases: { vi: 'Hồ sơ đang mở', en: 'Open cases' },
  hotline: { vi: 'Tổng đài', en: 'Hotline' },
  outreach: { vi: 'Truyền thông', en: 'Outreach' },
  packages: { vi: 'Suất quà', en: 'Gift packages' },
  inkind: { vi: 'Hiện vật', en: 'In-kind' },
  reports: { vi: 'Báo cáo', en: 'Reports' },
  outbox: { vi: 'Hộp thư đi', en: 'Outbox' },
  notFound: { vi: 'Không tìm thấy trang.', en: 'Page not found.' },
  forbidden: { vi: 'Bạn không có quyền xem trang này.', en: 'You are not allowed to see this page.' },
  errorGeneric: { vi: 'Đã có lỗi. Vui lòng thử lại.', en: 'Something went wrong. Please try again.' },
  errorBusy: {
    vi: 'Có thay đổi khác trên cùng hồ sơ đang được lưu cùng lúc; chưa có gì được lưu. Vui lòng gửi lại.',
    en: 'Other changes to the same records were being saved at the same moment; nothing was saved. Please send it again.',
  },
  language: { vi: 'English', en: 'Tiếng Việt' },
  skipToContent: { vi: 'Bỏ qua đến nội dung', en: 'Skip to content' },
  mailNotConfigured: {
    vi: 'Chưa cấu hình nhà cung cấp email (RESEND_API_KEY): thư chưa được gửi đi.',
    en: 'No mail provider configured (RESEND_API_KEY): messages have not been sent.',
  },
} satisfies Dict;

export type MessageKey = keyof typeof messages;

export function t(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return fillIn(messages[key][locale], vars);
}

/** Puts each `{name}` of the text in place; a placeholder without a value stays as written. */
function fillIn(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(vars, k) ? String(vars[k]) : m));
}

const ROLE_LABELS: Record<string, { vi: string; en: string }> = {
  admin: { vi: 'Quản trị', en: 'Administrator' },
  finance: { vi: 'Kế toán', en: 'Finance' },
  coordinator: { vi: 'Điều phối', en: 'Coordinator' },
  caseworker: { vi: 'Cán bộ công tác xã hội', en: 'Caseworker' },
  viewer: { vi: 'Chỉ xem', en: 'Viewer' },
};

/** A staff role as its holder reads it; an unknown code shows as itself. */
export function roleLabel(role: string, locale: Locale): string {
  return ROLE_LABELS[role]?.[locale] ?? role;
}

/**
 * For capability modules that keep their own strings beside their code; `{name}` placeholders
 * take `vars` (numbers as given: format them first where the reader's locale matters).
 */
export function pick(locale: Locale, text: { vi: string; en: string }, vars?: Record<string, string | number>): string {
  return vars ? fillIn(text[locale], vars) : text[locale];
}

/**
 * A text staff stored in both languages (a campaign's title, a package's name): the English one
 * for an English reader when it was filled in, else the Vietnamese one, which is always there.
 */
export function localized<T extends string | null>(locale: string | null | undefined, vi: T, en: string | null | undefined): T | string {
  return locale === 'en' && en ? en : vi;
}
