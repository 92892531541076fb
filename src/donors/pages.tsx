import { Hono, type Context } from 'hono';
import { orgPage as page } from '../ui/org-page';
import { and, eq, inArray } from 'drizzle-orm';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { ProblemError } from '../http/problem';
import { campaigns, receipts } from '../db/schema';
import { formatDate, formatMoney, formatNumber, localized, pick, type Locale } from '../ui/i18n';
import { DONOR_READ, DONOR_WRITE } from './api';
import { createDonor, donorTotals, findDuplicateDonors, getDonor, lastGifts, listDonors, mergeDonors, recentDonationsOfDonor, updateDonor, type DonorInput, type DonorSegment } from './donors';
import { importDonors } from './import';
import { annualStatement, channelLabel, StatementView } from './statement';
import { statementPdfResponse } from './statement-pdf';
import { ErrorSummary, Field, str, type FieldErrors } from '../giving/ui';
import { vietnamYear } from '../giving/money';
import { DONOR_KINDS } from '../db/schema';
import { isUuid, UUID_PATH } from '../lib/ids';
import { MONEY_WRITE } from '../giving/api';
import { monthlyGiftsOfDonor, stopMonthlyGift } from '../giving/monthly';
import { MONTHLY_TEXT, MonthlyGifts, stopFailedText } from '../giving/monthly-view';
import { Flash } from '../ui/flash';

const T = {
  donors: { vi: 'Nhà tài trợ', en: 'Donors' },
  search: { vi: 'Tìm theo tên, email hoặc số điện thoại', en: 'Search by name, email or phone' },
  find: { vi: 'Tìm', en: 'Search' },
  segment: { vi: 'Lần ủng hộ', en: 'Giving' },
  everyone: { vi: 'Tất cả', en: 'Everyone' },
  gave: { vi: 'Đã ủng hộ năm {y}', en: 'Gave in {y}' },
  lapsed: { vi: 'Ủng hộ năm {p}, chưa ủng hộ năm {y}', en: 'Gave in {p}, not yet in {y}' },
  lastGift: { vi: 'Lần gần nhất', en: 'Last gift' },
  yearEnd: { vi: 'Thư cảm ơn cuối năm', en: 'Year-end thank-you mail' },
  matching: { vi: '{n} nhà tài trợ', en: 'Donors: {n}' },
  add: { vi: 'Thêm nhà tài trợ', en: 'Add a donor' },
  import: { vi: 'Nhập từ CSV', en: 'Import CSV' },
  export: { vi: 'Xuất CSV', en: 'Export CSV' },
  name: { vi: 'Tên', en: 'Name' },
  kind: { vi: 'Loại', en: 'Kind' },
  phone: { vi: 'Điện thoại', en: 'Phone' },
  tags: { vi: 'Nhãn', en: 'Tags' },
  none: { vi: 'Không có nhà tài trợ nào.', en: 'No donors.' },
  totals: { vi: 'Tổng đóng góp (sau hoàn tiền)', en: 'Lifetime giving (after refunds)' },
  history: { vi: 'Lịch sử đóng góp', en: 'Giving history' },
  statement: { vi: 'Bảng kê năm', en: 'Annual statement' },
  save: { vi: 'Lưu', en: 'Save' },
  lang: { vi: 'Ngôn ngữ', en: 'Language' },
  consent: { vi: 'Đồng ý nhận email', en: 'Agrees to email' },
  anonymous: { vi: 'Ủng hộ ẩn danh', en: 'Gives anonymously' },
  country: { vi: 'Quốc gia', en: 'Country' },
  notes: { vi: 'Ghi chú', en: 'Notes' },
  tagsHint: { vi: 'Cách nhau bằng dấu phẩy', en: 'Separated by commas' },
  csv: { vi: 'Tệp CSV (UTF-8)', en: 'CSV file (UTF-8)' },
  csvHint: {
    vi: 'Cột: Họ tên, Loại (cá nhân/nhóm/tổ chức), Email, Số điện thoại, Ngôn ngữ (vi/en), Đồng ý nhận email, Ẩn danh, Nhãn, Quốc gia, Ghi chú.',
    en: 'Columns: name, kind (person/group/organisation), email, phone, locale (vi/en), email consent, anonymous, tags, country, notes.',
  },
  check: { vi: 'Kiểm tra (chưa ghi)', en: 'Check (dry run)' },
  doImport: { vi: 'Nhập', en: 'Import' },
  errors: { vi: 'Tệp có lỗi; chưa có gì được ghi.', en: 'The file has errors; nothing was written.' },
  preview: { vi: 'Kiểm tra xong: chưa có gì được ghi.', en: 'Checked: nothing written yet.' },
  imported: { vi: 'Đã nhập {n} nhà tài trợ.', en: 'Imported {n} donors.' },
  line: { vi: 'Dòng', en: 'Line' },
  existing: { vi: 'đã có (cùng email), bỏ qua', en: 'already known (same email), skipped' },
  possible: { vi: 'có thể trùng', en: 'possible duplicate' },
  errName: { vi: 'Hãy nhập tên.', en: 'Enter a name.' },
  errEmail: { vi: 'Email không hợp lệ.', en: 'Not a valid email.' },
  errForm: { vi: 'Vui lòng sửa các ô được đánh dấu.', en: 'Please correct the marked fields.' },
};
const D = {
  duplicates: { vi: 'Nhà tài trợ có thể trùng', en: 'Possible duplicate donors' },
  noDupes: { vi: 'Không thấy nhà tài trợ nào trùng.', en: 'No duplicates found.' },
  someDupes: {
    vi: 'Hiển thị {n} cặp giống nhau nhất trong {total} cặp. Gộp hoặc sửa các cặp này, những cặp còn lại sẽ hiện ra sau.',
    en: 'Showing the {n} closest of {total} pairs. Merge or correct these and the rest will follow.',
  },
  keep: { vi: 'Giữ', en: 'Keep' },
  mergeInto: { vi: 'Gộp {b} vào {a}', en: 'Merge {b} into {a}' },
  merged: { vi: 'Đã gộp; mọi khoản đóng góp đã chuyển sang nhà tài trợ được giữ.', en: 'Merged; every gift now belongs to the kept donor.' },
  because: { vi: 'Trùng', en: 'Same' },
  editDonor: { vi: 'Sửa thông tin', en: 'Edit details' },
};
const REASON: Record<string, { vi: string; en: string }> = { email: { vi: 'email', en: 'email' }, phone: { vi: 'số điện thoại', en: 'phone' }, name: { vi: 'tên', en: 'name' } };
const KIND: Record<string, { vi: string; en: string }> = {
  person: { vi: 'Cá nhân', en: 'Person' },
  group: { vi: 'Nhóm', en: 'Group' },
  organisation: { vi: 'Tổ chức', en: 'Organisation' },
};

