/**
 * Staff pages for impact reports: funders and grants (with the grant editor and its targets),
 * the report builder, a report's page (versions, what changed, the report itself, downloads,
 * links for people without an account) and the preview of a scheduled delivery with its
 * explicit send button. The numbers come from the stored versions; these pages only ask for
 * scope, period and grant data and show what the toolkit renders.
 */
import { Hono, type Context } from 'hono';
import { orgPage as page, hasRole as can } from '../ui/org-page';
import type { Child } from 'hono/jsx';
import { and, asc, eq, isNull, notInArray } from 'drizzle-orm';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { ProblemError } from '../http/problem';
import { donors, REPORT_SCHEDULES, type ReportSchedule } from '../db/schema';
import type { Db } from '../db/types';
import { formatDate, formatMoney, pick, type Locale } from '../ui/i18n';
import { kickOutbox } from '../mail/kick';
import { listCampaigns } from '../giving/campaigns';
import { CURRENCY_CODES, formatMinorPlain, isCurrency, parseAmount } from '../giving/money';
import { listLocations } from '../orgs/orgs';
import { listCategories, vnDate } from '../cases/cases';
import { GRANT_WRITE, REPORT_READ, REPORT_WRITE } from './api';
import { addFunderContact, createFunder, createGrant, funderContactsOf, getGrant, listFunders, listGrants, updateGrant, type GrantInput, type TargetInput } from './grants';
import { INDICATORS, indicatorById, type IndicatorDef } from './indicators';
import { ReportView } from './html';
import { FORMAT_LABEL, publishVersion, versionFiles } from './render';
import { publishedIndicators, type PublishedReport } from './publish';
import { formatIndicatorCell, SCOPE_LABEL } from './text';
import { createReport, createReportLink, diffModels, generateVersion, getReport, getVersion, listReportLinks, listReports, listVersions, modelFromJson, revokeReportLink, type VersionRow } from './versions';
import { getDelivery, listDeliveries, reportEmailFor, sendDelivery } from './delivery';
import { UUID_PATH } from '../lib/ids';
import { Flash } from '../ui/flash';

