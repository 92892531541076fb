import { Hono, type Context } from 'hono';
import { orgPage as page, hasRole as can } from '../ui/org-page';
import { listDonorChoices } from '../donors/donors';
import { and, asc, eq } from 'drizzle-orm';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { ProblemError } from '../http/problem';
import { cases, locations, packageUnits, type UnitStatus } from '../db/schema';
import type { Db } from '../db/types';
import { formatDate, formatMoney, pick, type Locale, localized } from '../ui/i18n';
import { kickOutbox } from '../mail/kick';
import { getCampaign, listCampaigns } from '../giving/campaigns';
import { OFFLINE_CHANNELS } from '../giving/gifts';
import { formatMinorPlain, parseAmount, vietnamDate } from '../giving/money';
import { channelLabel } from '../donors/statement';
import { DonorOptions, ErrorSummary, Field, str, type FieldErrors } from '../giving/ui';
import { listCategories } from '../cases/cases';
import { GENDER_LABELS, URGENCY_LABELS, label } from '../cases/labels';
import { PACKAGES_MANAGE, PACKAGES_MONEY, PACKAGES_READ } from './api';
import { createDrive, createPackageType, driveFunding, drivesFunding, getDrive, getPackageType, listDriveUnits, listDrives, listPackageTypes, moveDriveSurplus, type PackageDrive } from './drives';
import { cancelUnit, recordOfflinePackageGift, type CancelAction } from './funding';
import { autoMatchDrive, explainCandidate, matchPackageUnit, rankedCandidates, suggestMatches } from './matching';
import { deliverUnits, undoDelivery, UNDO_WINDOW_MS } from './delivery';
import { isUuid, UUID_PATH } from '../lib/ids';

const T = {
  packages: { vi: 'Suất quà', en: 'Gift packages' },
  drives: { vi: 'Đợt trao quà', en: 'Package drives' },
  types: { vi: 'Loại suất quà', en: 'Package types' },
  newType: { vi: 'Thêm loại suất quà', en: 'New package type' },
  newDrive: { vi: 'Tạo đợt trao quà', en: 'New package drive' },
  nameVi: { vi: 'Tên (tiếng Việt)', en: 'Name (Vietnamese)' },
  nameEn: { vi: 'Tên (tiếng Anh)', en: 'Name (English)' },
  contentsVi: { vi: 'Nội dung suất quà (tiếng Việt)', en: 'Contents (Vietnamese)' },
  contentsEn: { vi: 'Nội dung suất quà (tiếng Anh)', en: 'Contents (English)' },
  value: { vi: 'Giá trị mỗi suất (đ)', en: 'Value per package (đ)' },
  minAge: { vi: 'Tuổi từ', en: 'Minimum age' },
  maxAge: { vi: 'Tuổi đến', en: 'Maximum age' },
  categories: { vi: 'Nhóm đối tượng (để trống: tất cả)', en: 'Categories (none ticked: any)' },
  locations: { vi: 'Địa bàn (để trống: tất cả)', en: 'Places (none ticked: anywhere)' },
  campaign: { vi: 'Chương trình', en: 'Campaign' },
  type: { vi: 'Loại suất quà', en: 'Package type' },
  titleVi: { vi: 'Tên đợt (tiếng Việt)', en: 'Title (Vietnamese)' },
  titleEn: { vi: 'Tên đợt (tiếng Anh)', en: 'Title (English)' },
  target: { vi: 'Số suất cần', en: 'Target (packages)' },
  starts: { vi: 'Bắt đầu', en: 'Starts' },
  ends: { vi: 'Kết thúc', en: 'Ends' },
  driveLocations: { vi: 'Thu hẹp địa bàn (để trống: theo loại suất quà)', en: 'Narrow the places (none ticked: as the package type)' },
  save: { vi: 'Lưu', en: 'Save' },
  errForm: { vi: 'Vui lòng sửa các ô được đánh dấu.', en: 'Please correct the marked fields.' },
  none: { vi: 'Chưa có gì.', en: 'Nothing yet.' },
  funded: { vi: 'Đã có người ủng hộ', en: 'Funded' },
  matched: { vi: 'Đã ghép', en: 'Matched' },
  delivered: { vi: 'Đã trao', en: 'Delivered' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
  ofTarget: { vi: 'suất / mục tiêu', en: 'packages / target' },
  short: { vi: 'Còn thiếu {n} suất', en: '{n} packages short of the target' },
  over: { vi: 'Vượt mục tiêu {n} suất', en: '{n} packages over the target' },
  balance: { vi: 'Tiền trong quỹ của đợt', en: "Money in the drive's fund" },
  committed: { vi: 'Cần cho các suất chưa trao', en: 'Needed for undelivered packages' },
  surplus: { vi: 'Thừa (chờ quyết định)', en: 'Surplus (to decide)' },
  shortMoney: { vi: 'Thiếu tiền (ví dụ phí thẻ): cần bù', en: 'Money missing (e.g. card fees): to be covered' },
  toExpense: { vi: 'Đã chuyển sang chi chương trình', en: 'Moved to programme expense' },
  match: { vi: 'Ghép suất quà', en: 'Match packages' },
  deliver: { vi: 'Ghi nhận trao quà', en: 'Record a hand-over' },
  units: { vi: 'Các suất quà', en: 'Packages' },
  status: { vi: 'Trạng thái', en: 'Status' },
  child: { vi: 'Trẻ (mã hồ sơ)', en: 'Child (case code)' },
  all: { vi: 'Tất cả', en: 'All' },
  filter: { vi: 'Lọc', en: 'Filter' },
  prev: { vi: '← Trang trước', en: '← Previous' },
  next: { vi: 'Trang sau →', en: 'Next →' },
  undo: { vi: 'Hoàn tác (trong 24 giờ)', en: 'Undo (within 24 hours)' },
  reason: { vi: 'Lý do', en: 'Reason' },
  cancel: { vi: 'Hủy suất', en: 'Cancel package' },
  refund: { vi: 'Hoàn tiền cho nhà hảo tâm', en: 'Refund the donor' },
  toGeneral: { vi: 'Chuyển sang quỹ chung', en: 'Move to the general fund' },
  toDrive: { vi: 'Chuyển sang đợt khác', en: 'Move to another drive' },
  offline: { vi: 'Ghi nhận ủng hộ suất quà (tiền mặt, chuyển khoản, séc)', en: 'Record a package gift (cash, transfer, cheque)' },
  donor: { vi: 'Nhà hảo tâm', en: 'Donor' },
  noDonor: { vi: '(không rõ / ẩn danh)', en: '(unknown / anonymous)' },
  channel: { vi: 'Hình thức', en: 'Method' },
  quantity: { vi: 'Số suất', en: 'Number of packages' },
  received: { vi: 'Ngày nhận', en: 'Date received' },
  reference: { vi: 'Số tham chiếu', en: 'Reference' },
  record: { vi: 'Ghi nhận', en: 'Record' },
  moveSurplus: { vi: 'Quyết định về khoản thừa', en: 'Decide on the surplus' },
  amount: { vi: 'Số tiền (đ)', en: 'Amount (đ)' },
  destination: { vi: 'Chuyển đến', en: 'Move to' },
  suggestions: { vi: 'Gợi ý ghép', en: 'Suggested matches' },
  rule: {
    vi: 'Thứ tự gợi ý: trẻ chưa nhận suất của đợt này trước; rồi trẻ nhận ít hỗ trợ nhất trong 12 tháng qua (số suất, rồi giá trị); rồi trẻ chờ lâu nhất (từ lần hỗ trợ gần nhất hoặc ngày mở hồ sơ); rồi mức khẩn cấp.',
    en: 'Suggestion order: children not yet served in this drive first; then the least support in the last 12 months (packages, then value); then the longest waiting (since their last support or since the case opened); then urgency.',
  },
  accept: { vi: 'Chấp nhận', en: 'Accept' },
  acceptAll: { vi: 'Chấp nhận tất cả gợi ý', en: 'Accept all suggestions' },
  why: { vi: 'Vì sao', en: 'Why' },
  ageBand: { vi: 'Nhóm tuổi', en: 'Age band' },
  gender: { vi: 'Giới tính', en: 'Gender' },
  place: { vi: 'Địa bàn', en: 'Place' },
  urgency: { vi: 'Khẩn cấp', en: 'Urgency' },
  manual: { vi: 'Chọn trẻ thủ công', en: 'Pick a child by hand' },
  caseCode: { vi: 'Mã hồ sơ', en: 'Case code' },
  override: { vi: 'Lý do cho suất thứ hai (chỉ khi trẻ đã có suất của đợt này)', en: 'Reason for a second package (only if the child already has one of this drive)' },
  unit: { vi: 'Suất quà', en: 'Package' },
  noFunded: { vi: 'Không còn suất nào chờ ghép.', en: 'No package is waiting for a child.' },
  noCandidates: { vi: 'Không còn trẻ phù hợp chưa nhận suất của đợt này.', en: 'No eligible child without a package of this drive.' },
  matchedN: { vi: 'Đã ghép {n} suất; bỏ qua {s}.', en: '{n} packages matched; {s} skipped.' },
  matchedOne: { vi: 'Đã ghép suất quà.', en: 'Package matched.' },
  deliveredN: { vi: 'Đã ghi nhận trao {n} suất.', en: '{n} packages recorded as delivered.' },
  undone: { vi: 'Đã hoàn tác việc trao quà.', en: 'Delivery undone.' },
  cancelledOk: { vi: 'Đã hủy suất quà.', en: 'Package cancelled.' },
  recorded: { vi: 'Đã ghi nhận khoản ủng hộ và tạo các suất quà.', en: 'Gift recorded and packages created.' },
  surplusOk: { vi: 'Đã chuyển khoản thừa.', en: 'Surplus moved.' },
  date: { vi: 'Ngày trao', en: 'Date of the hand-over' },
  placeEvent: { vi: 'Nơi trao', en: 'Place' },
  staff: { vi: 'Người trao', en: 'Handed over by' },
  note: { vi: 'Ghi chú', en: 'Note' },
  choose: { vi: 'Chọn các suất đã trao', en: 'Choose the packages handed over' },
  selectAll: { vi: 'Các suất đã ghép', en: 'Matched packages' },
  noMatched: { vi: 'Chưa có suất nào đã ghép để trao.', en: 'No matched package to hand over.' },
  caseNotFound: { vi: 'Không có hồ sơ với mã này.', en: 'No case with this code.' },
  ages: { vi: 'Tuổi', en: 'Ages' },
  eligibility: { vi: 'Điều kiện', en: 'Eligibility' },
  perPackage: { vi: 'mỗi suất', en: 'per package' },
  publicPage: { vi: 'Trang công khai (ủng hộ bằng thẻ)', en: 'Public page (card gifts)' },
};

const UNIT_STATUS: Record<UnitStatus, { vi: string; en: string }> = { funded: T.funded, matched: T.matched, delivered: T.delivered, cancelled: T.cancelled };

export const packagePages = new Hono<AppEnv>();

const fill = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
const fieldOf = (path: string) => path.replace(/^(json|body)\./, '').split('.')[0]!;
const driveTitle = (d: PackageDrive, locale: Locale) => localized(locale, d.titleVi, d.titleEn);
const userId = (c: Context<AppEnv>) => c.get('principal')?.userId ?? null;

/** Runs a domain call; a 400/409 becomes a message (and field errors) for the re-rendered form. */
async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: T } | { err: ProblemError; fields: FieldErrors }> {
  try {
    return { ok: await fn() };
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409 || err.status === 404)) {
      const fields: FieldErrors = {};
      for (const e of (err.extra.errors as { path: string; message: string }[] | undefined) ?? []) fields[fieldOf(e.path)] = e.message;
      return { err, fields };
    }
    throw err;
  }
}

