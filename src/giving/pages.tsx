import { Hono, type Context } from 'hono';
import { orgPage as page, hasRole as can } from '../ui/org-page';
import { listDonorChoices } from '../donors/donors';
import { inArray } from 'drizzle-orm';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { STAFF_READ } from '../http/routes';
import { ProblemError } from '../http/problem';
import { DONATION_CHANNELS, donors, type CampaignStatus } from '../db/schema';
import { formatDate, formatMoney, localized, pick, type Locale } from '../ui/i18n';
import { kickOutbox } from '../mail/kick';
import { channelLabel } from '../donors/statement';
import { CAMPAIGN_WRITE, listDonations, MONEY_READ, MONEY_WRITE } from './api';
import { createCampaign, progressPerCampaign, GENERAL_GIVING_SLUG, getCampaign, listCampaigns, updateCampaign, type Campaign, type CampaignInput } from './campaigns';
import { recordOfflineGift, OFFLINE_CHANNELS } from './gifts';
import { dismissStatementLine, importBankStatement, matchStatementLine, reconciliationQueue } from './bank';
import { CURRENCY_CODES, formatMinorPlain, isCurrency, parseAmount, vietnamDate } from './money';
import { refundedTotal } from './donations';
import { DonorOptions, ErrorSummary, Field, str, type FieldErrors } from './ui';
import { isUuid, UUID_PATH } from '../lib/ids';
import { isDay } from '../lib/days';
import { Flash } from '../ui/flash';