const T = {
  reports: { vi: 'Báo cáo', en: 'Reports' },
  grants: { vi: 'Nhà tài trợ và khoản tài trợ', en: 'Funders and grants' },
  funders: { vi: 'Nhà tài trợ nhận báo cáo', en: 'Funders' },
  grantList: { vi: 'Khoản tài trợ', en: 'Grants' },
  newGrant: { vi: 'Tạo khoản tài trợ', en: 'New grant' },
  editGrant: { vi: 'Sửa khoản tài trợ', en: 'Edit grant' },
  newReport: { vi: 'Lập báo cáo', en: 'Build a report' },
  noReports: { vi: 'Chưa có báo cáo nào.', en: 'No reports yet.' },
  noGrants: { vi: 'Chưa có khoản tài trợ nào.', en: 'No grants yet.' },
  noFunders: { vi: 'Chưa có nhà tài trợ nào nhận báo cáo.', en: 'No funders yet.' },
  needFunder: { vi: 'Hãy thêm nhà tài trợ nhận báo cáo trước.', en: 'Add a funder first.' },
  scope: { vi: 'Phạm vi', en: 'Scope' },
  period: { vi: 'Kỳ báo cáo', en: 'Period' },
  periodFrom: { vi: 'Từ ngày', en: 'From' },
  periodTo: { vi: 'Đến ngày', en: 'To' },
  language: { vi: 'Ngôn ngữ báo cáo', en: 'Report language' },
  vi: { vi: 'Tiếng Việt', en: 'Vietnamese' },
  en: { vi: 'Tiếng Anh', en: 'English' },
  campaign: { vi: 'Chương trình', en: 'Campaign' },
  grant: { vi: 'Khoản tài trợ', en: 'Grant' },
  choose: { vi: '— Chọn —', en: '— Choose —' },
  generate: { vi: 'Tính số liệu và lưu phiên bản', en: 'Compute and save a version' },
  versions: { vi: 'Các phiên bản', en: 'Versions' },
  version: { vi: 'Phiên bản', en: 'Version' },
  createdAt: { vi: 'Lập lúc', en: 'Created' },
  createdBy: { vi: 'Người lập', en: 'By' },
  system: { vi: 'Tự động (lịch báo cáo)', en: 'Automatic (schedule)' },
  view: { vi: 'Xem', en: 'View' },
  changes: { vi: 'Thay đổi so với phiên bản trước', en: 'Changes from the previous version' },
  changesOf: { vi: 'Thay đổi', en: 'Changes' },
  noChanges: { vi: 'Không chỉ số nào thay đổi.', en: 'No indicator changed.' },
  firstVersion: { vi: 'Đây là phiên bản đầu tiên.', en: 'This is the first version.' },
  before: { vi: 'Trước', en: 'Before' },
  after: { vi: 'Sau', en: 'After' },
  indicator: { vi: 'Chỉ số', en: 'Indicator' },
  regenerate: { vi: 'Tính lại (phiên bản mới)', en: 'Regenerate (new version)' },
  downloads: { vi: 'Tải về', en: 'Downloads' },
  links: { vi: 'Liên kết chia sẻ (không cần tài khoản)', en: 'Share links (no account needed)' },
  linkDays: { vi: 'Hiệu lực (ngày)', en: 'Valid for (days)' },
  createLink: { vi: 'Tạo liên kết', en: 'Create link' },
  linkCreated: {
    vi: 'Đã tạo liên kết. Hãy sao chép ngay: địa chỉ này chỉ hiển thị một lần.',
    en: 'Link created. Copy it now: this address is shown only once.',
  },
  linkUrl: { vi: 'Địa chỉ liên kết', en: 'Link address' },
  expires: { vi: 'Hết hạn', en: 'Expires' },
  revoked: { vi: 'Đã thu hồi', en: 'Revoked' },
  expired: { vi: 'Đã hết hạn', en: 'Expired' },
  active: { vi: 'Đang hiệu lực', en: 'Active' },
  revoke: { vi: 'Thu hồi', en: 'Revoke' },
  revokedDone: { vi: 'Đã thu hồi liên kết.', en: 'Link revoked.' },
  noLinks: { vi: 'Chưa có liên kết nào.', en: 'No links yet.' },
  report: { vi: 'Báo cáo', en: 'Report' },
  deliveries: { vi: 'Báo cáo định kỳ gửi nhà tài trợ', en: 'Scheduled reports to funders' },
  noDeliveries: { vi: 'Chưa có báo cáo định kỳ nào.', en: 'No scheduled reports yet.' },
  status: { vi: 'Trạng thái', en: 'Status' },
  preview: { vi: 'Xem trước', en: 'Preview' },
  sent: { vi: 'Đã gửi', en: 'Sent' },
  waiting: { vi: 'Chờ gửi', en: 'Waiting' },
  sendAfter: { vi: 'Tự gửi sau', en: 'Sent automatically after' },
  send: { vi: 'Gửi / Send', en: 'Gửi / Send' },
  sentDone: { vi: 'Đã gửi báo cáo tới {n} người nhận.', en: 'Report sent to {n} recipients.' },
  recipients: { vi: 'Người nhận', en: 'Recipients' },
  noContacts: { vi: 'Nhà tài trợ chưa có người nhận: hãy thêm ở trang nhà tài trợ.', en: 'The funder has no contacts: add one on the funders page.' },
  email: { vi: 'Thư sẽ gửi', en: 'The email' },
  subject: { vi: 'Tiêu đề', en: 'Subject' },
  attachment: { vi: 'Đính kèm bản PDF và liên kết xem trực tuyến (hiệu lực {d} ngày).', en: 'The PDF is attached, with a link to read online (valid {d} days).' },
  funder: { vi: 'Nhà tài trợ', en: 'Funder' },
  contacts: { vi: 'Người nhận báo cáo', en: 'Contacts' },
  addContact: { vi: 'Thêm người nhận', en: 'Add contact' },
  contactName: { vi: 'Họ tên', en: 'Name' },
  contactEmail: { vi: 'Email', en: 'Email' },
  addFunder: { vi: 'Thêm nhà tài trợ nhận báo cáo', en: 'Add a funder' },
  donorOrg: { vi: 'Tổ chức tài trợ (nhà tài trợ loại tổ chức)', en: 'Funding organisation (an organisation donor)' },
  noOrgDonors: { vi: 'Không còn nhà tài trợ loại tổ chức nào để thêm.', en: 'No organisation donors left to add.' },
  iatiRef: { vi: 'Mã IATI của nhà tài trợ (nếu có)', en: 'Funder’s IATI identifier (if any)' },
  save: { vi: 'Lưu', en: 'Save' },
  add: { vi: 'Thêm', en: 'Add' },
  code: { vi: 'Mã khoản tài trợ (chữ thường, số, gạch nối)', en: 'Grant code (lower case, digits, dashes)' },
  title: { vi: 'Tên khoản tài trợ', en: 'Title' },
  titleEn: { vi: 'Tên tiếng Anh', en: 'Title in English' },
  description: { vi: 'Mô tả', en: 'Description' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  currency: { vi: 'Loại tiền', en: 'Currency' },
  startsOn: { vi: 'Bắt đầu', en: 'Starts' },
  endsOn: { vi: 'Kết thúc', en: 'Ends' },
  purpose: { vi: 'Mục đích (giới hạn của khoản tài trợ; để trống là không giới hạn)', en: 'Purpose (what the grant is restricted to; none ticked: no restriction)' },
  categories: { vi: 'Nhóm đối tượng', en: 'Categories' },
  locations: { vi: 'Địa bàn', en: 'Locations' },
  schedule: { vi: 'Lịch báo cáo', en: 'Reporting schedule' },
  nextDueOn: { vi: 'Ngày cuối kỳ báo cáo tới (để trống: tính theo lịch)', en: 'End of the next reporting period (empty: from the schedule)' },
  targets: { vi: 'Chỉ tiêu theo chỉ số', en: 'Targets per indicator' },
  targetsHint: {
    vi: 'Mỗi dòng một chỉ số: mốc cơ sở (năm và giá trị, có thể để trống) và mục tiêu. Dòng không chọn chỉ số sẽ bỏ qua. Tiền nhập theo loại tiền của khoản tài trợ.',
    en: 'One indicator per row: baseline (year and value, optional) and target. Rows without an indicator are ignored. Money in the grant’s currency.',
  },
  targetN: { vi: 'Chỉ tiêu {n}', en: 'Target {n}' },
  baselineYear: { vi: 'Năm cơ sở', en: 'Baseline year' },
  baselineValue: { vi: 'Giá trị cơ sở', en: 'Baseline value' },
  targetValue: { vi: 'Mục tiêu', en: 'Target' },
  none: { vi: '(không)', en: '(none)' },
  nextDue: { vi: 'Kỳ tới', en: 'Next due' },
  edit: { vi: 'Sửa', en: 'Edit' },
  reportOn: { vi: 'Lập báo cáo', en: 'Report' },
  errForm: { vi: 'Vui lòng sửa các ô được đánh dấu.', en: 'Please correct the marked fields.' },
  required: { vi: 'Bắt buộc', en: 'Required' },
  errAmount: { vi: 'Nhập số tiền hợp lệ.', en: 'Enter a valid amount.' },
  errNumber: { vi: 'Nhập số hợp lệ.', en: 'Enter a valid number.' },
  errChoose: { vi: 'Hãy chọn một mục trong danh sách.', en: 'Choose an entry from the list.' },
  saved: { vi: 'Đã lưu.', en: 'Saved.' },
  download: { vi: 'Tải', en: 'Download' },
  versionsCount: { vi: 'Số phiên bản', en: 'Versions' },
};

const SCHEDULE_LABEL: Record<ReportSchedule, { vi: string; en: string }> = {
  none: { vi: 'Không định kỳ', en: 'None' },
  quarterly: { vi: 'Hằng quý', en: 'Quarterly' },
  semi_annual: { vi: '6 tháng một lần', en: 'Semi-annual' },
  annual: { vi: 'Hằng năm', en: 'Annual' },
};

/** Domain messages (English) in the reader's language; an unknown one is still readable. */
const MESSAGE_VI: Record<string, string> = {
  'is required': 'Bắt buộc',
  'must be a date YYYY-MM-DD': 'Nhập ngày hợp lệ',
  'must not be before the start': 'Không được trước ngày bắt đầu',
  'must not be before the start of the period': 'Không được trước ngày đầu kỳ',
  'unknown funder': 'Hãy chọn nhà tài trợ trong danh sách',
  'lower-case letters, digits and dashes, at most 40': 'Chỉ chữ thường không dấu, số và dấu gạch nối, tối đa 40 ký tự',
  'already used by another grant': 'Mã này đã dùng cho khoản tài trợ khác',
  'unknown indicator': 'Chỉ số không có trong danh mục',
  'appears twice': 'Chỉ số này đã có ở dòng khác',
  'must not be negative': 'Không được là số âm',
  'a baseline needs both a year and a value': 'Mốc cơ sở cần cả năm và giá trị',
  'must be a year': 'Nhập năm hợp lệ',
  'unknown id': 'Lựa chọn không hợp lệ',
  'unknown category': 'Nhóm đối tượng không hợp lệ',
  'must be an email address': 'Nhập địa chỉ email hợp lệ',
  'already a funder': 'Tổ chức này đã là nhà tài trợ nhận báo cáo',
  'a funder must be an organisation donor': 'Nhà tài trợ nhận báo cáo phải là một tổ chức',
  'unknown donor': 'Hãy chọn nhà tài trợ trong danh sách',
  'already a contact': 'Người nhận này đã có',
  'must be an identifier without spaces': 'Mã không được có khoảng trắng',
  'is required for a campaign report': 'Hãy chọn chương trình',
  'is required for a grant report': 'Hãy chọn khoản tài trợ',
};
const message = (locale: Locale, m: string) => (locale === 'vi' ? (MESSAGE_VI[m] ?? `Giá trị chưa hợp lệ (${m})`) : m.charAt(0).toUpperCase() + m.slice(1));

type FieldErrors = Record<string, string>;
type Values = Record<string, string>;
type FormFields = Record<string, string | string[]>;

export const reportPages = new Hono<AppEnv>();

// ---------- shared bits ----------


const actorOf = (c: Context<AppEnv>) => ({ userId: c.get('principal')?.userId ?? null, now: c.get('deps').clock.now() });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID = UUID_PATH;
const idOf = (s: string) => s.replace(/\./g, '-');

async function readForm(c: Context<AppEnv>): Promise<FormFields> {
  const raw = await c.req.parseBody({ all: true });
  const out: FormFields = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v.slice(0, 4000);
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 200));
  }
  return out;
}
const one = (f: FormFields, k: string): string => {
  const v = f[k];
  return ((Array.isArray(v) ? v[0] : v) ?? '').trim();
};
const many = (f: FormFields, k: string): string[] => {
  const v = f[k];
  return (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
};

/** Field errors from a domain 400/409 (`errors: [{path, message}]`), keyed by field id. */
function problemErrors(err: ProblemError, locale: Locale, into: FieldErrors, rename: (p: string) => string = (p) => p) {
  for (const e of (err.extra.errors as { path: string; message: string }[] | undefined) ?? []) {
    const key = idOf(rename(e.path));
    if (!into[key]) into[key] = message(locale, e.message);
  }
}

function ErrorSummary(props: { message?: string | null }) {
  return props.message ? (
    <p class="error" role="alert" id="form-error">
      {props.message}
    </p>
  ) : null;
}

function Field(props: { id: string; label: string; errors: FieldErrors; hint?: string; children: (a: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => Child }) {
  const err = props.errors[props.id];
  const describedBy = [err ? `${props.id}-error` : null, props.hint ? `${props.id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <div class="muted small" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {props.children({ id: props.id, ...(err ? { 'aria-invalid': 'true' as const } : {}), 'aria-describedby': describedBy })}
      {err ? (
        <div class="field-error" id={`${props.id}-error`}>
          {err}
        </div>
      ) : null}
    </div>
  );
}

function Checks(props: { name: string; legend: string; options: { value: string; label: string }[]; checked: string[]; errors: FieldErrors }) {
  const err = props.errors[props.name];
  if (!props.options.length) return null;
  return (
    <fieldset aria-invalid={err ? 'true' : undefined} aria-describedby={err ? `${props.name}-error` : undefined}>
      <legend>{props.legend}</legend>
      <div class="tiles">
        {props.options.map((o) => (
          <label class="tile">
            <input type="checkbox" name={props.name} value={o.value} checked={props.checked.includes(o.value)} /> {o.label}
          </label>
        ))}
      </div>
      {err ? (
        <div class="field-error" id={`${props.name}-error`}>
          {err}
        </div>
      ) : null}
    </fieldset>
  );
}

const scopeText = (locale: Locale, r: { scopeKind: string; campaignTitle?: string | null; grantTitle?: string | null }) =>
  `${pick(locale, SCOPE_LABEL[r.scopeKind as 'organisation'])}${r.campaignTitle ? `: ${r.campaignTitle}` : r.grantTitle ? `: ${r.grantTitle}` : ''}`;
const dayText = (d: string, locale: Locale) => formatDate(`${d}T12:00:00Z`, locale);

// ---------- reports list ----------

reportPages.get('/o/:org/reports', requireOrgRole(REPORT_READ), async (c) => {
  const db = c.get('db');
  const org = c.get('org');
  const locale = c.get('locale');
  const [list, camps, grantRows, deliveries] = await Promise.all([listReports(db, org.id), listCampaigns(db, org.id), listGrants(db, org.id), listDeliveries(db, org.id)]);
  const campTitle = new Map(camps.map((x) => [x.id, locale === 'en' ? x.titleEn || x.title : x.title]));
  const grantTitle = new Map(grantRows.map((g) => [g.grant.id, locale === 'en' ? g.grant.titleEn || g.grant.title : g.grant.title]));
  return page(
    c,
    pick(locale, T.reports),
    `/o/${org.slug}/reports`,
    <>
      <h1>{pick(locale, T.reports)}</h1>
      <p class="row">
        {can(c, REPORT_WRITE) ? (
          <a class="button" href={`/o/${org.slug}/reports/new`}>
            {pick(locale, T.newReport)}
          </a>
        ) : null}
        <a href={`/o/${org.slug}/grants`}>{pick(locale, T.grants)}</a>
      </p>
      {list.length === 0 ? (
        <p class="muted">{pick(locale, T.noReports)}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-sm" id="reports">
            <thead>
              <tr>
                <th>{pick(locale, T.scope)}</th>
                <th>{pick(locale, T.period)}</th>
                <th>{pick(locale, T.language)}</th>
                <th class="num">{pick(locale, T.versionsCount)}</th>
                <th>{pick(locale, T.createdAt)}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr>
                  <td data-label={pick(locale, T.scope)}>
                    <a href={`/o/${org.slug}/reports/${r.id}`}>
                      {scopeText(locale, { scopeKind: r.scopeKind, campaignTitle: r.campaignId ? campTitle.get(r.campaignId) : null, grantTitle: r.grantId ? grantTitle.get(r.grantId) : null })}
                    </a>
                  </td>
                  <td data-label={pick(locale, T.period)}>
                    {dayText(r.periodFrom, locale)} – {dayText(r.periodTo, locale)}
                  </td>
                  <td data-label={pick(locale, T.language)}>{pick(locale, T[r.language])}</td>
                  <td class="num" data-label={pick(locale, T.versionsCount)}>
                    {r.versions}
                  </td>
                  <td data-label={pick(locale, T.createdAt)}>{formatDate(r.createdAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{pick(locale, T.deliveries)}</h2>
      {deliveries.length === 0 ? (
        <p class="muted">{pick(locale, T.noDeliveries)}</p>
      ) : (
        <ul class="plain" id="deliveries">
          {deliveries.map((d) => (
            <li>
              <a href={`/o/${org.slug}/report-deliveries/${d.id}`}>
                {d.grantTitle} · {dayText(d.periodTo, locale)}
              </a>{' '}
              <span class="badge">{d.status === 'sent' ? pick(locale, T.sent) : pick(locale, T.waiting)}</span>
            </li>
          ))}
        </ul>
      )}
    </>,
  );
});

// ---------- funders and grants ----------

async function orgDonorsNotFunders(db: Db, orgId: string) {
  const taken = (await listFunders(db, orgId)).map((f) => f.donorId);
  return db
    .select({ id: donors.id, name: donors.name })
    .from(donors)
    .where(and(eq(donors.orgId, orgId), eq(donors.kind, 'organisation'), isNull(donors.mergedIntoId), ...(taken.length ? [notInArray(donors.id, taken)] : [])))
    .orderBy(asc(donors.nameKey))
    .limit(500);
}

interface GrantsPageState {
  funderForm?: { values: Values; errors: FieldErrors; message: string };
  contactForm?: { funderId: string; values: Values; errors: FieldErrors; message: string };
}

async function grantsPage(c: Context<AppEnv>, state: GrantsPageState = {}, status: 200 | 400 | 404 | 409 = 200) {
  const db = c.get('db');
  const org = c.get('org');
  const locale = c.get('locale');
  const [funderList, grantRows] = await Promise.all([listFunders(db, org.id), listGrants(db, org.id)]);
  const contacts = new Map(await Promise.all(funderList.map(async (f) => [f.id, await funderContactsOf(db, org.id, f.id)] as const)));
  const write = can(c, GRANT_WRITE);
  const candidates = write ? await orgDonorsNotFunders(db, org.id) : [];
  const ff = state.funderForm ?? { values: { language: 'vi' }, errors: {}, message: '' };
  return page(
    c,
    pick(locale, T.grants),
    `/o/${org.slug}/grants`,
    <>
      <h1>{pick(locale, T.grants)}</h1>
      <h2>{pick(locale, T.grantList)}</h2>
      {write ? (
        <p>
          <a class="button" href={`/o/${org.slug}/grants/new`}>
            {pick(locale, T.newGrant)}
          </a>
        </p>
      ) : null}
      {grantRows.length === 0 ? (
        <p class="muted">{pick(locale, T.noGrants)}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-sm" id="grants">
            <thead>
              <tr>
                <th>{pick(locale, T.grant)}</th>
                <th>{pick(locale, T.funder)}</th>
                <th class="num">{pick(locale, T.amount)}</th>
                <th>{pick(locale, T.period)}</th>
                <th>{pick(locale, T.schedule)}</th>
                <th>{pick(locale, T.nextDue)}</th>
                <th>
                  <span class="sr-only">{pick(locale, T.edit)}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {grantRows.map(({ grant: g, funderName }) => (
                <tr data-grant={g.code}>
                  <td data-label={pick(locale, T.grant)}>{locale === 'en' ? g.titleEn || g.title : g.title}</td>
                  <td data-label={pick(locale, T.funder)}>{funderName}</td>
                  <td class="num" data-label={pick(locale, T.amount)}>
                    {formatMoney(g.amountMinor, g.currency, locale)}
                  </td>
                  <td data-label={pick(locale, T.period)}>
                    {dayText(g.startsOn, locale)} – {dayText(g.endsOn, locale)}
                  </td>
                  <td data-label={pick(locale, T.schedule)}>{pick(locale, SCHEDULE_LABEL[g.schedule])}</td>
                  <td data-label={pick(locale, T.nextDue)}>{g.nextDueOn ? dayText(g.nextDueOn, locale) : '—'}</td>
                  <td>
                    <span class="row-actions">
                      {write ? <a href={`/o/${org.slug}/grants/${g.id}/edit`}>{pick(locale, T.edit)}</a> : null}
                      {can(c, REPORT_WRITE) ? <a href={`/o/${org.slug}/reports/new?grant=${g.id}`}>{pick(locale, T.reportOn)}</a> : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{pick(locale, T.funders)}</h2>
      {funderList.length === 0 ? <p class="muted">{pick(locale, T.noFunders)}</p> : null}
      {funderList.map((f) => {
        const cf = state.contactForm?.funderId === f.id ? state.contactForm : { values: {} as Values, errors: {} as FieldErrors, message: '' };
        return (
          <section class="panel" aria-labelledby={`funder-${f.id}`} data-funder={f.id}>
            <h3 id={`funder-${f.id}`}>
              {f.name} <span class="badge">{f.language.toUpperCase()}</span>
            </h3>
            <p class="muted small">{pick(locale, T.contacts)}</p>
            <ul class="plain">
              {(contacts.get(f.id) ?? []).map((x) => (
                <li>
                  {x.name} · {x.email}
                </li>
              ))}
            </ul>
            {write ? (
              <form method="post" action={`/o/${org.slug}/funders/${f.id}/contacts`} class="row" novalidate>
                <ErrorSummary message={cf.message} />
                <div class="grow">
                  <Field id={`contact-name-${f.id}`} label={pick(locale, T.contactName)} errors={cf.errors}>
                    {(a) => <input {...a} name="name" autocomplete="off" value={cf.values.name ?? ''} />}
                  </Field>
                </div>
                <div class="grow">
                  <Field id={`contact-email-${f.id}`} label={pick(locale, T.contactEmail)} errors={cf.errors}>
                    {(a) => <input {...a} name="email" type="email" autocomplete="off" value={cf.values.email ?? ''} />}
                  </Field>
                </div>
                <button type="submit" class="secondary">
                  {pick(locale, T.addContact)}
                </button>
              </form>
            ) : null}
          </section>
        );
      })}

      {write ? (
        <>
          <h2 id="add-funder">{pick(locale, T.addFunder)}</h2>
          {candidates.length === 0 && !state.funderForm ? (
            <p class="muted">{pick(locale, T.noOrgDonors)}</p>
          ) : (
            <form method="post" action={`/o/${org.slug}/funders`} class="stack" novalidate>
              <ErrorSummary message={ff.message} />
              <Field id="donorId" label={pick(locale, T.donorOrg)} errors={ff.errors}>
                {(a) => (
                  <select {...a} name="donorId">
                    <option value="">{pick(locale, T.choose)}</option>
                    {candidates.map((d) => (
                      <option value={d.id} selected={ff.values.donorId === d.id}>
                        {d.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="language" label={pick(locale, T.language)} errors={ff.errors}>
                {(a) => (
                  <select {...a} name="language">
                    {(['vi', 'en'] as const).map((l) => (
                      <option value={l} selected={(ff.values.language ?? 'vi') === l}>
                        {pick(locale, T[l])}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="iatiRef" label={pick(locale, T.iatiRef)} errors={ff.errors}>
                {(a) => <input {...a} name="iatiRef" value={ff.values.iatiRef ?? ''} />}
              </Field>
              <div class="grid2">
                <Field id="contacts-0-name" label={pick(locale, T.contactName)} errors={ff.errors}>
                  {(a) => <input {...a} name="contactName" autocomplete="off" value={ff.values.contactName ?? ''} />}
                </Field>
                <Field id="contacts-0-email" label={pick(locale, T.contactEmail)} errors={ff.errors}>
                  {(a) => <input {...a} name="contactEmail" type="email" autocomplete="off" value={ff.values.contactEmail ?? ''} />}
                </Field>
              </div>
              <button type="submit">{pick(locale, T.add)}</button>
            </form>
          )}
        </>
      ) : null}
    </>,
    status,
  );
}

reportPages.get('/o/:org/grants', requireOrgRole(REPORT_READ), (c) => grantsPage(c));

reportPages.post('/o/:org/funders', requireOrgRole(GRANT_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const f = await readForm(c);
  const values: Values = { donorId: one(f, 'donorId'), language: one(f, 'language'), iatiRef: one(f, 'iatiRef'), contactName: one(f, 'contactName'), contactEmail: one(f, 'contactEmail') };
  const errors: FieldErrors = {};
  if (!UUID.test(values.donorId!)) errors.donorId = pick(locale, T.errChoose);
  if (values.language !== 'vi' && values.language !== 'en') errors.language = pick(locale, T.errChoose);
  if (!!values.contactName !== !!values.contactEmail) errors[values.contactName ? 'contacts-0-email' : 'contacts-0-name'] = pick(locale, T.required);
  if (Object.keys(errors).length) return grantsPage(c, { funderForm: { values, errors, message: pick(locale, T.errForm) } }, 400);
  try {
    await createFunder(c.get('db'), org.id, {
      donorId: values.donorId!,
      language: values.language as 'vi' | 'en',
      iatiRef: values.iatiRef || null,
      contacts: values.contactName ? [{ name: values.contactName, email: values.contactEmail! }] : [],
    });
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
      problemErrors(err, locale, errors);
      return grantsPage(c, { funderForm: { values, errors, message: pick(locale, T.errForm) } }, err.status);
    }
    throw err;
  }
  return c.redirect(`/o/${org.slug}/grants`, 303);
});

reportPages.post(`/o/:org/funders/:id${ID}/contacts`, requireOrgRole(GRANT_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const funderId = c.req.param('id');
  const f = await readForm(c);
  const values: Values = { name: one(f, 'name'), email: one(f, 'email') };
  try {
    await addFunderContact(c.get('db'), org.id, funderId, { name: values.name!, email: values.email! });
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
      const errors: FieldErrors = {};
      problemErrors(err, locale, errors, (p) => `contact-${p}-${funderId}`);
      return grantsPage(c, { contactForm: { funderId, values, errors, message: pick(locale, T.errForm) } }, err.status);
    }
    throw err;
  }
  return c.redirect(`/o/${org.slug}/grants`, 303);
});

// ---------- grant editor ----------

/** Text in a target field → the stored integer of the indicator's unit (money: minor units; percent: basis points; days: tenths). */
function parseTargetNumber(def: IndicatorDef | undefined, s: string, currency: string): bigint | null {
  if (def?.unit === 'money') return parseAmount(s, isCurrency(currency) ? currency : 'VND');
  if (def?.unit === 'percent' || def?.unit === 'days') {
    const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(s.replace(/%$/, '').trim());
    if (!m) return null;
    const scale = def.unit === 'percent' ? 2 : 1;
    const frac = (m[2] ?? '').padEnd(2, '0').slice(0, scale);
    if ((m[2] ?? '').length > scale) return null;
    return BigInt(m[1]! + frac);
  }
  const plain = s.replace(/[.\s,](?=\d{3}\b)/g, '');
  return /^\d{1,15}$/.test(plain) ? BigInt(plain) : null;
}
function formatTargetNumber(def: IndicatorDef | undefined, v: bigint, currency: string): string {
  if (def?.unit === 'money') return isCurrency(currency) ? formatMinorPlain(v, currency) : v.toString();
  if (def?.unit === 'percent') return `${v / 100n}${v % 100n ? `.${(v % 100n).toString().padStart(2, '0')}` : ''}`;
  if (def?.unit === 'days') return `${v / 10n}${v % 10n ? `.${v % 10n}` : ''}`;
  return v.toString();
}

const EXTRA_TARGET_ROWS = 2;

function grantValues(g: Awaited<ReturnType<typeof getGrant>>): { values: Values; lists: Record<string, string[]>; rows: number } {
  const values: Values = {
    funderId: g.funderId,
    code: g.code,
    title: g.title,
    titleEn: g.titleEn ?? '',
    description: g.description,
    amount: isCurrency(g.currency) ? formatMinorPlain(g.amountMinor, g.currency) : g.amountMinor.toString(),
    currency: g.currency,
    startsOn: g.startsOn,
    endsOn: g.endsOn,
    schedule: g.schedule,
    nextDueOn: g.nextDueOn ?? '',
  };
  g.targets.forEach((t, i) => {
    const def = indicatorById(t.indicatorId);
    values[`targets.${i}.indicatorId`] = t.indicatorId;
    values[`targets.${i}.baselineYear`] = t.baselineYear === null ? '' : String(t.baselineYear);
    values[`targets.${i}.baselineValue`] = t.baselineValue === null ? '' : formatTargetNumber(def, t.baselineValue, g.currency);
    values[`targets.${i}.targetValue`] = formatTargetNumber(def, t.targetValue, g.currency);
  });
  return {
    values,
    lists: { campaignIds: g.purpose.campaignIds ?? [], categories: g.purpose.categories ?? [], locationIds: g.purpose.locationIds ?? [] },
    rows: g.targets.length + EXTRA_TARGET_ROWS,
  };
}

interface GrantFormState {
  values: Values;
  lists: Record<string, string[]>;
  rows: number;
  errors: FieldErrors;
  message?: string;
}

async function grantFormPage(c: Context<AppEnv>, grantId: string | null, state: GrantFormState, status: 200 | 400 | 409 = 200) {
  const db = c.get('db');
  const org = c.get('org');
  const locale = c.get('locale');
  const [funderList, camps, cats, locs] = await Promise.all([listFunders(db, org.id), listCampaigns(db, org.id), listCategories(db, org.id), listLocations(db, org.id)]);
  const action = grantId ? `/o/${org.slug}/grants/${grantId}/edit` : `/o/${org.slug}/grants/new`;
  const title = pick(locale, grantId ? T.editGrant : T.newGrant);
  const { values: v, errors, lists } = state;
  const text = (id: string, label: string, type = 'text', hint?: string) => (
    <Field id={id} label={label} errors={errors} hint={hint}>
      {(a) => <input {...a} name={id} type={type} value={v[id] ?? ''} />}
    </Field>
  );
  const indicatorOptions = INDICATORS.filter((i) => !i.scopes || i.scopes.includes('grant'));
  return page(
    c,
    title,
    action,
    <>
      <h1>{title}</h1>
      {funderList.length === 0 ? (
        <p class="notice">
          {pick(locale, T.needFunder)} <a href={`/o/${org.slug}/grants#add-funder`}>{pick(locale, T.addFunder)}</a>
        </p>
      ) : null}
      <form method="post" action={action} class="stack wide" novalidate>
        <ErrorSummary message={state.message} />
        <Field id="funderId" label={pick(locale, T.funder)} errors={errors}>
          {(a) => (
            <select {...a} name="funderId">
              <option value="">{pick(locale, T.choose)}</option>
              {funderList.map((f) => (
                <option value={f.id} selected={v.funderId === f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('title', pick(locale, T.title))}
        {text('titleEn', pick(locale, T.titleEn))}
        {text('code', pick(locale, T.code))}
        <Field id="description" label={pick(locale, T.description)} errors={errors}>
          {(a) => (
            <textarea {...a} name="description" rows={3}>
              {v.description ?? ''}
            </textarea>
          )}
        </Field>
        <div class="grid2">
          {text('amount', pick(locale, T.amount), 'text')}
          <Field id="currency" label={pick(locale, T.currency)} errors={errors}>
            {(a) => (
              <select {...a} name="currency">
                {CURRENCY_CODES.map((cur) => (
                  <option value={cur} selected={(v.currency || 'VND') === cur}>
                    {cur}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div class="grid2">
          {text('startsOn', pick(locale, T.startsOn), 'date')}
          {text('endsOn', pick(locale, T.endsOn), 'date')}
        </div>
        <div class="grid2">
          <Field id="schedule" label={pick(locale, T.schedule)} errors={errors}>
            {(a) => (
              <select {...a} name="schedule">
                {REPORT_SCHEDULES.map((s) => (
                  <option value={s} selected={(v.schedule || 'quarterly') === s}>
                    {pick(locale, SCHEDULE_LABEL[s])}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('nextDueOn', pick(locale, T.nextDueOn), 'date')}
        </div>
        <fieldset>
          <legend>{pick(locale, T.purpose)}</legend>
          <div class="stack">
            <Checks name="campaignIds" legend={pick(locale, T.campaign)} options={camps.map((x) => ({ value: x.id, label: locale === 'en' ? x.titleEn || x.title : x.title }))} checked={lists.campaignIds ?? []} errors={errors} />
            <Checks name="categories" legend={pick(locale, T.categories)} options={cats.map((x) => ({ value: x.key, label: locale === 'en' ? x.labelEn : x.labelVi }))} checked={lists.categories ?? []} errors={errors} />
            <Checks name="locationIds" legend={pick(locale, T.locations)} options={locs.map((x) => ({ value: x.id, label: x.name }))} checked={lists.locationIds ?? []} errors={errors} />
          </div>
        </fieldset>
        <fieldset id="targets">
          <legend>{pick(locale, T.targets)}</legend>
          <p class="muted small">{pick(locale, T.targetsHint)}</p>
          <input type="hidden" name="rows" value={String(state.rows)} />
          {Array.from({ length: state.rows }, (_, i) => {
            const k = (f: string) => `targets.${i}.${f}`;
            const cell = (f: string, label: string, inputmode: 'numeric' | 'decimal') => (
              <Field id={idOf(k(f))} label={label} errors={errors}>
                {(a) => <input {...a} name={k(f)} inputmode={inputmode} value={v[k(f)] ?? ''} />}
              </Field>
            );
            return (
              <fieldset class="target-row" data-target-row={String(i)}>
                <legend>{pick(locale, T.targetN, { n: i + 1 })}</legend>
                <Field id={idOf(k('indicatorId'))} label={pick(locale, T.indicator)} errors={errors}>
                  {(a) => (
                    <select {...a} name={k('indicatorId')}>
                      <option value="">{pick(locale, T.none)}</option>
                      {indicatorOptions.map((ind) => (
                        <option value={ind.id} selected={v[k('indicatorId')] === ind.id}>
                          {pick(locale, ind.label)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <div class="grid3">
                  {cell('baselineYear', pick(locale, T.baselineYear), 'numeric')}
                  {cell('baselineValue', pick(locale, T.baselineValue), 'decimal')}
                  {cell('targetValue', pick(locale, T.targetValue), 'decimal')}
                </div>
              </fieldset>
            );
          })}
        </fieldset>
        <button type="submit">{pick(locale, T.save)}</button>
      </form>
    </>,
    status,
  );
}

function parseGrantForm(f: FormFields, locale: Locale): { state: GrantFormState; input: GrantInput | null } {
  const values: Values = {};
  for (const k of ['funderId', 'code', 'title', 'titleEn', 'description', 'amount', 'currency', 'startsOn', 'endsOn', 'schedule', 'nextDueOn']) values[k] = one(f, k);
  const lists = { campaignIds: many(f, 'campaignIds'), categories: many(f, 'categories'), locationIds: many(f, 'locationIds') };
  const rows = Math.min(100, Math.max(EXTRA_TARGET_ROWS, Number.parseInt(one(f, 'rows'), 10) || EXTRA_TARGET_ROWS));
  const errors: FieldErrors = {};
  const required = (k: string) => {
    if (!values[k]) errors[k] = pick(locale, T.required);
  };
  ['funderId', 'code', 'title', 'amount', 'startsOn', 'endsOn'].forEach(required);
  const currency = isCurrency(values.currency) ? values.currency : 'VND';
  values.currency = currency;
  const amount = values.amount ? parseAmount(values.amount, currency) : null;
  if (values.amount && amount === null) errors.amount = pick(locale, T.errAmount);
  const schedule = (REPORT_SCHEDULES as readonly string[]).includes(values.schedule!) ? (values.schedule as ReportSchedule) : 'quarterly';
  values.schedule = schedule;

  const targets: TargetInput[] = [];
  // Rows keep their numbers, so a domain error at targets.<n> points at the row the user typed.
  const rowOfTarget: number[] = [];
  for (let i = 0; i < rows; i++) {
    const k = (x: string) => `targets.${i}.${x}`;
    for (const x of ['indicatorId', 'baselineYear', 'baselineValue', 'targetValue']) values[k(x)] = one(f, k(x));
    const id = values[k('indicatorId')]!;
    const anything = ['baselineYear', 'baselineValue', 'targetValue'].some((x) => values[k(x)]);
    if (!id) {
      if (anything) errors[idOf(k('indicatorId'))] = pick(locale, T.errChoose);
      continue;
    }
    const def = indicatorById(id);
    if (!def) {
      errors[idOf(k('indicatorId'))] = pick(locale, T.errChoose);
      continue;
    }
    const target = values[k('targetValue')] ? parseTargetNumber(def, values[k('targetValue')]!, currency) : null;
    if (!values[k('targetValue')]) errors[idOf(k('targetValue'))] = pick(locale, T.required);
    else if (target === null) errors[idOf(k('targetValue'))] = pick(locale, def.unit === 'money' ? T.errAmount : T.errNumber);
    const baseline = values[k('baselineValue')] ? parseTargetNumber(def, values[k('baselineValue')]!, currency) : null;
    if (values[k('baselineValue')] && baseline === null) errors[idOf(k('baselineValue'))] = pick(locale, def.unit === 'money' ? T.errAmount : T.errNumber);
    const yearText = values[k('baselineYear')]!;
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : null;
    if (yearText && year === null) errors[idOf(k('baselineYear'))] = message(locale, 'must be a year');
    if (target !== null) {
      rowOfTarget.push(i);
      targets.push({ indicatorId: id, baselineYear: year, baselineValue: baseline, targetValue: target });
    }
  }
  const state: GrantFormState = { values, lists, rows, errors };
  if (Object.keys(errors).length) return { state, input: null };
  (state as GrantFormState & { rowOfTarget: number[] }).rowOfTarget = rowOfTarget;
  return {
    state,
    input: {
      funderId: values.funderId!,
      code: values.code!,
      title: values.title!,
      titleEn: values.titleEn || null,
      description: values.description ?? '',
      amountMinor: amount!,
      currency,
      startsOn: values.startsOn!,
      endsOn: values.endsOn!,
      purpose: {
        ...(lists.campaignIds.length ? { campaignIds: lists.campaignIds } : {}),
        ...(lists.categories.length ? { categories: lists.categories } : {}),
        ...(lists.locationIds.length ? { locationIds: lists.locationIds } : {}),
      },
      schedule,
      nextDueOn: values.nextDueOn || undefined,
      targets,
    },
  };
}

async function saveGrant(c: Context<AppEnv>, grantId: string | null) {
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  if (grantId) await getGrant(db, org.id, grantId);
  const { state, input } = parseGrantForm(await readForm(c), locale);
  if (!input) return grantFormPage(c, grantId, { ...state, message: pick(locale, T.errForm) }, 400);
  let saved: { id: string };
  try {
    saved = grantId ? await updateGrant(db, org.id, grantId, input) : await createGrant(db, org.id, input);
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
      const rowOf = (state as GrantFormState & { rowOfTarget?: number[] }).rowOfTarget ?? [];
      problemErrors(err, locale, state.errors, (p) => {
        const m = /^targets\.(\d+)\.(.+)$/.exec(p);
        if (m) return `targets.${rowOf[Number(m[1])] ?? m[1]}.${m[2]}`;
        return p === 'amountMinor' ? 'amount' : p.startsWith('purpose.') ? p.slice('purpose.'.length) : p;
      });
      return grantFormPage(c, grantId, { ...state, message: pick(locale, T.errForm) }, err.status);
    }
    throw err;
  }
  return c.redirect(`/o/${org.slug}/grants?saved=${saved.id}`, 303);
}

reportPages.get('/o/:org/grants/new', requireOrgRole(GRANT_WRITE), (c) =>
  grantFormPage(c, null, { values: { currency: 'VND', schedule: 'quarterly' }, lists: {}, rows: 3, errors: {} }),
);
reportPages.post('/o/:org/grants/new', requireOrgRole(GRANT_WRITE), (c) => saveGrant(c, null));
reportPages.get(`/o/:org/grants/:id${ID}/edit`, requireOrgRole(GRANT_WRITE), async (c) => {
  const g = await getGrant(c.get('db'), c.get('org').id, c.req.param('id'));
  return grantFormPage(c, g.id, { ...grantValues(g), errors: {} });
});
reportPages.post(`/o/:org/grants/:id${ID}/edit`, requireOrgRole(GRANT_WRITE), (c) => saveGrant(c, c.req.param('id')));

// ---------- report builder ----------

interface BuilderState {
  values: Values;
  errors: FieldErrors;
  message?: string;
}

async function builderPage(c: Context<AppEnv>, state: BuilderState, status: 200 | 400 = 200) {
  const db = c.get('db');
  const org = c.get('org');
  const locale = c.get('locale');
  const [camps, grantRows] = await Promise.all([listCampaigns(db, org.id), listGrants(db, org.id)]);
  const { values: v, errors } = state;
  const action = `/o/${org.slug}/reports/new`;
  const scopeErr = errors.scope;
  return page(
    c,
    pick(locale, T.newReport),
    action,
    <>
      <h1>{pick(locale, T.newReport)}</h1>
      <form method="post" action={action} class="stack" novalidate>
        <ErrorSummary message={state.message} />
        <fieldset aria-invalid={scopeErr ? 'true' : undefined} aria-describedby={scopeErr ? 'scope-error' : undefined}>
          <legend>{pick(locale, T.scope)}</legend>
          <div class="tiles">
            {(['organisation', 'campaign', 'grant'] as const).map((s) => (
              <label class="tile">
                <input type="radio" name="scope" value={s} checked={(v.scope || 'organisation') === s} /> {pick(locale, SCOPE_LABEL[s])}
              </label>
            ))}
          </div>
          {scopeErr ? (
            <div class="field-error" id="scope-error">
              {scopeErr}
            </div>
          ) : null}
        </fieldset>
        <Field id="campaignId" label={pick(locale, T.campaign)} errors={errors}>
          {(a) => (
            <select {...a} name="campaignId">
              <option value="">{pick(locale, T.choose)}</option>
              {camps.map((x) => (
                <option value={x.id} selected={v.campaignId === x.id}>
                  {locale === 'en' ? x.titleEn || x.title : x.title}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="grantId" label={pick(locale, T.grant)} errors={errors}>
          {(a) => (
            <select {...a} name="grantId">
              <option value="">{pick(locale, T.choose)}</option>
              {grantRows.map(({ grant: g, funderName }) => (
                <option value={g.id} selected={v.grantId === g.id}>
                  {`${locale === 'en' ? g.titleEn || g.title : g.title} (${funderName})`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="grid2">
          <Field id="periodFrom" label={pick(locale, T.periodFrom)} errors={errors}>
            {(a) => <input {...a} name="periodFrom" type="date" value={v.periodFrom ?? ''} />}
          </Field>
          <Field id="periodTo" label={pick(locale, T.periodTo)} errors={errors}>
            {(a) => <input {...a} name="periodTo" type="date" value={v.periodTo ?? ''} />}
          </Field>
        </div>
        <fieldset>
          <legend>{pick(locale, T.language)}</legend>
          <div class="tiles">
            {(['vi', 'en'] as const).map((l) => (
              <label class="tile">
                <input type="radio" name="language" value={l} checked={(v.language || 'vi') === l} /> {pick(locale, T[l])}
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit">{pick(locale, T.generate)}</button>
      </form>
    </>,
    status,
  );
}

reportPages.get('/o/:org/reports/new', requireOrgRole(REPORT_WRITE), (c) => {
  const today = vnDate(c.get('deps').clock.now());
  const grantId = c.req.query('grant');
  const campaignId = c.req.query('campaign');
  const values: Values = { scope: 'organisation', periodFrom: `${today.slice(0, 4)}-01-01`, periodTo: today, language: c.get('locale') };
  if (grantId && UUID.test(grantId)) Object.assign(values, { scope: 'grant', grantId });
  else if (campaignId && UUID.test(campaignId)) Object.assign(values, { scope: 'campaign', campaignId });
  return builderPage(c, { values, errors: {} });
});

reportPages.post('/o/:org/reports/new', requireOrgRole(REPORT_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const f = await readForm(c);
  const values: Values = {};
  for (const k of ['scope', 'campaignId', 'grantId', 'periodFrom', 'periodTo', 'language']) values[k] = one(f, k);
  const errors: FieldErrors = {};
  const scope = values.scope;
  if (scope !== 'organisation' && scope !== 'campaign' && scope !== 'grant') errors.scope = pick(locale, T.errChoose);
  if (values.language !== 'vi' && values.language !== 'en') values.language = 'vi';
  // The chosen campaign or grant must be one of this organisation's (the lists on the form).
  if (scope === 'campaign') {
    const ok = UUID.test(values.campaignId!) && (await listCampaigns(db, org.id)).some((x) => x.id === values.campaignId);
    if (!ok) errors.campaignId = message(locale, 'is required for a campaign report');
  }
  if (scope === 'grant') {
    const ok = UUID.test(values.grantId!) && (await listGrants(db, org.id)).some((x) => x.grant.id === values.grantId);
    if (!ok) errors.grantId = message(locale, 'is required for a grant report');
  }
  if (!values.periodFrom) errors.periodFrom = pick(locale, T.required);
  if (!values.periodTo) errors.periodTo = pick(locale, T.required);
  if (Object.keys(errors).length) return builderPage(c, { values, errors, message: pick(locale, T.errForm) }, 400);
  const spec = scope === 'campaign' ? { kind: 'campaign' as const, campaignId: values.campaignId! } : scope === 'grant' ? { kind: 'grant' as const, grantId: values.grantId! } : { kind: 'organisation' as const };
  try {
    const { report } = await createReport(db, org.id, { scope: spec, period: { from: values.periodFrom!, to: values.periodTo! }, language: values.language as Locale }, actorOf(c));
    return c.redirect(`/o/${org.slug}/reports/${report.id}`, 303);
  } catch (err) {
    if (err instanceof ProblemError && err.status === 400) {
      problemErrors(err, locale, errors);
      return builderPage(c, { values, errors, message: pick(locale, T.errForm) }, 400);
    }
    throw err;
  }
});

// ---------- a report: versions, changes, the report, downloads, links ----------

function shownValue(report: PublishedReport, id: string, locale: Locale): string {
  const ind = publishedIndicators(report).find((i) => i.id === id);
  return ind ? formatIndicatorCell(ind, ind.value as never, locale) : '—';
}

function Changes(props: { current: VersionRow; previous: VersionRow | null; locale: Locale }) {
  const { locale } = props;
  if (!props.previous) return <p class="muted">{pick(locale, T.firstVersion)}</p>;
  const after = publishVersion(props.current);
  const before = publishVersion(props.previous);
  const changes = diffModels(modelFromJson(props.previous.model), modelFromJson(props.current.model));
  if (!changes.length) return <p class="muted">{pick(locale, T.noChanges)}</p>;
  const beforeHead = `${pick(locale, T.before)} (v${props.previous.version})`;
  const afterHead = `${pick(locale, T.after)} (v${props.current.version})`;
  return (
    <div class="table-wrap">
      <table class="cards-sm" id="changes-table">
        <thead>
          <tr>
            <th>{pick(locale, T.indicator)}</th>
            <th class="num">{beforeHead}</th>
            <th class="num">{afterHead}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((ch) => (
            <tr data-indicator={ch.id}>
              <th scope="row">{pick(locale, ch.label)}</th>
              <td class="num" data-label={beforeHead}>{shownValue(before, ch.id, locale)}</td>
              <td class="num" data-label={afterHead}>{shownValue(after, ch.id, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function reportPage(c: Context<AppEnv>, opts: { version?: number; newLink?: { url: string; expiresAt: Date }; notice?: string; error?: string; status?: 200 | 400 | 404 } = {}) {
  const db = c.get('db');
  const org = c.get('org');
  const locale = c.get('locale');
  const id = c.req.param('id')!;
  const r = await getReport(db, org.id, id);
  const versions = await listVersions(db, org.id, r.id);
  const number = opts.version ?? versions[0]?.version ?? 1;
  const current = await getVersion(db, org.id, r.id, number);
  const previous = number > 1 ? await getVersion(db, org.id, r.id, number - 1) : null;
  const report = publishVersion(current);
  const links = await listReportLinks(db, org.id, r.id);
  const now = c.get('deps').clock.now();
  const base = `/o/${org.slug}/reports/${r.id}`;
  const fileBase = `/api/v1/orgs/${org.slug}/reports/${r.id}/versions/${number}`;
  const write = can(c, REPORT_WRITE);
  const files = versionFiles(report, report.meta.language).filter((f) => f !== 'report.html');
  const fileLabel = (f: string) => {
    if (FORMAT_LABEL[f]) return pick(locale, FORMAT_LABEL[f]!);
    const b = report.breakdowns.find((x) => f === `breakdown-${x.id}.csv`);
    const m = report.moneyTables.find((x) => f === `money-${x.id}.csv`);
    return `CSV · ${b ? pick(locale, b.title) : m ? pick(locale, m.title) : f === 'indicators.csv' ? pick(locale, T.indicator) : f}`;
  };
  return page(
    c,
    `${pick(locale, T.report)} · v${number}`,
    `${base}?v=${number}`,
    <>
      <Flash ok={opts.notice} error={opts.error} />
      {opts.newLink ? (
        <div class="ok" role="status" id="new-link">
          <p>{pick(locale, T.linkCreated)}</p>
          <label for="new-link-url">{pick(locale, T.linkUrl)}</label>
          <input id="new-link-url" type="url" readonly value={opts.newLink.url} />
          <p class="small">
            {pick(locale, T.expires)}: {formatDate(opts.newLink.expiresAt, locale)}
          </p>
        </div>
      ) : null}
      <p class="no-print">
        <a href={`/o/${org.slug}/reports`}>← {pick(locale, T.reports)}</a>
      </p>

      <section class="no-print" aria-labelledby="versions-h">
        <h2 id="versions-h">{pick(locale, T.versions)}</h2>
        <div class="table-wrap">
          <table class="cards-sm" id="versions">
            <thead>
              <tr>
                <th>{pick(locale, T.version)}</th>
                <th>{pick(locale, T.createdAt)}</th>
                <th>{pick(locale, T.createdBy)}</th>
                <th>
                  <span class="sr-only">{pick(locale, T.view)}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr data-version={String(v.version)} aria-current={v.version === number ? 'true' : undefined}>
                  <td data-label={pick(locale, T.version)}>
                    v{v.version}
                    {v.version === number ? <span class="badge">✓</span> : null}
                  </td>
                  <td data-label={pick(locale, T.createdAt)}>{formatDate(v.createdAt, locale)}</td>
                  <td data-label={pick(locale, T.createdBy)}>{v.createdBy ?? pick(locale, T.system)}</td>
                  <td>
                    <span class="row-actions">
                      <a href={`${base}?v=${v.version}`}>{pick(locale, T.view)}</a>
                      {v.version > 1 ? <a href={`${base}?v=${v.version}#changes`}>{pick(locale, T.changesOf)}</a> : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {write ? (
          <form method="post" action={`${base}/versions`} class="row">
            <button type="submit" class="secondary">
              {pick(locale, T.regenerate)}
            </button>
          </form>
        ) : null}
        <h3 id="changes">{`${pick(locale, T.changes)} (v${number})`}</h3>
        <Changes current={current} previous={previous} locale={locale} />
      </section>

      <section class="no-print" aria-labelledby="downloads-h">
        <h2 id="downloads-h">{pick(locale, T.downloads)}</h2>
        <ul class="report-formats plain" id="downloads">
          {files.map((f) => (
            <li>
              <a href={`${fileBase}/${f}`} download data-file={f}>
                {fileLabel(f)}
              </a>
            </li>
          ))}
        </ul>
      </section>

      <section class="no-print" aria-labelledby="links-h">
        <h2 id="links-h">{pick(locale, T.links)}</h2>
        {links.length === 0 ? (
          <p class="muted">{pick(locale, T.noLinks)}</p>
        ) : (
          <ul class="plain" id="links">
            {links.map((l) => {
              const state = l.revokedAt ? T.revoked : l.expiresAt <= now ? T.expired : T.active;
              return (
                <li data-link={l.id}>
                  v{l.version} · {pick(locale, T.expires)} {formatDate(l.expiresAt, locale)} · <span class="badge">{pick(locale, state)}</span>
                  {write && !l.revokedAt && l.expiresAt > now ? (
                    <form method="post" action={`${base}/links/${l.id}/revoke`} class="inline">
                      {' '}
                      <button type="submit" class="secondary">
                        {pick(locale, T.revoke)}
                      </button>
                    </form>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
        {write ? (
          <form method="post" action={`${base}/links`} class="row" novalidate>
            <input type="hidden" name="version" value={String(number)} />
            <div>
              <label for="link-days">{pick(locale, T.linkDays)}</label>
              <input id="link-days" name="days" type="number" inputmode="numeric" min="1" max="365" value="30" />
            </div>
            <button type="submit">{`${pick(locale, T.createLink)} (v${number})`}</button>
          </form>
        ) : null}
      </section>

      <ReportView report={report} locale={report.meta.language} />
    </>,
    opts.status ?? 200,
  );
}

reportPages.get(`/o/:org/reports/:id${ID}`, requireOrgRole(REPORT_READ), (c) => {
  const v = c.req.query('v');
  const version = v && /^\d{1,6}$/.test(v) ? Number(v) : undefined;
  const locale = c.get('locale');
  return reportPage(c, { version, notice: c.req.query('revoked') ? pick(locale, T.revokedDone) : undefined });
});

reportPages.post(`/o/:org/reports/:id${ID}/versions`, requireOrgRole(REPORT_WRITE), async (c) => {
  const org = c.get('org');
  const v = await generateVersion(c.get('db'), org.id, c.req.param('id'), actorOf(c));
  return c.redirect(`/o/${org.slug}/reports/${c.req.param('id')}?v=${v.version}#changes`, 303);
});

reportPages.post(`/o/:org/reports/:id${ID}/links`, requireOrgRole(REPORT_WRITE), async (c) => {
  const db = c.get('db');
  const org = c.get('org');
  const locale = c.get('locale');
  const f = await readForm(c);
  const version = /^\d{1,6}$/.test(one(f, 'version')) ? Number(one(f, 'version')) : 0;
  const daysText = one(f, 'days') || '30';
  const days = /^\d{1,3}$/.test(daysText) ? Number(daysText) : NaN;
  const report = await getReport(db, org.id, c.req.param('id'));
  const v = await getVersion(db, org.id, report.id, version);
  if (!(days >= 1 && days <= 365)) {
    return reportPage(c, { version, error: locale === 'vi' ? 'Số ngày hiệu lực phải từ 1 đến 365.' : 'The link must be valid for 1 to 365 days.', status: 400 });
  }
  const link = await createReportLink(db, org.id, v.id, { days, ...actorOf(c) });
  // Shown on this response only (not redirected): the token never lands in a URL or history.
  return reportPage(c, { version, newLink: { url: `${c.get('deps').config.APP_URL}/r/${link.token}`, expiresAt: link.expiresAt } });
});

reportPages.post(`/o/:org/reports/:id${ID}/links/:link${ID}/revoke`, requireOrgRole(REPORT_WRITE), async (c) => {
  const org = c.get('org');
  const db = c.get('db');
  const report = await getReport(db, org.id, c.req.param('id'));
  const links = await listReportLinks(db, org.id, report.id);
  if (!links.some((l) => l.id === c.req.param('link'))) throw new ProblemError(404, 'Report link not found');
  await revokeReportLink(db, org.id, c.req.param('link'), c.get('deps').clock.now());
  return c.redirect(`/o/${org.slug}/reports/${report.id}?revoked=1`, 303);
});

// ---------- scheduled delivery: preview and send ----------

async function deliveryPage(c: Context<AppEnv>, opts: { notice?: string; error?: string; status?: 200 | 409 } = {}) {
  const db = c.get('db');
  const org = c.get('org');
  const locale = c.get('locale');
  const d = await getDelivery(db, org.id, c.req.param('id')!);
  const report = publishVersion({ model: d.model });
  const contacts = await funderContactsOf(db, org.id, d.funderId);
  const mail = reportEmailFor(report, d.funderLanguage, { link: '…', expires: '…' });
  const base = `/o/${org.slug}/report-deliveries/${d.id}`;
  const write = can(c, REPORT_WRITE);
  return page(
    c,
    `${pick(locale, T.preview)} · ${d.grantTitle}`,
    base,
    <>
      <Flash ok={opts.notice} error={opts.error} />
      <p class="no-print">
        <a href={`/o/${org.slug}/reports`}>← {pick(locale, T.reports)}</a>
      </p>
      <h1>{`${pick(locale, T.preview)}: ${d.grantTitle}`}</h1>
      <dl class="kv" id="delivery">
        <dt>{pick(locale, T.funder)}</dt>
        <dd>{d.funderName}</dd>
        <dt>{pick(locale, T.period)}</dt>
        <dd>
          {dayText(report.meta.period.from, locale)} – {dayText(report.meta.period.to, locale)}
        </dd>
        <dt>{pick(locale, T.status)}</dt>
        <dd data-status={d.status}>
          {d.status === 'sent'
            ? `${pick(locale, T.sent)} ${d.sentAt ? formatDate(d.sentAt, locale) : ''} (${d.recipients})`
            : `${pick(locale, T.waiting)} · ${pick(locale, T.sendAfter)} ${formatDate(d.sendAfter, locale)}`}
        </dd>
        <dt>{pick(locale, T.report)}</dt>
        <dd>
          <a href={`/o/${org.slug}/reports/${d.reportId}?v=${d.version}`}>v{d.version}</a>
        </dd>
      </dl>
      <h2>{pick(locale, T.email)}</h2>
      <dl class="kv">
        <dt>{pick(locale, T.recipients)}</dt>
        <dd>
          {contacts.length ? (
            <ul class="plain" id="recipients">
              {contacts.map((x) => (
                <li>
                  {x.name} · {x.email}
                </li>
              ))}
            </ul>
          ) : (
            <span class="field-error">{pick(locale, T.noContacts)}</span>
          )}
        </dd>
        <dt>{pick(locale, T.subject)}</dt>
        <dd>{mail.subject}</dd>
      </dl>
      <p class="muted">{pick(locale, T.attachment, { d: 180 })}</p>
      {write && d.status === 'preview' ? (
        <form method="post" action={`${base}/send`} class="row no-print">
          <button type="submit" class="block">
            {pick(locale, T.send)}
          </button>
        </form>
      ) : null}
      <ReportView report={report} locale={d.funderLanguage} />
    </>,
    opts.status ?? 200,
  );
}

reportPages.get(`/o/:org/report-deliveries/:id${ID}`, requireOrgRole(REPORT_READ), (c) => {
  const sent = c.req.query('sent');
  const locale = c.get('locale');
  return deliveryPage(c, sent && /^\d+$/.test(sent) ? { notice: pick(locale, T.sentDone, { n: sent }) } : {});
});

reportPages.post(`/o/:org/report-deliveries/:id${ID}/send`, requireOrgRole(REPORT_WRITE), async (c) => {
  const org = c.get('org');
  const locale = c.get('locale');
  try {
    const r = await sendDelivery(c.get('db'), c.get('deps'), org.id, c.req.param('id'), actorOf(c));
    kickOutbox(c);
    return c.redirect(`/o/${org.slug}/report-deliveries/${c.req.param('id')}?sent=${r.recipients}`, 303);
  } catch (err) {
    if (err instanceof ProblemError && err.status === 409) {
      const text = /already been sent/.test(err.detail ?? '')
        ? locale === 'vi'
          ? 'Báo cáo này đã được gửi; không gửi lại.'
          : 'This report has already been sent; it was not sent again.'
        : locale === 'vi'
          ? pick(locale, T.noContacts)
          : (err.detail ?? pick(locale, T.noContacts));
      return deliveryPage(c, { error: text, status: 409 });
    }
    throw err;
  }
});