async function orgLocations(db: Db, orgId: string) {
  return db.select({ id: locations.id, name: locations.name, kind: locations.kind }).from(locations).where(eq(locations.orgId, orgId)).orderBy(asc(locations.path));
}

// ---------- overview ----------

packagePages.get('/o/:org/packages', requireOrgRole(PACKAGES_READ), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const drives = await listDrives(db, org.id);
  const types = await listPackageTypes(db, org.id);
  const rows = [];
  const funding = await drivesFunding(db, org.id, drives);
  for (const d of drives) rows.push({ d, f: funding.get(d.id)! });
  return page(
    c,
    pick(locale, T.packages),
    `/o/${org.slug}/packages`,
    <>
      <h1>{pick(locale, T.packages)}</h1>
      {can(c, PACKAGES_MANAGE) ? (
        <p class="row">
          <a class="button" href={`/o/${org.slug}/packages/drives/new`}>
            {pick(locale, T.newDrive)}
          </a>
          <a class="button secondary" href={`/o/${org.slug}/packages/types/new`}>
            {pick(locale, T.newType)}
          </a>
        </p>
      ) : null}
      <h2>{pick(locale, T.drives)}</h2>
      {rows.length === 0 ? (
        <p>{pick(locale, T.none)}</p>
      ) : (
        <ul class="plain">
          {rows.map(({ d, f }) => (
            <li data-drive={d.id}>
              <a href={`/o/${org.slug}/packages/drives/${d.id}`}>{driveTitle(d, locale)}</a>
              <div class="muted small">
                {f.active} {pick(locale, T.ofTarget)} {f.target} · {pick(locale, T.matched)}: {f.matched + f.delivered} · {pick(locale, T.delivered)}: {f.delivered}
              </div>
              <progress class="goal" max={f.target} value={Math.min(f.delivered, f.target)} aria-label={`${pick(locale, T.delivered)} ${f.delivered}/${f.target}`} />
            </li>
          ))}
        </ul>
      )}
      <h2>{pick(locale, T.types)}</h2>
      {types.length === 0 ? (
        <p>{pick(locale, T.none)}</p>
      ) : (
        <ul class="plain">
          {types.map((t) => (
            <li>
              <strong>{localized(locale, t.nameVi, t.nameEn)}</strong> · {formatMoney(t.unitValueMinor, t.currency, locale)} {pick(locale, T.perPackage)}
              <div class="muted small">{localized(locale, t.contentsVi, t.contentsEn)}</div>
            </li>
          ))}
        </ul>
      )}
    </>,
  );
});