const T = {
  donations: { vi: 'Khoản đóng góp', en: 'Donations' },
  record: { vi: 'Ghi nhận khoản ủng hộ (tiền mặt, chuyển khoản, séc)', en: 'Record a gift (cash, transfer, cheque)' },
  filter: { vi: 'Lọc', en: 'Filter' },
  all: { vi: 'Tất cả', en: 'All' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  campaign: { vi: 'Chương trình', en: 'Campaign' },
  general: { vi: 'Quỹ chung', en: 'General fund' },
  channel: { vi: 'Hình thức', en: 'Method' },
  donor: { vi: 'Nhà tài trợ', en: 'Donor' },
  noDonor: { vi: '(không rõ / ẩn danh)', en: '(unknown / anonymous)' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  currency: { vi: 'Loại tiền', en: 'Currency' },
  date: { vi: 'Ngày nhận', en: 'Date received' },
  reference: { vi: 'Số tham chiếu (mã giao dịch, số séc, số phiếu thu)', en: 'Reference (bank transaction id, cheque or receipt-book number)' },
  note: { vi: 'Ghi chú', en: 'Note' },
  save: { vi: 'Ghi nhận', en: 'Record' },
  saved: { vi: 'Đã ghi nhận khoản ủng hộ và lập biên nhận.', en: 'Gift recorded and receipt issued.' },
  none: { vi: 'Không có khoản nào.', en: 'Nothing here.' },
  fee: { vi: 'Phí', en: 'Fee' },
  refunded: { vi: 'Đã hoàn', en: 'Refunded' },
  errForm: { vi: 'Vui lòng sửa các ô được đánh dấu.', en: 'Please correct the marked fields.' },
  errAmount: { vi: 'Nhập số tiền hợp lệ.', en: 'Enter a valid amount.' },
  recon: { vi: 'Đối soát ngân hàng', en: 'Bank reconciliation' },
  upload: { vi: 'Tải sao kê (CSV)', en: 'Upload a statement (CSV)' },
  uploadHint: {
    vi: 'Cột: Ngày, Số tiền, Nội dung, Mã giao dịch. Dòng có mã SC… sẽ tự thành khoản ủng hộ; dòng còn lại chờ đối soát.',
    en: 'Columns: date, amount, description, transaction id. Lines quoting an SC… reference become gifts; the rest wait here.',
  },
  check: { vi: 'Kiểm tra (chưa ghi)', en: 'Check (dry run)' },
  doImport: { vi: 'Nhập sao kê', en: 'Import statement' },
  fileErrors: { vi: 'Tệp có lỗi; chưa có gì được ghi.', en: 'The file has errors; nothing was written.' },
  line: { vi: 'Dòng', en: 'Line' },
  result: { vi: '{d} khoản ủng hộ, {q} dòng chờ đối soát, {u} dòng đã có.', en: '{d} gifts, {q} lines waiting, {u} already seen.' },
  dryResult: { vi: 'Kiểm tra: sẽ có {d} khoản ủng hộ, {q} dòng chờ đối soát, {u} dòng đã có.', en: 'Check: {d} gifts, {q} lines to reconcile, {u} already seen.' },
  queue: { vi: 'Dòng chờ đối soát', en: 'Waiting lines' },
  match: { vi: 'Ghi nhận', en: 'Match' },
  newDonor: { vi: 'hoặc tên nhà tài trợ mới', en: 'or a new donor name' },
  dismiss: { vi: 'Bỏ qua', en: 'Dismiss' },
  reason: { vi: 'Lý do', en: 'Reason' },
  emptyQueue: { vi: 'Không có dòng nào chờ đối soát.', en: 'No lines waiting.' },
  campaigns: { vi: 'Chương trình', en: 'Campaigns' },
  newCampaign: { vi: 'Tạo chương trình', en: 'New campaign' },
  edit: { vi: 'Sửa', en: 'Edit' },
  publicPage: { vi: 'Trang công khai', en: 'Public page' },
  generalPage: {
    vi: 'Ngoài các chương trình, nhà hảo tâm có thể ủng hộ quỹ chung (thẻ, hằng tháng hoặc chuyển khoản) tại trang',
    en: 'Besides the campaigns, donors can give to the general fund (card, monthly or bank transfer) on the page',
  },
  title: { vi: 'Tên chương trình', en: 'Title' },
  titleEn: { vi: 'Tên tiếng Anh', en: 'Title in English' },
  summary: { vi: 'Giới thiệu', en: 'Summary' },
  summaryEn: { vi: 'Giới thiệu tiếng Anh', en: 'Summary in English' },
  slug: { vi: 'Địa chỉ (chữ thường, số, gạch nối)', en: 'Address (lower case, digits, dashes)' },
  errSlugKept: { vi: 'Địa chỉ “{slug}” dành cho trang ủng hộ quỹ chung của trung tâm; hãy chọn địa chỉ khác.', en: 'The address “{slug}” is the centre’s general giving page; choose another.' },
  goal: { vi: 'Mục tiêu', en: 'Goal' },
  starts: { vi: 'Bắt đầu', en: 'Starts' },
  ends: { vi: 'Kết thúc', en: 'Ends' },
  status: { vi: 'Trạng thái', en: 'Status' },
  presets: { vi: 'Mức gợi ý (cách nhau bằng dấu phẩy hoặc xuống dòng)', en: 'Suggested amounts (comma or line separated)' },
  monthly: { vi: 'Cho phép ủng hộ hằng tháng', en: 'Allow monthly gifts' },
  raised: { vi: 'Đã nhận', en: 'Raised' },
};
const STATUS: Record<CampaignStatus, { vi: string; en: string }> = {
  draft: { vi: 'Nháp', en: 'Draft' },
  active: { vi: 'Đang nhận ủng hộ', en: 'Active' },
  closed: { vi: 'Đã kết thúc', en: 'Closed' },
};

export const givingPages = new Hono<AppEnv>();

const fieldOf = (path: string) => path.replace(/^(json|body)\./, '');


// ---------- donations ----------

givingPages.get('/o/:org/donations', requireOrgRole(MONEY_READ), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const q = c.req.query();
  const filter = {
    campaignId: isUuid(q.campaign) ? q.campaign : undefined,
    generalFund: q.campaign === 'general',
    channel: (DONATION_CHANNELS as readonly string[]).includes(q.channel ?? '') ? (q.channel as (typeof DONATION_CHANNELS)[number]) : undefined,
    from: isDay(q.from) ? q.from : undefined,
    to: isDay(q.to) ? q.to : undefined,
    limit: 300,
  };
  const rows = await listDonations(db, org.id, filter);
  const camps = await listCampaigns(db, org.id);
  const campTitle = new Map(camps.map((x) => [x.id, localized(locale, x.title, x.titleEn)]));
  const donorIds = [...new Set(rows.map((r) => r.donorId).filter((x): x is string => !!x))];
  const names = new Map(donorIds.length ? (await db.select({ id: donors.id, name: donors.name }).from(donors).where(inArray(donors.id, donorIds))).map((d) => [d.id, d.name]) : []);
  const refunded = new Map<string, bigint>();
  for (const r of rows) refunded.set(r.id, await refundedTotal(db, r.id));
  return page(
    c,
    pick(locale, T.donations),
    `/o/${org.slug}/donations`,
    <>
      <h1>{pick(locale, T.donations)}</h1>
      {c.req.query('saved') ? (
        <p class="ok" role="status">
          {pick(locale, T.saved)}
        </p>
      ) : null}
      {can(c, MONEY_WRITE) ? (
        <p>
          <a class="button" href={`/o/${org.slug}/donations/new`}>
            {pick(locale, T.record)}
          </a>
        </p>
      ) : null}
      <form method="get" class="row-actions" aria-label={pick(locale, T.filter)}>
        <div>
          <label for="f-campaign">{pick(locale, T.campaign)}</label>
          <select id="f-campaign" name="campaign">
            <option value="">{pick(locale, T.all)}</option>
            <option value="general" selected={filter.generalFund}>
              {pick(locale, T.general)}
            </option>
            {camps.map((x) => (
              <option value={x.id} selected={filter.campaignId === x.id}>
                {localized(locale, x.title, x.titleEn)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-channel">{pick(locale, T.channel)}</label>
          <select id="f-channel" name="channel">
            <option value="">{pick(locale, T.all)}</option>
            {DONATION_CHANNELS.map((ch) => (
              <option value={ch} selected={filter.channel === ch}>
                {channelLabel(ch, locale)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-from">{pick(locale, T.from)}</label>
          <input id="f-from" name="from" type="date" value={filter.from ?? ''} />
        </div>
        <div>
          <label for="f-to">{pick(locale, T.to)}</label>
          <input id="f-to" name="to" type="date" value={filter.to ?? ''} />
        </div>
        <button type="submit">{pick(locale, T.filter)}</button>
      </form>
      {rows.length === 0 ? (
        <p>{pick(locale, T.none)}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-sm">
            <thead>
              <tr>
                <th>{pick(locale, T.date)}</th>
                <th>{pick(locale, T.donor)}</th>
                <th>{pick(locale, T.campaign)}</th>
                <th>{pick(locale, T.channel)}</th>
                <th class="num">{pick(locale, T.amount)}</th>
                <th class="num">{pick(locale, T.refunded)}</th>
                <th class="num">{pick(locale, T.fee)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr data-donation={d.id}>
                  <td data-label={pick(locale, T.date)}>{formatDate(d.receivedAt, locale)}</td>
                  <td data-label={pick(locale, T.donor)}>{d.donorId ? <a href={`/o/${org.slug}/donors/${d.donorId}`}>{names.get(d.donorId)}</a> : pick(locale, T.noDonor)}</td>
                  <td data-label={pick(locale, T.campaign)}>{(d.campaignId && campTitle.get(d.campaignId)) || pick(locale, T.general)}</td>
                  <td data-label={pick(locale, T.channel)}>{channelLabel(d.channel, locale)}</td>
                  <td class="num" data-label={pick(locale, T.amount)}>{formatMoney(d.amountMinor, d.currency, locale)}</td>
                  <td class="num" data-label={pick(locale, T.refunded)}>{refunded.get(d.id)! > 0n ? formatMoney(refunded.get(d.id)!, d.currency, locale) : ''}</td>
                  <td class="num" data-label={pick(locale, T.fee)}>{d.feeMinor !== null && d.settlementCurrency ? formatMoney(d.feeMinor, d.settlementCurrency, locale) : d.settlementStatus === 'pending' ? '…' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>,
  );
});

async function GiftForm(props: { c: Context<AppEnv>; values: Record<string, string>; errors: FieldErrors; message?: string }) {
  const { c, values: v, errors } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const ds = await listDonorChoices(db, org.id);
  const camps = (await listCampaigns(db, org.id)).filter((x) => x.status !== 'closed');
  return (
    <form method="post" action={`/o/${org.slug}/donations/new`} class="stack" novalidate>
      <ErrorSummary message={props.message} />
      <Field id="donorId" label={pick(locale, T.donor)} errors={errors}>
        {(a) => (
          <select {...a} name="donorId">
            <DonorOptions donors={ds} selected={v.donorId} noneLabel={pick(locale, T.noDonor)} />
          </select>
        )}
      </Field>
      <Field id="campaignId" label={pick(locale, T.campaign)} errors={errors}>
        {(a) => (
          <select {...a} name="campaignId">
            <option value="">{pick(locale, T.general)}</option>
            {camps.map((x) => (
              <option value={x.id} selected={v.campaignId === x.id}>
                {localized(locale, x.title, x.titleEn)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="channel" label={pick(locale, T.channel)} errors={errors}>
        {(a) => (
          <select {...a} name="channel">
            {OFFLINE_CHANNELS.map((ch) => (
              <option value={ch} selected={(v.channel ?? 'bank_transfer') === ch}>
                {channelLabel(ch, locale)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="amount" label={pick(locale, T.amount)} errors={errors}>
        {(a) => <input {...a} name="amount" inputmode="decimal" required value={v.amount ?? ''} />}
      </Field>
      <Field id="currency" label={pick(locale, T.currency)} errors={errors}>
        {(a) => (
          <select {...a} name="currency">
            {CURRENCY_CODES.map((cur) => (
              <option value={cur} selected={(v.currency ?? 'VND') === cur}>
                {cur}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="receivedOn" label={pick(locale, T.date)} errors={errors}>
        {(a) => <input {...a} name="receivedOn" type="date" required value={v.receivedOn ?? vietnamDate(c.get('deps').clock.now())} />}
      </Field>
      <Field id="reference" label={pick(locale, T.reference)} errors={errors}>
        {(a) => <input {...a} name="reference" value={v.reference ?? ''} />}
      </Field>
      <Field id="note" label={pick(locale, T.note)} errors={errors}>
        {(a) => <textarea {...a} name="note" rows={2}>{v.note ?? ''}</textarea>}
      </Field>
      <button type="submit">{pick(locale, T.save)}</button>
    </form>
  );
}

givingPages.get('/o/:org/donations/new', requireOrgRole(MONEY_WRITE), async (c) =>
  page(c, pick(c.get('locale'), T.record), `/o/${c.get('org').slug}/donations/new`, <><h1>{pick(c.get('locale'), T.record)}</h1>{await GiftForm({ c, values: {}, errors: {} })}</>),
);

givingPages.post('/o/:org/donations/new', requireOrgRole(MONEY_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const deps = c.get('deps');
  const f = await c.req.parseBody();
  const v: Record<string, string> = {};
  for (const k of ['donorId', 'campaignId', 'channel', 'amount', 'currency', 'receivedOn', 'reference', 'note']) v[k] = str(f[k], k === 'note' ? 1000 : 120);
  const errors: FieldErrors = {};
  const currency = isCurrency(v.currency) ? v.currency : 'VND';
  const amount = parseAmount(v.amount ?? '', currency);
  if (amount === null || amount <= 0n) errors.amount = pick(locale, T.errAmount);
  const rerender = async (status: 400 | 409, message = pick(locale, T.errForm)) =>
    page(c, pick(locale, T.record), `/o/${org.slug}/donations/new`, <><h1>{pick(locale, T.record)}</h1>{await GiftForm({ c, values: v, errors, message })}</>, status);
  if (Object.keys(errors).length) return rerender(400);
  try {
    await recordOfflineGift(
      c.get('db'),
      org.id,
      {
        donorId: v.donorId || null,
        campaignId: v.campaignId || null,
        channel: (OFFLINE_CHANNELS as readonly string[]).includes(v.channel!) ? (v.channel as 'cash') : ('invalid' as 'cash'),
        amountMinor: amount!,
        currency,
        receivedOn: v.receivedOn!,
        reference: v.reference || null,
        note: v.note || null,
        createdBy: c.get('principal')?.userId ?? null,
      },
      { appUrl: deps.config.APP_URL, today: vietnamDate(deps.clock.now()) },
    );
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
      for (const e of (err.extra.errors as { path: string; message: string }[] | undefined) ?? []) errors[fieldOf(e.path) === 'amount' ? 'amount' : fieldOf(e.path)] = e.message;
      return rerender(err.status, err.detail);
    }
    throw err;
  }
  kickOutbox(c);
  return c.redirect(`/o/${org.slug}/donations?saved=1`, 303);
});

// ---------- reconciliation ----------

async function ReconPage(props: { c: Context<AppEnv>; result?: Awaited<ReturnType<typeof importBankStatement>>; message?: string; ok?: string }) {
  const { c, result: r } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const queue = await reconciliationQueue(db, org.id);
  const ds = await listDonorChoices(db, org.id);
  const camps = (await listCampaigns(db, org.id)).filter((x) => x.currency === 'VND');
  return (
    <>
      <h1>{pick(locale, T.recon)}</h1>
      <Flash ok={props.ok} error={props.message} />
      {r && r.errors.length ? (
        <div class="error" role="alert">
          <p>{pick(locale, T.fileErrors)}</p>
          <ul>
            {r.errors.map((e) => (
              <li data-line={e.line}>
                {pick(locale, T.line)} {e.line}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : r ? (
        <p class="ok" role="status">
          {pick(locale, r.dryRun ? T.dryResult : T.result, { d: r.donationsCreated, q: r.queued, u: r.duplicates })}
        </p>
      ) : null}
      <section aria-labelledby="upload-h">
        <h2 id="upload-h">{pick(locale, T.upload)}</h2>
        <form method="post" action={`/o/${org.slug}/reconciliation/upload`} enctype="multipart/form-data" class="stack">
          <Field id="file" label="CSV" hint={pick(locale, T.uploadHint)}>
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
      </section>
      <section aria-labelledby="queue-h">
        <h2 id="queue-h">
          {pick(locale, T.queue)} ({queue.length})
        </h2>
        {queue.length === 0 ? (
          <p>{pick(locale, T.emptyQueue)}</p>
        ) : (
          <div class="table-wrap">
            <table class="cards-sm">
              <thead>
                <tr>
                  <th>{pick(locale, T.date)}</th>
                  <th class="num">{pick(locale, T.amount)}</th>
                  <th>{pick(locale, T.note)}</th>
                  <th>{pick(locale, T.match)}</th>
                  <th>{pick(locale, T.dismiss)}</th>
                </tr>
              </thead>
              <tbody>
                {queue.map((l) => (
                  <tr data-line-id={l.id}>
                    <td data-label={pick(locale, T.date)}>{formatDate(`${l.bookedOn}T00:00:00+07:00`, locale)}</td>
                    <td class="num" data-label={pick(locale, T.amount)}>{formatMoney(l.amountMinor, l.currency, locale)}</td>
                    <td data-label={pick(locale, T.note)}>
                      <div>
                        {l.description}
                        <div class="muted">{l.externalId}</div>
                      </div>
                    </td>
                    <td data-label={pick(locale, T.match)}>
                      <form method="post" action={`/o/${org.slug}/reconciliation/${l.id}/match`} class="row-actions">
                        <label class="muted" for={`d-${l.id}`}>
                          {pick(locale, T.donor)}
                        </label>
                        <select id={`d-${l.id}`} name="donorId">
                          <DonorOptions donors={ds} noneLabel="—" />
                        </select>
                        <label class="muted" for={`n-${l.id}`}>
                          {pick(locale, T.newDonor)}
                        </label>
                        <input id={`n-${l.id}`} name="newDonorName" />
                        <label class="muted" for={`c-${l.id}`}>
                          {pick(locale, T.campaign)}
                        </label>
                        <select id={`c-${l.id}`} name="campaignId">
                          <option value="">{pick(locale, T.general)}</option>
                          {camps.map((x) => (
                            <option value={x.id}>{localized(locale, x.title, x.titleEn)}</option>
                          ))}
                        </select>
                        <button type="submit">{pick(locale, T.match)}</button>
                      </form>
                    </td>
                    <td data-label={pick(locale, T.dismiss)}>
                      <form method="post" action={`/o/${org.slug}/reconciliation/${l.id}/dismiss`} class="row-actions">
                        <label class="muted" for={`r-${l.id}`}>
                          {pick(locale, T.reason)}
                        </label>
                        <input id={`r-${l.id}`} name="reason" required />
                        <button type="submit" class="secondary">
                          {pick(locale, T.dismiss)}
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

givingPages.get('/o/:org/reconciliation', requireOrgRole(MONEY_WRITE), async (c) => page(c, pick(c.get('locale'), T.recon), `/o/${c.get('org').slug}/reconciliation`, await ReconPage({ c })));

givingPages.post('/o/:org/reconciliation/upload', requireOrgRole(MONEY_WRITE), async (c) => {
  const deps = c.get('deps');
  const f = await c.req.parseBody();
  const file = f.file;
  const csv = file instanceof File ? await file.text() : str(f.csv, 900_000);
  const result = await importBankStatement(
    c.get('db'),
    c.get('org').id,
    { csv, dryRun: f.mode !== 'import', filename: file instanceof File ? file.name.slice(0, 200) : null, createdBy: c.get('principal')?.userId ?? null },
    { appUrl: deps.config.APP_URL },
  );
  if (!result.dryRun && result.donationsCreated > 0) kickOutbox(c);
  return page(c, pick(c.get('locale'), T.recon), `/o/${c.get('org').slug}/reconciliation`, await ReconPage({ c, result }), result.errors.length ? 400 : 200);
});

givingPages.post(`/o/:org/reconciliation/:id${UUID_PATH}/match`, requireOrgRole(MONEY_WRITE), async (c) => {
  const deps = c.get('deps');
  const f = await c.req.parseBody();
  const donorId = str(f.donorId, 36);
  const newName = str(f.newDonorName, 200).trim();
  const campaignId = str(f.campaignId, 36);
  try {
    await matchStatementLine(
      c.get('db'),
      c.get('org').id,
      c.req.param('id'),
      { donorId: donorId || null, newDonor: !donorId && newName ? { name: newName } : null, campaignId: campaignId || null },
      { appUrl: deps.config.APP_URL, userId: c.get('principal')?.userId ?? null, now: deps.clock.now() },
    );
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 409 || err.status === 400)) return page(c, pick(c.get('locale'), T.recon), `/o/${c.get('org').slug}/reconciliation`, await ReconPage({ c, message: err.detail }), err.status);
    throw err;
  }
  kickOutbox(c);
  return c.redirect(`/o/${c.get('org').slug}/reconciliation`, 303);
});

givingPages.post(`/o/:org/reconciliation/:id${UUID_PATH}/dismiss`, requireOrgRole(MONEY_WRITE), async (c) => {
  const deps = c.get('deps');
  const f = await c.req.parseBody();
  try {
    await dismissStatementLine(c.get('db'), c.get('org').id, c.req.param('id'), str(f.reason, 300), { userId: c.get('principal')?.userId ?? null, now: deps.clock.now() });
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 409 || err.status === 400)) return page(c, pick(c.get('locale'), T.recon), `/o/${c.get('org').slug}/reconciliation`, await ReconPage({ c, message: err.detail }), err.status);
    throw err;
  }
  return c.redirect(`/o/${c.get('org').slug}/reconciliation`, 303);
});

// ---------- campaigns ----------

givingPages.get('/o/:org/campaigns', requireOrgRole(STAFF_READ), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const list = await listCampaigns(db, org.id);
  const progress = await progressPerCampaign(db, org.id, org.baseCurrency, { donors: false });
  return page(
    c,
    pick(locale, T.campaigns),
    `/o/${org.slug}/campaigns`,
    <>
      <h1>{pick(locale, T.campaigns)}</h1>
      {can(c, CAMPAIGN_WRITE) ? (
        <p>
          <a class="button" href={`/o/${org.slug}/campaigns/new`}>
            {pick(locale, T.newCampaign)}
          </a>
        </p>
      ) : null}
      <p class="muted">
        {pick(locale, T.generalPage)} <a href={`/c/${org.slug}/${GENERAL_GIVING_SLUG}`} data-general-page>{`${c.get('deps').config.APP_URL}/c/${org.slug}/${GENERAL_GIVING_SLUG}`}</a>
      </p>
      <div class="table-wrap">
        <table class="cards-sm">
          <thead>
            <tr>
              <th>{pick(locale, T.title)}</th>
              <th>{pick(locale, T.status)}</th>
              <th class="num">{pick(locale, T.raised)}</th>
              <th class="num">{pick(locale, T.goal)}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.map((x) => (
              <tr>
                <td data-label={pick(locale, T.title)}>{localized(locale, x.title, x.titleEn)}</td>
                <td data-label={pick(locale, T.status)}>{pick(locale, STATUS[x.status])}</td>
                <td class="num" data-label={pick(locale, T.raised)}>{formatMoney(progress.get(x.id)?.raisedMinor ?? 0n, x.currency, locale)}</td>
                <td class="num" data-label={pick(locale, T.goal)}>{formatMoney(x.goalMinor, x.currency, locale)}</td>
                <td>
                  {x.status !== 'draft' ? <a href={`/c/${org.slug}/${x.slug}`}>{pick(locale, T.publicPage)}</a> : null}{' '}
                  {can(c, CAMPAIGN_WRITE) ? <a href={`/o/${org.slug}/campaigns/${x.id}/edit`}>{pick(locale, T.edit)}</a> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
  );
});

const campaignValues = (x: Campaign): Record<string, string> => ({
  slug: x.slug,
  title: x.title,
  titleEn: x.titleEn ?? '',
  summary: x.summary,
  summaryEn: x.summaryEn ?? '',
  goal: formatMinorPlain(x.goalMinor, x.currency),
  currency: x.currency,
  startsOn: x.startsOn ?? '',
  endsOn: x.endsOn ?? '',
  status: x.status,
  presets: x.presets.map((p) => formatMinorPlain(BigInt(p), x.currency)).join(', '),
  allowMonthly: x.allowMonthly ? '1' : '',
});

function CampaignForm(props: { locale: Locale; action: string; values: Record<string, string>; errors: FieldErrors; message?: string }) {
  const { locale, values: v, errors } = props;
  const text = (id: string, label: string, type = 'text') => (
    <Field id={id} label={label} errors={errors}>
      {(a) => <input {...a} name={id} type={type} value={v[id] ?? ''} />}
    </Field>
  );
  return (
    <form method="post" action={props.action} class="stack" novalidate>
      <ErrorSummary message={props.message} />
      {text('title', pick(locale, T.title))}
      {text('titleEn', pick(locale, T.titleEn))}
      {text('slug', pick(locale, T.slug))}
      <Field id="summary" label={pick(locale, T.summary)} errors={errors}>
        {(a) => <textarea {...a} name="summary" rows={3}>{v.summary ?? ''}</textarea>}
      </Field>
      <Field id="summaryEn" label={pick(locale, T.summaryEn)} errors={errors}>
        {(a) => <textarea {...a} name="summaryEn" rows={3}>{v.summaryEn ?? ''}</textarea>}
      </Field>
      {text('goal', pick(locale, T.goal))}
      <Field id="currency" label={pick(locale, T.currency)} errors={errors}>
        {(a) => (
          <select {...a} name="currency">
            {CURRENCY_CODES.map((cur) => (
              <option value={cur} selected={(v.currency ?? 'VND') === cur}>
                {cur}
              </option>
            ))}
          </select>
        )}
      </Field>
      {text('startsOn', pick(locale, T.starts), 'date')}
      {text('endsOn', pick(locale, T.ends), 'date')}
      <Field id="status" label={pick(locale, T.status)} errors={errors}>
        {(a) => (
          <select {...a} name="status">
            {(['draft', 'active', 'closed'] as const).map((s) => (
              <option value={s} selected={(v.status ?? 'draft') === s}>
                {pick(locale, STATUS[s])}
              </option>
            ))}
          </select>
        )}
      </Field>
      {text('presets', pick(locale, T.presets))}
      <label class="check">
        <input type="checkbox" name="allowMonthly" value="1" checked={v.allowMonthly === '1'} /> {pick(locale, T.monthly)}
      </label>
      <button type="submit">{pick(locale, T.save)}</button>
    </form>
  );
}

function parseCampaignForm(f: Record<string, unknown>, locale: Locale): { values: Record<string, string>; errors: FieldErrors; input: CampaignInput | null } {
  const v: Record<string, string> = {};
  for (const k of ['slug', 'title', 'titleEn', 'summary', 'summaryEn', 'goal', 'currency', 'startsOn', 'endsOn', 'status', 'presets', 'allowMonthly']) v[k] = str(f[k], k.startsWith('summary') ? 4000 : 200);
  const errors: FieldErrors = {};
  const currency = isCurrency(v.currency) ? v.currency : 'VND';
  const goal = parseAmount(v.goal ?? '', currency);
  if (goal === null) errors.goal = pick(locale, T.errAmount);
  const presets: bigint[] = [];
  for (const p of (v.presets ?? '').split(/[,\n;]+/).map((s) => s.trim()).filter(Boolean)) {
    const a = parseAmount(p, currency);
    if (a === null || a <= 0n) errors.presets = pick(locale, T.errAmount);
    else presets.push(a);
  }
  const status = (['draft', 'active', 'closed'] as const).find((s) => s === v.status) ?? 'draft';
  if (Object.keys(errors).length) return { values: v, errors, input: null };
  return {
    values: v,
    errors,
    input: { slug: v.slug!.trim(), title: v.title!, titleEn: v.titleEn || null, summary: v.summary, summaryEn: v.summaryEn || null, goalMinor: goal!, currency, startsOn: v.startsOn || null, endsOn: v.endsOn || null, status, presets, allowMonthly: v.allowMonthly === '1' },
  };
}

async function saveCampaign(c: Context<AppEnv>, id: string | null) {
  const locale = c.get('locale');
  const org = c.get('org');
  const action = id ? `/o/${org.slug}/campaigns/${id}/edit` : `/o/${org.slug}/campaigns/new`;
  const { values, errors, input } = parseCampaignForm(await c.req.parseBody(), locale);
  const again = (status: 400 | 409, message: string) => page(c, pick(locale, T.campaigns), action, <><h1>{pick(locale, id ? T.edit : T.newCampaign)}</h1><CampaignForm locale={locale} action={action} values={values} errors={errors} message={message} /></>, status);
  if (!input) return again(400, pick(locale, T.errForm));
  try {
    if (id) await updateCampaign(c.get('db'), org.id, id, input, c.get('deps').clock.now());
    else await createCampaign(c.get('db'), org.id, input);
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
      for (const e of (err.extra.errors as { path: string; message: string }[] | undefined) ?? []) errors[e.path === 'goal' ? 'goal' : e.path] = e.message;
      if (errors.slug && input.slug === GENERAL_GIVING_SLUG) {
        errors.slug = pick(locale, T.errSlugKept, { slug: GENERAL_GIVING_SLUG });
        return again(err.status, errors.slug);
      }
      return again(err.status, err.detail ?? pick(locale, T.errForm));
    }
    throw err;
  }
  return c.redirect(`/o/${org.slug}/campaigns`, 303);
}

givingPages.get('/o/:org/campaigns/new', requireOrgRole(CAMPAIGN_WRITE), (c) => {
  const locale = c.get('locale');
  const action = `/o/${c.get('org').slug}/campaigns/new`;
  return page(c, pick(locale, T.newCampaign), action, <><h1>{pick(locale, T.newCampaign)}</h1><CampaignForm locale={locale} action={action} values={{ currency: 'VND', status: 'draft', allowMonthly: '1' }} errors={{}} /></>);
});
givingPages.post('/o/:org/campaigns/new', requireOrgRole(CAMPAIGN_WRITE), (c) => saveCampaign(c, null));
givingPages.get(`/o/:org/campaigns/:id${UUID_PATH}/edit`, requireOrgRole(CAMPAIGN_WRITE), async (c) => {
  const locale = c.get('locale');
  const x = await getCampaign(c.get('db'), c.get('org').id, c.req.param('id'));
  const action = `/o/${c.get('org').slug}/campaigns/${x.id}/edit`;
  return page(c, x.title, action, <><h1>{x.title}</h1><CampaignForm locale={locale} action={action} values={campaignValues(x)} errors={{}} /></>);
});
givingPages.post(`/o/:org/campaigns/:id${UUID_PATH}/edit`, requireOrgRole(CAMPAIGN_WRITE), (c) => saveCampaign(c, c.req.param('id')));