export const donorPages = new Hono<AppEnv>();


const canWrite = (c: Context<AppEnv>) => c.get('org').roles.some((r) => DONOR_WRITE.includes(r));

donorPages.get('/o/:org/donors', requireOrgRole(DONOR_READ), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const q = (c.req.query('q') ?? '').slice(0, 100);
  const year = vietnamYear(c.get('deps').clock.now());
  const seg = c.req.query('segment');
  const segment: DonorSegment | undefined = seg === 'gave' || seg === 'lapsed' ? { kind: seg, year } : undefined;
  const rows = await listDonors(c.get('db'), org.id, { q, segment, limit: 200 });
  const last = await lastGifts(c.get('db'), org.id, rows.map((d) => d.id));
  const years = (text: { vi: string; en: string }) => pick(locale, text, { y: year, p: year - 1 });
  const exportQuery = segment ? `?${segment.kind === 'gave' ? 'gaveIn' : 'lapsedIn'}=${year}` : '';
  return page(
    c,
    pick(locale, T.donors),
    `/o/${org.slug}/donors`,
    <>
      <h1>{pick(locale, T.donors)}</h1>
      <form method="get" class="row-actions" role="search">
        <div>
          <label for="q">{pick(locale, T.search)}</label>
          <input id="q" name="q" type="search" value={q} />
        </div>
        <div>
          <label for="segment">{pick(locale, T.segment)}</label>
          <select id="segment" name="segment">
            <option value="">{pick(locale, T.everyone)}</option>
            <option value="gave" selected={segment?.kind === 'gave'}>
              {years(T.gave)}
            </option>
            <option value="lapsed" selected={segment?.kind === 'lapsed'}>
              {years(T.lapsed)}
            </option>
          </select>
        </div>
        <button type="submit">{pick(locale, T.find)}</button>
      </form>
      <p class="row-actions">
        {canWrite(c) ? <a href={`/o/${org.slug}/donors/new`}>{pick(locale, T.add)}</a> : null}
        {canWrite(c) ? <a href={`/o/${org.slug}/donors/import`}>{pick(locale, T.import)}</a> : null}
        <a href={`/api/v1/orgs/${org.slug}/donors/export.csv${exportQuery}`}>{pick(locale, T.export)}</a>
        {c.get('org').roles.some((r) => r === 'admin' || r === 'finance') ? <a href={`/o/${org.slug}/donors/duplicates`}>{pick(locale, D.duplicates)}</a> : null}
        {c.get('org').roles.some((r) => r === 'admin' || r === 'finance') ? <a href={`/o/${org.slug}/donors/year-end`}>{pick(locale, T.yearEnd)}</a> : null}
      </p>
      {rows.length === 0 ? (
        <p>{pick(locale, T.none)}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-sm" data-donors={rows.length}>
            <caption class="sr-only">{pick(locale, T.matching, { n: rows.length })}</caption>
            <thead>
              <tr>
                <th>{pick(locale, T.name)}</th>
                <th>{pick(locale, T.kind)}</th>
                <th>Email</th>
                <th>{pick(locale, T.phone)}</th>
                <th>{pick(locale, T.tags)}</th>
                <th>{pick(locale, T.lastGift)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr>
                  <td data-label={pick(locale, T.name)}>
                    <a href={`/o/${org.slug}/donors/${d.id}`}>{d.name}</a>
                  </td>
                  <td data-label={pick(locale, T.kind)}>{pick(locale, KIND[d.kind]!)}</td>
                  <td data-label="Email">{d.email ?? ''}</td>
                  <td data-label={pick(locale, T.phone)}>{d.phone ?? ''}</td>
                  <td data-label={pick(locale, T.tags)}>
                    <span>{d.tags.map((t) => <span class="badge">{t}</span>)}</span>
                  </td>
                  <td data-label={pick(locale, T.lastGift)}>
                    {(() => {
                      const g = last.get(d.id);
                      return g ? `${formatDate(g.receivedAt, locale)} · ${formatMoney(g.amountMinor, g.currency, locale)}` : '';
                    })()}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>,
  );
});

function DonorForm(props: { locale: Locale; action: string; values: Record<string, string>; errors: FieldErrors; message?: string }) {
  const { locale, values: v, errors } = props;
  return (
    <form method="post" action={props.action} class="stack" novalidate>
      <ErrorSummary message={props.message} />
      <Field id="name" label={pick(locale, T.name)} errors={errors}>
        {(a) => <input {...a} name="name" required value={v.name ?? ''} />}
      </Field>
      <Field id="kind" label={pick(locale, T.kind)} errors={errors}>
        {(a) => (
          <select {...a} name="kind">
            {DONOR_KINDS.map((k) => (
              <option value={k} selected={(v.kind ?? 'person') === k}>
                {pick(locale, KIND[k]!)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="email" label="Email" errors={errors}>
        {(a) => <input {...a} name="email" type="email" value={v.email ?? ''} />}
      </Field>
      <Field id="phone" label={pick(locale, T.phone)} errors={errors}>
        {(a) => <input {...a} name="phone" type="tel" value={v.phone ?? ''} />}
      </Field>
      <Field id="locale" label={pick(locale, T.lang)} errors={errors}>
        {(a) => (
          <select {...a} name="locale">
            <option value="vi" selected={(v.locale ?? 'vi') === 'vi'}>
              Tiếng Việt
            </option>
            <option value="en" selected={v.locale === 'en'}>
              English
            </option>
          </select>
        )}
      </Field>
      <Field id="tags" label={pick(locale, T.tags)} hint={pick(locale, T.tagsHint)} errors={errors}>
        {(a) => <input {...a} name="tags" value={v.tags ?? ''} />}
      </Field>
      <Field id="country" label={pick(locale, T.country)} errors={errors}>
        {(a) => <input {...a} name="country" value={v.country ?? ''} />}
      </Field>
      <label class="check">
        <input type="checkbox" name="emailConsent" value="1" checked={v.emailConsent === '1'} /> {pick(locale, T.consent)}
      </label>
      <label class="check">
        <input type="checkbox" name="anonymous" value="1" checked={v.anonymous === '1'} /> {pick(locale, T.anonymous)}
      </label>
      <Field id="notes" label={pick(locale, T.notes)} errors={errors}>
        {(a) => <textarea {...a} name="notes" rows={3}>{v.notes ?? ''}</textarea>}
      </Field>
      <button type="submit">{pick(locale, T.save)}</button>
    </form>
  );
}

donorPages.get('/o/:org/donors/new', requireOrgRole(DONOR_WRITE), (c) =>
  page(c, pick(c.get('locale'), T.add), `/o/${c.get('org').slug}/donors/new`, <><h1>{pick(c.get('locale'), T.add)}</h1><DonorForm locale={c.get('locale')} action={`/o/${c.get('org').slug}/donors/new`} values={{}} errors={{}} /></>),
);

async function readDonorForm(c: Context<AppEnv>) {
  const locale = c.get('locale');
  const f = await c.req.parseBody();
  const v: Record<string, string> = {};
  for (const k of ['name', 'kind', 'email', 'phone', 'locale', 'tags', 'country', 'notes', 'emailConsent', 'anonymous']) v[k] = str(f[k], k === 'notes' ? 2000 : 254);
  const errors: FieldErrors = {};
  if (!v.name!.trim()) errors.name = pick(locale, T.errName);
  if (v.email!.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email!.trim())) errors.email = pick(locale, T.errEmail);
  const input: DonorInput = {
    name: v.name!,
    kind: (DONOR_KINDS as readonly string[]).includes(v.kind!) ? (v.kind as 'person') : 'person',
    email: v.email || null,
    phone: v.phone || null,
    locale: v.locale === 'en' ? 'en' : 'vi',
    tags: v.tags!.split(','),
    country: v.country || null,
    notes: v.notes || null,
    emailConsent: v.emailConsent === '1',
    anonymous: v.anonymous === '1',
  };
  return { v, errors, input };
}

donorPages.post('/o/:org/donors/new', requireOrgRole(DONOR_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const { v, errors, input } = await readDonorForm(c);
  if (Object.keys(errors).length)
    return page(c, pick(locale, T.add), `/o/${org.slug}/donors/new`, <><h1>{pick(locale, T.add)}</h1><DonorForm locale={locale} action={`/o/${org.slug}/donors/new`} values={v} errors={errors} message={pick(locale, T.errForm)} /></>, 400);
  const d = await createDonor(c.get('db'), org.id, input);
  return c.redirect(`/o/${org.slug}/donors/${d.id}`, 303);
});

donorPages.get(`/o/:org/donors/:id${UUID_PATH}/edit`, requireOrgRole(DONOR_WRITE), async (c) => {
  const org = c.get('org');
  const d = await getDonor(c.get('db'), org.id, c.req.param('id'));
  const action = `/o/${org.slug}/donors/${d.id}/edit`;
  const v = { name: d.name, kind: d.kind, email: d.email ?? '', phone: d.phone ?? '', locale: d.locale, tags: d.tags.join(', '), country: d.country ?? '', notes: d.notes ?? '', emailConsent: d.emailConsent ? '1' : '', anonymous: d.anonymous ? '1' : '' };
  return page(c, d.name, action, <><h1>{d.name}</h1><DonorForm locale={c.get('locale')} action={action} values={v} errors={{}} /></>);
});

donorPages.post(`/o/:org/donors/:id${UUID_PATH}/edit`, requireOrgRole(DONOR_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const id = c.req.param('id');
  const action = `/o/${org.slug}/donors/${id}/edit`;
  const { v, errors, input } = await readDonorForm(c);
  if (Object.keys(errors).length) return page(c, v.name || '—', action, <><h1>{v.name}</h1><DonorForm locale={locale} action={action} values={v} errors={errors} message={pick(locale, T.errForm)} /></>, 400);
  await updateDonor(c.get('db'), org.id, id, input, c.get('deps').clock.now());
  return c.redirect(`/o/${org.slug}/donors/${id}`, 303);
});

donorPages.get('/o/:org/donors/duplicates', requireOrgRole(['admin', 'finance']), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const { pairs, total } = await findDuplicateDonors(c.get('db'), org.id);
  return page(
    c,
    pick(locale, D.duplicates),
    `/o/${org.slug}/donors/duplicates`,
    <>
      <h1>{pick(locale, D.duplicates)}</h1>
      {c.req.query('merged') ? (
        <p class="ok" role="status">
          {pick(locale, D.merged)}
        </p>
      ) : null}
      {pairs.length === 0 ? <p>{pick(locale, D.noDupes)}</p> : null}
      {total > pairs.length ? (
        <p class="muted" data-dupes-total={total}>
          {pick(locale, D.someDupes, { n: formatNumber(pairs.length, locale), total: formatNumber(total, locale) })}
        </p>
      ) : null}
      <ul>
        {pairs.map((p) => (
          <li data-pair={`${p.a.id}|${p.b.id}`}>
            <a href={`/o/${org.slug}/donors/${p.a.id}`}>{p.a.name}</a> {p.a.email ? `(${p.a.email})` : ''} · <a href={`/o/${org.slug}/donors/${p.b.id}`}>{p.b.name}</a> {p.b.email ? `(${p.b.email})` : ''}{' '}
            <span class="muted">
              {pick(locale, D.because)}: {p.reasons.map((r) => pick(locale, REASON[r]!)).join(', ')}
            </span>
            <div class="row-actions">
              <form method="post" action={`/o/${org.slug}/donors/${p.a.id}/merge`}>
                <input type="hidden" name="mergeId" value={p.b.id} />
                <button type="submit" class="secondary">
                  {pick(locale, D.mergeInto, { a: p.a.name, b: p.b.name })}
                </button>
              </form>
              <form method="post" action={`/o/${org.slug}/donors/${p.b.id}/merge`}>
                <input type="hidden" name="mergeId" value={p.a.id} />
                <button type="submit" class="secondary">
                  {pick(locale, D.mergeInto, { a: p.b.name, b: p.a.name })}
                </button>
              </form>
            </div>
          </li>
        ))}
      </ul>
    </>,
  );
});

donorPages.post(`/o/:org/donors/:id${UUID_PATH}/merge`, requireOrgRole(['admin', 'finance']), async (c) => {
  const org = c.get('org');
  const f = await c.req.parseBody();
  const mergeId = str(f.mergeId, 36);
  if (!isUuid(mergeId)) throw new ProblemError(400, 'Choose a donor to merge.');
  const p = c.get('principal')!;
  await mergeDonors(c.get('db'), org.id, c.req.param('id'), mergeId, { actorKind: 'user', actorId: p.userId, requestId: c.get('requestId'), at: c.get('deps').clock.now() });
  return c.redirect(`/o/${org.slug}/donors/duplicates?merged=1`, 303);
});

donorPages.get('/o/:org/donors/import', requireOrgRole(DONOR_WRITE), (c) => importPage(c, null));
donorPages.post('/o/:org/donors/import', requireOrgRole(DONOR_WRITE), async (c) => {
  const f = await c.req.parseBody();
  const file = f.file;
  const csv = file instanceof File ? await file.text() : str(f.csv, 900_000);
  const r = await importDonors(c.get('db'), c.get('org').id, { csv, dryRun: f.mode !== 'import' });
  return importPage(c, r, r.errors.length ? 400 : 200);
});

function importPage(c: Context<AppEnv>, r: Awaited<ReturnType<typeof importDonors>> | null, status: 200 | 400 = 200) {
  const locale = c.get('locale');
  const org = c.get('org');
  return page(
    c,
    pick(locale, T.import),
    `/o/${org.slug}/donors/import`,
    <>
      <h1>{pick(locale, T.import)}</h1>
      {r && r.errors.length ? (
        <div class="error" role="alert">
          <p>{pick(locale, T.errors)}</p>
          <ul>
            {r.errors.map((e) => (
              <li data-line={e.line}>
                {pick(locale, T.line)} {e.line}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : r ? (
        <div class="ok" role="status">
          <p>{r.dryRun ? pick(locale, T.preview) : pick(locale, T.imported, { n: r.created })}</p>
          <ul>
            {r.rows.map((row) => (
              <li>
                {pick(locale, T.line)} {row.line}: {row.name}
                {row.action === 'existing' ? ` — ${pick(locale, T.existing)}` : row.possibleDuplicateOf ? ` — ${pick(locale, T.possible)}` : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`/o/${org.slug}/donors/import`} enctype="multipart/form-data" class="stack">
        <Field id="file" label={pick(locale, T.csv)} hint={pick(locale, T.csvHint)}>
          {(a) => <input {...a} name="file" type="file" accept=".csv,text/csv" required />}
        </Field>
        <div class="row-actions">
          <button type="submit" name="mode" value="check" class="secondary">
            {pick(locale, T.check)}
          </button>
          <button type="submit" name="mode" value="import">
            {pick(locale, T.doImport)}
          </button>
        </div>
      </form>
    </>,
    status,
  );
}

donorPages.get(`/o/:org/donors/:id${UUID_PATH}`, requireOrgRole(DONOR_READ), async (c) =>
  donorDetail(c, c.req.query('stopped') ? { ok: pick(c.get('locale'), MONTHLY_TEXT.stopped) } : {}),
);

/** Finance stops a donor's monthly gift, for example when the donor calls to ask. */
donorPages.post(`/o/:org/donors/:id${UUID_PATH}/monthly/:checkout${UUID_PATH}/stop`, requireOrgRole(MONEY_WRITE), async (c) => {
  const org = c.get('org');
  const deps = c.get('deps');
  const d = await getDonor(c.get('db'), org.id, c.req.param('id'));
  try {
    await stopMonthlyGift(c.get('db'), deps.payments, { orgId: org.id, donorId: d.id, checkoutId: c.req.param('checkout'), by: { actorKind: 'user', actorId: c.get('principal')!.userId }, now: deps.clock.now(), requestId: c.get('requestId') }, { logger: deps.logger });
  } catch (err) {
    const failed = stopFailedText(err, c.get('locale'));
    if (failed) return donorDetail(c, { error: failed.text }, failed.status);
    throw err;
  }
  return c.redirect(`/o/${org.slug}/donors/${d.id}?stopped=1#monthly-h`, 303);
});

async function donorDetail(c: Context<AppEnv>, flash: { ok?: string; error?: string }, status: 200 | 502 | 503 = 200) {
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const d = await getDonor(db, org.id, c.req.param('id')!);
  const monthly = await monthlyGiftsOfDonor(db, org.id, d.id);
  const canStop = org.roles.some((r) => MONEY_WRITE.includes(r));
  const totals = await donorTotals(db, org.id, d.id);
  const gifts = await recentDonationsOfDonor(db, org.id, d.id);
  const campaignIds = [...new Set(gifts.map((g) => g.campaignId).filter((x): x is string => !!x))];
  const titles = new Map(campaignIds.length ? (await db.select({ id: campaigns.id, title: campaigns.title, titleEn: campaigns.titleEn }).from(campaigns).where(inArray(campaigns.id, campaignIds))).map((r) => [r.id, localized(locale, r.title, r.titleEn)]) : []);
  const rc = gifts.length ? await db.select().from(receipts).where(and(eq(receipts.orgId, org.id), inArray(receipts.donationId, gifts.map((g) => g.id)))) : [];
  const years = [...new Set(gifts.map((g) => vietnamYear(g.receivedAt)))].sort((a, b) => b - a);
  return page(
    c,
    d.name,
    `/o/${org.slug}/donors/${d.id}`,
    <>
      <h1>{d.name}</h1>
      <Flash ok={flash.ok} error={flash.error} />
      {canWrite(c) && !d.mergedIntoId ? (
        <p>
          <a href={`/o/${org.slug}/donors/${d.id}/edit`}>{pick(locale, D.editDonor)}</a>
        </p>
      ) : null}
      {d.mergedIntoId ? (
        <p class="notice">
          <a href={`/o/${org.slug}/donors/${d.mergedIntoId}`}>→</a>
        </p>
      ) : null}
      <dl class="facts">
        <dt>{pick(locale, T.kind)}</dt>
        <dd>{pick(locale, KIND[d.kind]!)}</dd>
        <dt>Email</dt>
        <dd>{d.email ?? '—'}</dd>
        <dt>{pick(locale, T.phone)}</dt>
        <dd>{d.phone ?? '—'}</dd>
        <dt>{pick(locale, T.lang)}</dt>
        <dd>{d.locale}</dd>
        <dt>{pick(locale, T.consent)}</dt>
        <dd>{d.emailConsent ? '✓' : '—'}</dd>
        <dt>{pick(locale, T.anonymous)}</dt>
        <dd>{d.anonymous ? '✓' : '—'}</dd>
        <dt>{pick(locale, T.tags)}</dt>
        <dd>{d.tags.join(', ') || '—'}</dd>
      </dl>
      <h2>{pick(locale, T.totals)}</h2>
      <div class="cards">
        {totals.map((t) => (
          <div class="card" data-total={t.currency}>
            <div class="n">{formatMoney(t.netMinor, t.currency, locale)}</div>
            <div class="l">
              {t.gifts} × {t.currency}
            </div>
          </div>
        ))}
      </div>
      <h2>{pick(locale, T.history)}</h2>
      <div class="table-wrap">
        <table class="cards-sm">
          <thead>
            <tr>
              <th>{locale === 'vi' ? 'Ngày' : 'Date'}</th>
              <th>{locale === 'vi' ? 'Chương trình' : 'Campaign'}</th>
              <th>{locale === 'vi' ? 'Hình thức' : 'Method'}</th>
              <th class="num">{locale === 'vi' ? 'Số tiền' : 'Amount'}</th>
              <th>{locale === 'vi' ? 'Biên nhận' : 'Receipts'}</th>
            </tr>
          </thead>
          <tbody>
            {gifts.map((g) => (
              <tr>
                <td data-label={locale === 'vi' ? 'Ngày' : 'Date'}>{formatDate(g.receivedAt, locale)}</td>
                <td data-label={locale === 'vi' ? 'Chương trình' : 'Campaign'}>{g.campaignId ? titles.get(g.campaignId) : locale === 'vi' ? 'Quỹ chung' : 'General fund'}</td>
                <td data-label={locale === 'vi' ? 'Hình thức' : 'Method'}>{channelLabel(g.channel, locale)}</td>
                <td class="num" data-label={locale === 'vi' ? 'Số tiền' : 'Amount'}>{formatMoney(g.amountMinor, g.currency, locale)}</td>
                <td data-label={locale === 'vi' ? 'Biên nhận' : 'Receipts'}>{rc.filter((r) => r.donationId === g.id).map((r) => r.code).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <MonthlyGifts gifts={monthly} locale={locale} stopAction={canStop ? (id) => `/o/${org.slug}/donors/${d.id}/monthly/${id}/stop` : null} />
      <h2>{pick(locale, T.statement)}</h2>
      <ul>
        {years.map((y) => (
          <li>
            <a href={`/o/${org.slug}/donors/${d.id}/statement/${y}`}>{y}</a> ·{' '}
            <a href={`/o/${org.slug}/donors/${d.id}/statement/${y}/pdf`} download aria-label={`PDF ${y}`}>
              PDF
            </a>
          </li>
        ))}
      </ul>
    </>,
    status,
  );
}

donorPages.get(`/o/:org/donors/:id${UUID_PATH}/statement/:year{[0-9]{4}}`, requireOrgRole(DONOR_READ), async (c) => {
  const org = c.get('org');
  const s = await annualStatement(c.get('db'), org.id, c.req.param('id'), Number(c.req.param('year')), c.get('locale'));
  const path = `/o/${org.slug}/donors/${s.donor.id}/statement/${s.year}`;
  return page(c, `${s.donor.name} ${s.year}`, path, <StatementView s={s} locale={c.get('locale')} pdfHref={`${path}/pdf`} />);
});

donorPages.get(`/o/:org/donors/:id${UUID_PATH}/statement/:year{[0-9]{4}}/pdf`, requireOrgRole(DONOR_READ), async (c) => {
  const s = await annualStatement(c.get('db'), c.get('org').id, c.req.param('id'), Number(c.req.param('year')), c.get('locale'));
  return statementPdfResponse(s, c.get('locale'), c.get('deps').clock.now());
});