// ---------- package types ----------

async function TypeForm(props: { c: Context<AppEnv>; v: Record<string, string>; cats: string[]; locs: string[]; errors: FieldErrors; message?: string }) {
  const { c, v, errors } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const categories = await listCategories(c.get('db'), org.id);
  const places = await orgLocations(c.get('db'), org.id);
  return (
    <form method="post" action={`/o/${org.slug}/packages/types/new`} class="stack wide" novalidate>
      <ErrorSummary message={props.message} />
      <Field id="nameVi" label={pick(locale, T.nameVi)} errors={errors}>
        {(a) => <input {...a} name="nameVi" required value={v.nameVi ?? ''} />}
      </Field>
      <Field id="nameEn" label={pick(locale, T.nameEn)} errors={errors}>
        {(a) => <input {...a} name="nameEn" value={v.nameEn ?? ''} />}
      </Field>
      <Field id="contentsVi" label={pick(locale, T.contentsVi)} errors={errors}>
        {(a) => <textarea {...a} name="contentsVi" rows={2}>{v.contentsVi ?? ''}</textarea>}
      </Field>
      <Field id="contentsEn" label={pick(locale, T.contentsEn)} errors={errors}>
        {(a) => <textarea {...a} name="contentsEn" rows={2}>{v.contentsEn ?? ''}</textarea>}
      </Field>
      <Field id="unitValueMinor" label={pick(locale, T.value)} errors={errors}>
        {(a) => <input {...a} name="unitValue" inputmode="numeric" required value={v.unitValue ?? ''} />}
      </Field>
      <div class="grid2">
        <Field id="minAge" label={pick(locale, T.minAge)} errors={errors}>
          {(a) => <input {...a} name="minAge" type="number" min="0" max="120" value={v.minAge ?? ''} />}
        </Field>
        <Field id="maxAge" label={pick(locale, T.maxAge)} errors={errors}>
          {(a) => <input {...a} name="maxAge" type="number" min="0" max="120" value={v.maxAge ?? ''} />}
        </Field>
      </div>
      <fieldset aria-invalid={errors.categories ? 'true' : undefined}>
        <legend>{pick(locale, T.categories)}</legend>
        {errors.categories ? <div class="field-error">{errors.categories}</div> : null}
        {categories.filter((k) => k.active).map((k) => (
          <label class="check">
            <input type="checkbox" name="categories" value={k.key} checked={props.cats.includes(k.key)} /> {locale === 'en' ? k.labelEn : k.labelVi}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{pick(locale, T.locations)}</legend>
        {places.map((l) => (
          <label class="check">
            <input type="checkbox" name="locationIds" value={l.id} checked={props.locs.includes(l.id)} /> {l.name}
          </label>
        ))}
      </fieldset>
      <button type="submit">{pick(locale, T.save)}</button>
    </form>
  );
}

const all = (f: Record<string, unknown>, k: string) => {
  const x = f[k] ?? f[`${k}[]`];
  return (Array.isArray(x) ? x : x === undefined ? [] : [x]).filter((s): s is string => typeof s === 'string').slice(0, 50);
};
const optInt = (s: string | undefined) => (s && /^\d{1,3}$/.test(s.trim()) ? Number(s.trim()) : s?.trim() ? NaN : null);

packagePages.get('/o/:org/packages/types/new', requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const locale = c.get('locale');
  return page(c, pick(locale, T.newType), `/o/${c.get('org').slug}/packages/types/new`, <><h1>{pick(locale, T.newType)}</h1>{await TypeForm({ c, v: {}, cats: [], locs: [], errors: {} })}</>);
});

packagePages.post('/o/:org/packages/types/new', requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const f = await c.req.parseBody({ all: true });
  const v: Record<string, string> = {};
  for (const k of ['nameVi', 'nameEn', 'contentsVi', 'contentsEn', 'unitValue', 'minAge', 'maxAge']) v[k] = str(f[k], k.startsWith('contents') ? 2000 : 200);
  const cats = all(f, 'categories');
  const locs = all(f, 'locationIds');
  const errors: FieldErrors = {};
  const value = parseAmount(v.unitValue ?? '', 'VND');
  if (value === null || value <= 0n) errors.unitValueMinor = locale === 'vi' ? 'Nhập số tiền hợp lệ.' : 'Enter a valid amount.';
  const minAge = optInt(v.minAge);
  const maxAge = optInt(v.maxAge);
  if (Number.isNaN(minAge)) errors.minAge = '0–120';
  if (Number.isNaN(maxAge)) errors.maxAge = '0–120';
  const rerender = async (status: 400 | 409, message = pick(locale, T.errForm)) =>
    page(c, pick(locale, T.newType), `/o/${org.slug}/packages/types/new`, <><h1>{pick(locale, T.newType)}</h1>{await TypeForm({ c, v, cats, locs, errors, message })}</>, status);
  if (Object.keys(errors).length) return rerender(400);
  const r = await attempt(() =>
    createPackageType(c.get('db'), org.id, { nameVi: v.nameVi ?? '', nameEn: v.nameEn, contentsVi: v.contentsVi, contentsEn: v.contentsEn, unitValueMinor: value!, currency: 'VND', minAge, maxAge, categories: cats, locationIds: locs, createdBy: userId(c) }),
  );
  if ('err' in r) {
    Object.assign(errors, r.fields);
    return rerender(r.err.status as 400, r.err.detail);
  }
  return c.redirect(`/o/${org.slug}/packages`, 303);
});

// ---------- drives ----------

async function DriveForm(props: { c: Context<AppEnv>; v: Record<string, string>; locs: string[]; errors: FieldErrors; message?: string }) {
  const { c, v, errors } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const camps = await listCampaigns(c.get('db'), org.id);
  const types = await listPackageTypes(c.get('db'), org.id);
  const places = await orgLocations(c.get('db'), org.id);
  return (
    <form method="post" action={`/o/${org.slug}/packages/drives/new`} class="stack wide" novalidate>
      <ErrorSummary message={props.message} />
      <Field id="campaignId" label={pick(locale, T.campaign)} errors={errors}>
        {(a) => (
          <select {...a} name="campaignId" required>
            {camps.map((x) => (
              <option value={x.id} selected={v.campaignId === x.id}>
                {localized(locale, x.title, x.titleEn)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="packageTypeId" label={pick(locale, T.type)} errors={errors}>
        {(a) => (
          <select {...a} name="packageTypeId" required>
            {types.map((x) => (
              <option value={x.id} selected={v.packageTypeId === x.id}>
                {localized(locale, x.nameVi, x.nameEn) + ' · ' + formatMoney(x.unitValueMinor, x.currency, locale)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="titleVi" label={pick(locale, T.titleVi)} errors={errors}>
        {(a) => <input {...a} name="titleVi" required value={v.titleVi ?? ''} />}
      </Field>
      <Field id="titleEn" label={pick(locale, T.titleEn)} errors={errors}>
        {(a) => <input {...a} name="titleEn" value={v.titleEn ?? ''} />}
      </Field>
      <Field id="targetCount" label={pick(locale, T.target)} errors={errors}>
        {(a) => <input {...a} name="targetCount" type="number" min="1" required value={v.targetCount ?? ''} />}
      </Field>
      <div class="grid2">
        <Field id="startsOn" label={pick(locale, T.starts)} errors={errors}>
          {(a) => <input {...a} name="startsOn" type="date" value={v.startsOn ?? ''} />}
        </Field>
        <Field id="endsOn" label={pick(locale, T.ends)} errors={errors}>
          {(a) => <input {...a} name="endsOn" type="date" value={v.endsOn ?? ''} />}
        </Field>
      </div>
      <fieldset>
        <legend>{pick(locale, T.driveLocations)}</legend>
        {errors.locationIds ? <div class="field-error">{errors.locationIds}</div> : null}
        {places.map((l) => (
          <label class="check">
            <input type="checkbox" name="locationIds" value={l.id} checked={props.locs.includes(l.id)} /> {l.name}
          </label>
        ))}
      </fieldset>
      <button type="submit">{pick(locale, T.save)}</button>
    </form>
  );
}

packagePages.get('/o/:org/packages/drives/new', requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const locale = c.get('locale');
  return page(c, pick(locale, T.newDrive), `/o/${c.get('org').slug}/packages/drives/new`, <><h1>{pick(locale, T.newDrive)}</h1>{await DriveForm({ c, v: {}, locs: [], errors: {} })}</>);
});

packagePages.post('/o/:org/packages/drives/new', requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const f = await c.req.parseBody({ all: true });
  const v: Record<string, string> = {};
  for (const k of ['campaignId', 'packageTypeId', 'titleVi', 'titleEn', 'targetCount', 'startsOn', 'endsOn']) v[k] = str(f[k], 300);
  const locs = all(f, 'locationIds');
  const errors: FieldErrors = {};
  const target = /^\d{1,6}$/.test(v.targetCount ?? '') ? Number(v.targetCount) : NaN;
  if (!Number.isInteger(target) || target < 1) errors.targetCount = locale === 'vi' ? 'Nhập số suất (từ 1).' : 'Enter a number of packages (1 or more).';
  for (const k of ['startsOn', 'endsOn']) if (v[k] && !/^\d{4}-\d{2}-\d{2}$/.test(v[k]!)) errors[k] = 'YYYY-MM-DD';
  const rerender = async (status: 400 | 409, message = pick(locale, T.errForm)) =>
    page(c, pick(locale, T.newDrive), `/o/${org.slug}/packages/drives/new`, <><h1>{pick(locale, T.newDrive)}</h1>{await DriveForm({ c, v, locs, errors, message })}</>, status);
  if (Object.keys(errors).length) return rerender(400);
  const r = await attempt(() =>
    createDrive(c.get('db'), org.id, {
      campaignId: v.campaignId ?? '',
      packageTypeId: v.packageTypeId ?? '',
      titleVi: v.titleVi ?? '',
      titleEn: v.titleEn,
      targetCount: target,
      startsOn: v.startsOn || null,
      endsOn: v.endsOn || null,
      eligibility: locs.length ? { locationIds: locs } : undefined,
      createdBy: userId(c),
    }),
  );
  if ('err' in r) {
    Object.assign(errors, r.fields);
    return rerender(r.err.status as 400, r.err.detail);
  }
  return c.redirect(`/o/${org.slug}/packages/drives/${r.ok.id}`, 303);
});

const PAGE = 50;

async function DrivePage(props: { c: Context<AppEnv>; drive: PackageDrive; message?: string; ok?: string; gift?: Record<string, string>; giftErrors?: FieldErrors }) {
  const { c, drive } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const f = await driveFunding(db, drive);
  const type = await getPackageType(db, org.id, drive.packageTypeId);
  const statusQ = c.req.query('status');
  const status = (['funded', 'matched', 'delivered', 'cancelled'] as const).find((s) => s === statusQ);
  const pageNo = Math.max(1, Math.min(10_000, Number(c.req.query('page') ?? '1') || 1));
  const list = await listDriveUnits(db, org.id, drive.id, { status, limit: PAGE, offset: (pageNo - 1) * PAGE });
  const now = c.get('deps').clock.now();
  const money = (v: bigint) => formatMoney(v, drive.currency, locale);
  const base = `/o/${org.slug}/packages/drives/${drive.id}`;
  const otherDrives = (await listDrives(db, org.id)).filter((d) => d.id !== drive.id && d.status !== 'closed' && d.currency === drive.currency);
  const donorList = can(c, PACKAGES_MONEY) ? await listDonorChoices(db, org.id) : [];
  const g = props.gift ?? {};
  const ge = props.giftErrors ?? {};
  const qs = (p: number) => `${base}?${status ? `status=${status}&` : ''}page=${p}`;
  return (
    <>
      <p class="muted">
        <a href={`/o/${org.slug}/packages`}>{pick(locale, T.packages)}</a>
      </p>
      <h1>{driveTitle(drive, locale)}</h1>
      <ErrorSummary message={props.message} />
      {props.ok ? (
        <p class="ok" role="status">
          {props.ok}
        </p>
      ) : null}
      <p class="muted">
        {localized(locale, type.nameVi, type.nameEn)} · {money(drive.unitValueMinor)} {pick(locale, T.perPackage)} · {localized(locale, type.contentsVi, type.contentsEn)}
      </p>
      <div class="cards" aria-label={pick(locale, T.status)}>
        <div class="card">
          <div class="n">
            {f.active}/{f.target}
          </div>
          <div class="l">{pick(locale, T.ofTarget)}</div>
        </div>
        <div class="card">
          <div class="n">{f.funded}</div>
          <div class="l">{pick(locale, T.funded)}</div>
        </div>
        <div class="card">
          <div class="n">{f.matched}</div>
          <div class="l">{pick(locale, T.matched)}</div>
        </div>
        <div class="card" data-delivered={f.delivered}>
          <div class="n">{f.delivered}</div>
          <div class="l">{pick(locale, T.delivered)}</div>
        </div>
      </div>
      {f.shortfallUnits > 0 ? <p class="notice">{fill(pick(locale, T.short), { n: f.shortfallUnits })}</p> : null}
      {f.overTargetUnits > 0 ? <p class="notice">{fill(pick(locale, T.over), { n: f.overTargetUnits })}</p> : null}
      <dl class="kv">
        <dt>{pick(locale, T.balance)}</dt>
        <dd>{money(f.balanceMinor)}</dd>
        <dt>{pick(locale, T.committed)}</dt>
        <dd>{money(f.committedMinor)}</dd>
        <dt>{f.surplusMinor >= 0n ? pick(locale, T.surplus) : pick(locale, T.shortMoney)}</dt>
        <dd>{money(f.surplusMinor >= 0n ? f.surplusMinor : -f.surplusMinor)}</dd>
        <dt>{pick(locale, T.toExpense)}</dt>
        <dd>{money(f.deliveredMinor)}</dd>
      </dl>
      <p>
        <a href={`/c/${org.slug}/${(await getCampaign(db, org.id, drive.campaignId)).slug}/packages/${drive.id}`}>{pick(locale, T.publicPage)}</a>
      </p>
      {can(c, PACKAGES_MANAGE) ? (
        <p class="row">
          <a class="button" href={`${base}/match`}>
            {pick(locale, T.match)}
          </a>
          <a class="button" href={`${base}/deliver`}>
            {pick(locale, T.deliver)}
          </a>
        </p>
      ) : null}
      <h2>{pick(locale, T.units)}</h2>
      <form method="get" class="row-actions" aria-label={pick(locale, T.filter)}>
        <div>
          <label for="f-status">{pick(locale, T.status)}</label>
          <select id="f-status" name="status">
            <option value="">{pick(locale, T.all)}</option>
            {(['funded', 'matched', 'delivered', 'cancelled'] as const).map((s) => (
              <option value={s} selected={status === s}>
                {pick(locale, UNIT_STATUS[s])}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{pick(locale, T.filter)}</button>
      </form>
      {list.items.length === 0 ? (
        <p>{pick(locale, T.none)}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-sm">
            <thead>
              <tr>
                <th>#</th>
                <th>{pick(locale, T.status)}</th>
                <th>{pick(locale, T.child)}</th>
                <th>{pick(locale, T.date)}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((u) => (
                <tr data-unit={u.id} data-status={u.status}>
                  <td data-label="#">{u.id.slice(0, 8)}</td>
                  <td data-label={pick(locale, T.status)}>
                    <span class="badge">{pick(locale, UNIT_STATUS[u.status])}</span>
                    {u.overrideReason ? <div class="muted small">{u.overrideReason}</div> : null}
                  </td>
                  <td data-label={pick(locale, T.child)}>{u.caseCode ?? '—'}</td>
                  <td data-label={pick(locale, T.date)}>{u.deliveredOn ? formatDate(u.deliveredOn, locale) : ''}</td>
                  <td>
                    {u.status === 'delivered' && u.deliveredAt && now.getTime() - u.deliveredAt.getTime() <= UNDO_WINDOW_MS && can(c, PACKAGES_MANAGE) ? (
                      <form method="post" action={`/o/${org.slug}/packages/units/${u.id}/undo`} class="row-actions">
                        <label class="sr-only" for={`undo-${u.id}`}>
                          {pick(locale, T.reason)}
                        </label>
                        <input id={`undo-${u.id}`} name="reason" required placeholder={pick(locale, T.reason)} />
                        <button type="submit" class="secondary">
                          {pick(locale, T.undo)}
                        </button>
                      </form>
                    ) : null}
                    {u.status === 'funded' && can(c, PACKAGES_MONEY) ? (
                      <form method="post" action={`/o/${org.slug}/packages/units/${u.id}/cancel`} class="row-actions">
                        <label class="sr-only" for={`cancel-action-${u.id}`}>
                          {pick(locale, T.cancel)}
                        </label>
                        <select id={`cancel-action-${u.id}`} name="action">
                          <option value="refund">{pick(locale, T.refund)}</option>
                          <option value="general_fund">{pick(locale, T.toGeneral)}</option>
                          {otherDrives.map((d) => (
                            <option value={`drive:${d.id}`}>
                              {pick(locale, T.toDrive)}: {driveTitle(d, locale)}
                            </option>
                          ))}
                        </select>
                        <label class="sr-only" for={`cancel-reason-${u.id}`}>
                          {pick(locale, T.reason)}
                        </label>
                        <input id={`cancel-reason-${u.id}`} name="reason" required placeholder={pick(locale, T.reason)} />
                        <button type="submit" class="secondary">
                          {pick(locale, T.cancel)}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="row between">
        {pageNo > 1 ? <a href={qs(pageNo - 1)}>{pick(locale, T.prev)}</a> : <span />}
        {pageNo * PAGE < list.total ? <a href={qs(pageNo + 1)}>{pick(locale, T.next)}</a> : <span />}
      </p>
      {can(c, PACKAGES_MONEY) ? (
        <>
          <h2>{pick(locale, T.offline)}</h2>
          <form method="post" action={`${base}/offline`} class="stack" novalidate>
            <Field id="gift-donor" label={pick(locale, T.donor)} errors={ge}>
              {(a) => (
                <select {...a} name="donorId">
                  <DonorOptions donors={donorList} selected={g.donorId} noneLabel={pick(locale, T.noDonor)} />
                </select>
              )}
            </Field>
            <Field id="gift-channel" label={pick(locale, T.channel)} errors={ge}>
              {(a) => (
                <select {...a} name="channel">
                  {OFFLINE_CHANNELS.map((ch) => (
                    <option value={ch} selected={g.channel === ch}>
                      {channelLabel(ch, locale)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="gift-quantity" label={`${pick(locale, T.quantity)} (× ${money(drive.unitValueMinor)})`} errors={ge}>
              {(a) => <input {...a} name="quantity" type="number" min="1" max="1000" required value={g.quantity ?? '1'} />}
            </Field>
            <Field id="gift-receivedOn" label={pick(locale, T.received)} errors={ge}>
              {(a) => <input {...a} name="receivedOn" type="date" required value={g.receivedOn ?? vietnamDate(now)} />}
            </Field>
            <Field id="gift-reference" label={pick(locale, T.reference)} errors={ge}>
              {(a) => <input {...a} name="reference" value={g.reference ?? ''} />}
            </Field>
            <button type="submit">{pick(locale, T.record)}</button>
          </form>
          {f.surplusMinor > 0n ? (
            <>
              <h2>{pick(locale, T.moveSurplus)}</h2>
              <form method="post" action={`${base}/surplus`} class="stack" novalidate>
                <div>
                  <label for="surplus-amount">{pick(locale, T.amount)}</label>
                  <input id="surplus-amount" name="amount" inputmode="numeric" required value={formatMinorPlain(f.surplusMinor, drive.currency)} />
                </div>
                <div>
                  <label for="surplus-to">{pick(locale, T.destination)}</label>
                  <select id="surplus-to" name="to">
                    <option value="general">{pick(locale, T.toGeneral)}</option>
                    {otherDrives.map((d) => (
                      <option value={`drive:${d.id}`}>{driveTitle(d, locale)}</option>
                    ))}
                  </select>
                </div>
                <div>
                  <label for="surplus-reason">{pick(locale, T.reason)}</label>
                  <input id="surplus-reason" name="reason" required />
                </div>
                <button type="submit">{pick(locale, T.moveSurplus)}</button>
              </form>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}

async function driveOr404(c: Context<AppEnv>) {
  return getDrive(c.get('db'), c.get('org').id, c.req.param('id') ?? '');
}

packagePages.get(`/o/:org/packages/drives/:id${UUID_PATH}`, requireOrgRole(PACKAGES_READ), async (c) => {
  const drive = await driveOr404(c);
  const locale = c.get('locale');
  const q = c.req.query();
  const ok = q.delivered ? fill(pick(locale, T.deliveredN), { n: Number(q.delivered) || 0 }) : q.undone ? pick(locale, T.undone) : q.cancelled ? pick(locale, T.cancelledOk) : q.recorded ? pick(locale, T.recorded) : q.surplus ? pick(locale, T.surplusOk) : undefined;
  return page(c, driveTitle(drive, locale), `/o/${c.get('org').slug}/packages/drives/${drive.id}`, await DrivePage({ c, drive, ok }));
});

packagePages.post(`/o/:org/packages/drives/:id${UUID_PATH}/offline`, requireOrgRole(PACKAGES_MONEY), async (c) => {
  const drive = await driveOr404(c);
  const org = c.get('org');
  const deps = c.get('deps');
  const locale = c.get('locale');
  const f = await c.req.parseBody();
  const g: Record<string, string> = {};
  for (const k of ['donorId', 'channel', 'quantity', 'receivedOn', 'reference']) g[k] = str(f[k], 120);
  const quantity = /^\d{1,4}$/.test(g.quantity ?? '') ? Number(g.quantity) : NaN;
  const r = await attempt(() =>
    recordOfflinePackageGift(
      c.get('db'),
      org.id,
      drive.id,
      { donorId: isUuid(g.donorId) ? g.donorId : null, channel: (OFFLINE_CHANNELS as readonly string[]).includes(g.channel ?? '') ? (g.channel as 'cash') : ('invalid' as 'cash'), quantity, receivedOn: g.receivedOn ?? '', reference: g.reference || null, createdBy: userId(c) },
      { appUrl: deps.config.APP_URL, today: vietnamDate(deps.clock.now()) },
    ),
  );
  if ('err' in r) {
    const giftErrors: FieldErrors = {};
    for (const [k, v] of Object.entries(r.fields)) giftErrors[`gift-${k}`] = v;
    return page(c, driveTitle(drive, locale), `/o/${org.slug}/packages/drives/${drive.id}`, await DrivePage({ c, drive, message: r.err.detail, gift: g, giftErrors }), r.err.status as 400);
  }
  kickOutbox(c);
  return c.redirect(`/o/${org.slug}/packages/drives/${drive.id}?recorded=1`, 303);
});

packagePages.post(`/o/:org/packages/drives/:id${UUID_PATH}/surplus`, requireOrgRole(PACKAGES_MONEY), async (c) => {
  const drive = await driveOr404(c);
  const org = c.get('org');
  const locale = c.get('locale');
  const f = await c.req.parseBody();
  const to = str(f.to, 60);
  const amount = parseAmount(str(f.amount, 40), drive.currency);
  const r = await attempt(() =>
    moveDriveSurplus(c.get('db'), org.id, {
      driveId: drive.id,
      to: to.startsWith('drive:') ? { driveId: to.slice(6) } : 'general',
      amountMinor: amount ?? 0n,
      reason: str(f.reason, 500),
      actorId: userId(c),
      now: c.get('deps').clock.now(),
      requestId: c.get('requestId'),
    }),
  );
  if ('err' in r) return page(c, driveTitle(drive, locale), `/o/${org.slug}/packages/drives/${drive.id}`, await DrivePage({ c, drive, message: r.err.detail }), r.err.status as 400);
  return c.redirect(`/o/${org.slug}/packages/drives/${drive.id}?surplus=1`, 303);
});

packagePages.post(`/o/:org/packages/units/:id${UUID_PATH}/undo`, requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const org = c.get('org');
  const f = await c.req.parseBody();
  const r = await attempt(() => undoDelivery(c.get('db'), org.id, { unitId: c.req.param('id'), reason: str(f.reason, 500), actorId: userId(c), now: c.get('deps').clock.now() }));
  return unitResult(c, r, 'undone');
});

packagePages.post(`/o/:org/packages/units/:id${UUID_PATH}/cancel`, requireOrgRole(PACKAGES_MONEY), async (c) => {
  const org = c.get('org');
  const f = await c.req.parseBody();
  const a = str(f.action, 60);
  const action: CancelAction = a.startsWith('drive:') ? { kind: 'move_to_drive', driveId: a.slice(6) } : a === 'general_fund' ? { kind: 'general_fund' } : { kind: 'refund' };
  const r = await attempt(() => cancelUnit(c.get('db'), org.id, { unitId: c.req.param('id'), action, reason: str(f.reason, 500), actorId: userId(c), now: c.get('deps').clock.now() }, { appUrl: c.get('deps').config.APP_URL }));
  kickOutbox(c);
  return unitResult(c, r, 'cancelled');
});

async function unitResult(c: Context<AppEnv>, r: Awaited<ReturnType<typeof attempt>>, flag: string) {
  const org = c.get('org');
  const [u] = await c
    .get('db')
    .select({ driveId: packageUnits.driveId })
    .from(packageUnits)
    .where(and(eq(packageUnits.orgId, org.id), eq(packageUnits.id, c.req.param('id') ?? '')));
  if (!u) throw new ProblemError(404, 'Package unit not found');
  const drive = await getDrive(c.get('db'), org.id, u.driveId);
  if ('err' in r) return page(c, driveTitle(drive, c.get('locale')), `/o/${org.slug}/packages/drives/${drive.id}`, await DrivePage({ c, drive, message: r.err.detail }), r.err.status as 400);
  return c.redirect(`/o/${org.slug}/packages/drives/${drive.id}?${flag}=1`, 303);
}

// ---------- matching ----------

async function MatchPage(props: { c: Context<AppEnv>; drive: PackageDrive; message?: string; ok?: string; manual?: Record<string, string>; manualErrors?: FieldErrors }) {
  const { c, drive } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const pageNo = Math.max(1, Math.min(10_000, Number(c.req.query('page') ?? '1') || 1));
  const code = (c.req.query('code') ?? '').slice(0, 40);
  const { suggestions, fundedTotal, candidateTotal } = await suggestMatches(db, org.id, drive.id, { asOf: now, limit: PAGE, offset: (pageNo - 1) * PAGE });
  const found = code ? await rankedCandidates(db, drive, { asOf: now, includeServed: true, code, limit: 20 }) : null;
  const funded = (await listDriveUnits(db, org.id, drive.id, { status: 'funded', limit: 100 })).items;
  const base = `/o/${org.slug}/packages/drives/${drive.id}`;
  const m = props.manual ?? {};
  const me = props.manualErrors ?? {};
  const cats = new Map((await listCategories(db, org.id)).map((k) => [k.key, locale === 'en' ? k.labelEn : k.labelVi]));
  return (
    <>
      <p class="muted">
        <a href={base}>{driveTitle(drive, locale)}</a>
      </p>
      <h1>{pick(locale, T.match)}</h1>
      <ErrorSummary message={props.message} />
      {props.ok ? (
        <p class="ok" role="status">
          {props.ok}
        </p>
      ) : null}
      <p class="muted">{pick(locale, T.rule)}</p>
      <p>
        {pick(locale, T.funded)}: <strong>{fundedTotal}</strong> · {locale === 'vi' ? 'Trẻ phù hợp chưa nhận suất' : 'Eligible children not yet served'}: <strong>{candidateTotal}</strong>
      </p>
      {fundedTotal === 0 ? <p>{pick(locale, T.noFunded)}</p> : candidateTotal === 0 ? <p>{pick(locale, T.noCandidates)}</p> : null}
      {suggestions.length > 0 ? (
        <>
          <form method="post" action={`${base}/auto-match`}>
            <button type="submit">{pick(locale, T.acceptAll)}</button>
          </form>
          <h2>{pick(locale, T.suggestions)}</h2>
          <div class="table-wrap">
            <table class="cards-sm">
              <thead>
                <tr>
                  <th>{pick(locale, T.caseCode)}</th>
                  <th>{pick(locale, T.ageBand)}</th>
                  <th>{pick(locale, T.gender)}</th>
                  <th>{pick(locale, T.place)}</th>
                  <th>{pick(locale, T.categories)}</th>
                  <th>{pick(locale, T.why)}</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {suggestions.map((s) => (
                  <tr data-case={s.candidate.code}>
                    <td data-label={pick(locale, T.caseCode)}>{s.candidate.code}</td>
                    <td data-label={pick(locale, T.ageBand)}>{s.candidate.ageBand}</td>
                    <td data-label={pick(locale, T.gender)}>{label(GENDER_LABELS, s.candidate.gender, locale)}</td>
                    <td data-label={pick(locale, T.place)}>{s.candidate.locationName}</td>
                    <td data-label={pick(locale, T.categories)}>{s.candidate.categories.map((k) => <span class="badge">{cats.get(k) ?? k}</span>)}</td>
                    <td class="small" data-label={pick(locale, T.why)}>{explainCandidate(s.candidate, locale, drive.currency)}</td>
                    <td>
                      <form method="post" action={`${base}/match`}>
                        <input type="hidden" name="unitId" value={s.unitId} />
                        <input type="hidden" name="caseId" value={s.candidate.caseId} />
                        <button type="submit" class="secondary" aria-label={`${pick(locale, T.accept)} ${s.candidate.code}`}>
                          {pick(locale, T.accept)}
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="row between">
            {pageNo > 1 ? <a href={`${base}/match?page=${pageNo - 1}`}>{pick(locale, T.prev)}</a> : <span />}
            {pageNo * PAGE < Math.min(fundedTotal, candidateTotal) ? <a href={`${base}/match?page=${pageNo + 1}`}>{pick(locale, T.next)}</a> : <span />}
          </p>
        </>
      ) : null}
      {funded.length > 0 ? (
        <>
          <h2>{pick(locale, T.manual)}</h2>
          <form method="get" action={`${base}/match`} class="row-actions">
            <div>
              <label for="find-code">{pick(locale, T.caseCode)}</label>
              <input id="find-code" name="code" value={code} />
            </div>
            <button type="submit" class="secondary">
              {pick(locale, T.filter)}
            </button>
          </form>
          {found ? (
            found.items.length === 0 ? (
              <p>{pick(locale, T.caseNotFound)}</p>
            ) : (
              <ul class="plain">
                {found.items.map((x) => (
                  <li>
                    <strong>{x.code}</strong> · {x.ageBand} · {label(GENDER_LABELS, x.gender, locale)} · {x.locationName} · {label(URGENCY_LABELS, x.urgency, locale)}
                    <div class="muted small">{explainCandidate(x, locale, drive.currency)}</div>
                  </li>
                ))}
              </ul>
            )
          ) : null}
          <form method="post" action={`${base}/match/manual`} class="stack" novalidate>
            <Field id="unitId" label={pick(locale, T.unit)} errors={me}>
              {(a) => (
                <select {...a} name="unitId">
                  {funded.map((u) => (
                    <option value={u.id} selected={m.unitId === u.id}>
                      {u.id.slice(0, 8)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="caseId" label={pick(locale, T.caseCode)} errors={me}>
              {(a) => <input {...a} name="caseCode" required value={m.caseCode ?? code} />}
            </Field>
            <Field id="reason" label={pick(locale, T.reason)} errors={me}>
              {(a) => <input {...a} name="reason" required value={m.reason ?? ''} />}
            </Field>
            <Field id="overrideReason" label={pick(locale, T.override)} errors={me}>
              {(a) => <input {...a} name="overrideReason" value={m.overrideReason ?? ''} />}
            </Field>
            <button type="submit">{pick(locale, T.accept)}</button>
          </form>
        </>
      ) : null}
    </>
  );
}

packagePages.get(`/o/:org/packages/drives/:id${UUID_PATH}/match`, requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const drive = await driveOr404(c);
  const locale = c.get('locale');
  const q = c.req.query();
  const ok = q.matched !== undefined ? fill(pick(locale, T.matchedN), { n: Number(q.matched) || 0, s: Number(q.skipped) || 0 }) : q.one ? pick(locale, T.matchedOne) : undefined;
  return page(c, pick(locale, T.match), `/o/${c.get('org').slug}/packages/drives/${drive.id}/match`, await MatchPage({ c, drive, ok }));
});

packagePages.post(`/o/:org/packages/drives/:id${UUID_PATH}/auto-match`, requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const drive = await driveOr404(c);
  const r = await autoMatchDrive(c.get('db'), c.get('org').id, drive.id, { actorId: userId(c), now: c.get('deps').clock.now() });
  return c.redirect(`/o/${c.get('org').slug}/packages/drives/${drive.id}/match?matched=${r.matched}&skipped=${r.skipped}`, 303);
});

packagePages.post(`/o/:org/packages/drives/:id${UUID_PATH}/match`, requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const drive = await driveOr404(c);
  const locale = c.get('locale');
  const f = await c.req.parseBody();
  const r = await attempt(() => matchPackageUnit(c.get('db'), c.get('org').id, { driveId: drive.id, unitId: str(f.unitId, 40), caseId: str(f.caseId, 40), mode: 'suggested', actorId: userId(c), now: c.get('deps').clock.now() }));
  if ('err' in r) return page(c, pick(locale, T.match), `/o/${c.get('org').slug}/packages/drives/${drive.id}/match`, await MatchPage({ c, drive, message: r.err.detail }), r.err.status as 409);
  return c.redirect(`/o/${c.get('org').slug}/packages/drives/${drive.id}/match?one=1`, 303);
});

packagePages.post(`/o/:org/packages/drives/:id${UUID_PATH}/match/manual`, requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const drive = await driveOr404(c);
  const locale = c.get('locale');
  const org = c.get('org');
  const f = await c.req.parseBody();
  const m: Record<string, string> = {};
  for (const k of ['unitId', 'caseCode', 'reason', 'overrideReason']) m[k] = str(f[k], 500);
  const [found] = await c
    .get('db')
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.orgId, org.id), eq(cases.code, (m.caseCode ?? '').trim().toUpperCase())));
  const rerender = async (message: string, fields: FieldErrors, status: 400 | 409) =>
    page(c, pick(locale, T.match), `/o/${org.slug}/packages/drives/${drive.id}/match`, await MatchPage({ c, drive, message, manual: m, manualErrors: fields }), status);
  if (!found) return rerender(pick(locale, T.errForm), { caseId: pick(locale, T.caseNotFound) }, 400);
  const r = await attempt(() => matchPackageUnit(c.get('db'), org.id, { driveId: drive.id, unitId: m.unitId ?? '', caseId: found.id, mode: 'manual', reason: m.reason, overrideReason: m.overrideReason, actorId: userId(c), now: c.get('deps').clock.now() }));
  if ('err' in r) return rerender(r.err.detail ?? pick(locale, T.errForm), r.fields, r.err.status as 400);
  return c.redirect(`/o/${org.slug}/packages/drives/${drive.id}/match?one=1`, 303);
});

// ---------- delivery ----------

async function DeliverPage(props: { c: Context<AppEnv>; drive: PackageDrive; v?: Record<string, string>; chosen?: string[]; errors?: FieldErrors; message?: string }) {
  const { c, drive } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const matched = (await listDriveUnits(db, org.id, drive.id, { status: 'matched', limit: 500 })).items;
  const v = props.v ?? {};
  const errors = props.errors ?? {};
  const chosen = new Set(props.chosen ?? matched.map((u) => u.id));
  const base = `/o/${org.slug}/packages/drives/${drive.id}`;
  return (
    <>
      <p class="muted">
        <a href={base}>{driveTitle(drive, locale)}</a>
      </p>
      <h1>{pick(locale, T.deliver)}</h1>
      <ErrorSummary message={props.message} />
      {matched.length === 0 ? (
        <p>{pick(locale, T.noMatched)}</p>
      ) : (
        <form method="post" action={`${base}/deliver`} class="stack wide" novalidate>
          <fieldset aria-invalid={errors.unitIds ? 'true' : undefined} aria-describedby={errors.unitIds ? 'unitIds-error' : undefined}>
            <legend>{pick(locale, T.choose)}</legend>
            {errors.unitIds ? (
              <div class="field-error" id="unitIds-error">
                {errors.unitIds}
              </div>
            ) : null}
            {matched.map((u) => (
              <label class="check">
                <input type="checkbox" name="unitIds" value={u.id} checked={chosen.has(u.id)} /> {u.caseCode}
              </label>
            ))}
          </fieldset>
          <Field id="deliveredOn" label={pick(locale, T.date)} errors={errors}>
            {(a) => <input {...a} name="deliveredOn" type="date" required value={v.deliveredOn ?? vietnamDate(c.get('deps').clock.now())} />}
          </Field>
          <Field id="place" label={pick(locale, T.placeEvent)} errors={errors}>
            {(a) => <input {...a} name="place" required value={v.place ?? ''} />}
          </Field>
          <Field id="staff" label={pick(locale, T.staff)} errors={errors}>
            {(a) => <input {...a} name="staff" required value={v.staff ?? c.get('principal')?.name ?? ''} />}
          </Field>
          <Field id="note" label={pick(locale, T.note)} errors={errors}>
            {(a) => <textarea {...a} name="note" rows={2}>{v.note ?? ''}</textarea>}
          </Field>
          <button type="submit">{pick(locale, T.deliver)}</button>
        </form>
      )}
    </>
  );
}

packagePages.get(`/o/:org/packages/drives/:id${UUID_PATH}/deliver`, requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const drive = await driveOr404(c);
  return page(c, pick(c.get('locale'), T.deliver), `/o/${c.get('org').slug}/packages/drives/${drive.id}/deliver`, await DeliverPage({ c, drive }));
});

packagePages.post(`/o/:org/packages/drives/:id${UUID_PATH}/deliver`, requireOrgRole(PACKAGES_MANAGE), async (c) => {
  const drive = await driveOr404(c);
  const org = c.get('org');
  const deps = c.get('deps');
  const f = await c.req.parseBody({ all: true });
  const v: Record<string, string> = {};
  for (const k of ['deliveredOn', 'place', 'staff', 'note']) v[k] = str(f[k], k === 'note' ? 1000 : 200);
  const chosen = all(f, 'unitIds').slice(0, 500);
  const now = deps.clock.now();
  const r = await attempt(() => deliverUnits(c.get('db'), org.id, { driveId: drive.id, unitIds: chosen, deliveredOn: v.deliveredOn ?? '', place: v.place ?? '', staff: v.staff ?? '', note: v.note, actorId: userId(c), now, today: vietnamDate(now) }));
  if ('err' in r) {
    return page(c, pick(c.get('locale'), T.deliver), `/o/${org.slug}/packages/drives/${drive.id}/deliver`, await DeliverPage({ c, drive, v, chosen, errors: r.fields, message: r.err.detail }), r.err.status as 400);
  }
  return c.redirect(`/o/${org.slug}/packages/drives/${drive.id}?delivered=${r.ok.units.length}`, 303);
});
