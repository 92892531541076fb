import { Hono, type Context } from 'hono';
import { orgPage as page, hasRole as can } from '../ui/org-page';
import { listDonorChoices } from '../donors/donors';
import { and, asc, desc, eq, ne } from 'drizzle-orm';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { ProblemError } from '../http/problem';
import { ADJUST_REASONS, cases, ITEM_CATEGORIES, ITEM_CONDITIONS, ITEM_UNITS, locations, VALUATION_SOURCES, type AdjustReason, type ItemCondition } from '../db/schema';
import type { Db } from '../db/types';
import { formatDate, formatMoney, formatNumber, pick, type Locale } from '../ui/i18n';
import { kickOutbox } from '../mail/kick';
import { parseAmount, vietnamDate } from '../giving/money';
import { DonorOptions, ErrorSummary, Field, str, type FieldErrors } from '../giving/ui';
import { INKIND_READ, INKIND_WRITE } from './api';
import { adjustStock, createItem, getInkindSettings, listItems, recordDistribution, recordIntake, transferStock, type Item } from './stock';
import { confirmCount, getCount, listCounts, recordCounted, startCount } from './counts';
import { byLocationAndCategory, flowReport, stockOnHand } from './reports';
import { CATEGORY_LABEL, CONDITION_LABEL, REASON_LABEL, SOURCE_LABEL, UNIT_LABEL } from './labels';
import { isDay } from '../lib/days';

const T = {
  title: { vi: 'Hiện vật', en: 'In-kind goods' },
  stock: { vi: 'Tồn kho', en: 'Stock on hand' },
  byCategory: { vi: 'Theo địa điểm và nhóm hàng', en: 'By location and category' },
  byItem: { vi: 'Theo hiện vật', en: 'By item' },
  intake: { vi: 'Tiếp nhận hiện vật', en: 'Record an in-kind gift' },
  transfer: { vi: 'Chuyển kho', en: 'Transfer between offices' },
  distribute: { vi: 'Cấp phát', en: 'Distribute' },
  adjust: { vi: 'Điều chỉnh (hư hỏng, hết hạn…)', en: 'Adjust (damaged, expired…)' },
  count: { vi: 'Kiểm kê', en: 'Stock count' },
  items: { vi: 'Danh mục hiện vật', en: 'Item catalogue' },
  location: { vi: 'Địa điểm', en: 'Location' },
  storeAt: { vi: 'Nhập vào kho', en: 'Store at' },
  from: { vi: 'Từ kho', en: 'From' },
  to: { vi: 'Đến kho', en: 'To' },
  category: { vi: 'Nhóm', en: 'Category' },
  item: { vi: 'Hiện vật', en: 'Item' },
  quantity: { vi: 'Số lượng', en: 'Quantity' },
  value: { vi: 'Giá trị', en: 'Value' },
  unitValue: { vi: 'Đơn giá (để trống: giá mặc định)', en: 'Unit value (blank: default)' },
  condition: { vi: 'Tình trạng', en: 'Condition' },
  donor: { vi: 'Nhà tài trợ', en: 'Donor' },
  noDonor: { vi: '(ẩn danh / không rõ)', en: '(anonymous / unknown)' },
  anonymous: { vi: 'Nhà tài trợ muốn ẩn danh', en: 'The donor gives anonymously' },
  date: { vi: 'Ngày', en: 'Date' },
  note: { vi: 'Ghi chú', en: 'Note' },
  ackValue: { vi: 'Thư cảm ơn có ghi giá trị?', en: 'State the value in the acknowledgement?' },
  ackDefault: { vi: 'Theo thiết lập của tổ chức', en: "Organisation's setting" },
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
  line: { vi: 'Dòng', en: 'Line' },
  addLine: { vi: 'Thêm dòng', en: 'Add a line' },
  save: { vi: 'Lưu', en: 'Save' },
  saved: { vi: 'Đã lưu.', en: 'Saved.' },
  errForm: { vi: 'Vui lòng sửa các ô được đánh dấu.', en: 'Please correct the marked fields.' },
  none: { vi: 'Chưa có hiện vật nào trong kho.', en: 'Nothing in stock.' },
  choose: { vi: '— chọn —', en: '— choose —' },
  kind: { vi: 'Cấp cho', en: 'Given to' },
  toCase: { vi: 'Một trẻ (theo mã hồ sơ)', en: "A child's case (by case code)" },
  toEvent: { vi: 'Một sự kiện / nhóm', en: 'A group event' },
  case: { vi: 'Mã hồ sơ', en: 'Case code' },
  eventName: { vi: 'Tên sự kiện', en: 'Event' },
  headcount: { vi: 'Số người nhận', en: 'Headcount' },
  place: { vi: 'Nơi tổ chức', en: 'Place' },
  reason: { vi: 'Lý do', en: 'Reason' },
  adjustHint: { vi: 'Số âm: xuất khỏi kho; số dương: bổ sung.', en: 'Negative: leaves stock; positive: added.' },
  report: { vi: 'Nhập – cấp phát – xuất hủy theo kỳ', en: 'Received, distributed and written off' },
  periodFrom: { vi: 'Từ ngày', en: 'From' },
  periodTo: { vi: 'Đến ngày', en: 'To' },
  show: { vi: 'Xem', en: 'Show' },
  csv: { vi: 'Tải CSV', en: 'Download CSV' },
  received: { vi: 'Nhập', en: 'Received' },
  distributed: { vi: 'Cấp phát', en: 'Distributed' },
  writtenOff: { vi: 'Xuất hủy', en: 'Written off' },
  total: { vi: 'Tổng', en: 'Total' },
  startCount: { vi: 'Bắt đầu kiểm kê', en: 'Start a count' },
  counts: { vi: 'Các lần kiểm kê', en: 'Counts' },
  expected: { vi: 'Sổ sách', en: 'On record' },
  counted: { vi: 'Thực đếm', en: 'Counted' },
  difference: { vi: 'Chênh lệch', en: 'Difference' },
  review: { vi: 'Lưu và xem đề xuất điều chỉnh', en: 'Save and review the adjustments' },
  proposal: { vi: 'Đề xuất điều chỉnh', en: 'Proposed adjustments' },
  noDiff: { vi: 'Không có chênh lệch.', en: 'No differences.' },
  confirm: { vi: 'Xác nhận và ghi điều chỉnh', en: 'Confirm and post the adjustments' },
  confirmed: { vi: 'Đã xác nhận kiểm kê.', en: 'Count confirmed.' },
  countRule: {
    vi: 'Nếu hàng trong kho thay đổi sau khi bắt đầu kiểm kê, hệ thống sẽ từ chối xác nhận: hãy kiểm kê lại.',
    en: 'If stock at this office moves after the count started, confirmation is refused: count again.',
  },
  status: { vi: 'Trạng thái', en: 'Status' },
  nameVi: { vi: 'Tên (tiếng Việt)', en: 'Name (Vietnamese)' },
  nameEn: { vi: 'Tên (tiếng Anh)', en: 'Name (English)' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  fairValue: { vi: 'Giá trị hợp lý / đơn vị (VND)', en: 'Fair value per unit (VND)' },
  source: { vi: 'Nguồn định giá', en: 'Valuation source' },
  addItem: { vi: 'Thêm hiện vật', en: 'Add an item' },
};
const STATUS = { open: { vi: 'Đang kiểm', en: 'Open' }, confirmed: { vi: 'Đã xác nhận', en: 'Confirmed' }, cancelled: { vi: 'Đã hủy', en: 'Cancelled' } };

export const inkindPages = new Hono<AppEnv>();

const itemLabel = (i: { nameVi: string; nameEn: string | null }, locale: Locale) => (locale === 'en' ? (i.nameEn ?? i.nameVi) : i.nameVi);
const today = (c: Context<AppEnv>) => vietnamDate(c.get('deps').clock.now());
const ctxOf = (c: Context<AppEnv>) => ({ now: c.get('deps').clock.now(), createdBy: c.get('principal')?.userId ?? null });
/** "lines.2.quantity" → "lines-2-quantity", the id of the field on the form. */
const fieldId = (path: string) => path.replace(/^(json|body)\./, '').replace(/\./g, '-');

async function offices(db: Db, orgId: string) {
  return db.select({ id: locations.id, name: locations.name }).from(locations).where(and(eq(locations.orgId, orgId), eq(locations.kind, 'office'))).orderBy(asc(locations.name));
}

function collectErrors(err: ProblemError, errors: FieldErrors) {
  for (const e of (err.extra.errors as { path: string; message: string }[] | undefined) ?? []) errors[fieldId(e.path)] = e.message;
}

// ---------- form lines ----------

interface LineValues {
  itemId: string;
  quantity: string;
  condition?: string;
  unitValue?: string;
}

function readLines(f: Record<string, unknown>): LineValues[] {
  const n = Math.min(Math.max(Number.parseInt(str(f.n, 4), 10) || 3, 1), 50);
  const out: LineValues[] = [];
  for (let i = 0; i < n; i++) out.push({ itemId: str(f[`item_${i}`], 40), quantity: str(f[`qty_${i}`], 20), condition: str(f[`cond_${i}`], 10), unitValue: str(f[`value_${i}`], 20) });
  if (str(f.more, 5)) out.push({ itemId: '', quantity: '', condition: 'new', unitValue: '' });
  return out;
}

/** Blank lines are ignored; a half-filled line is an error on that line. */
function usedLines(lines: LineValues[], errors: FieldErrors, locale: Locale, opts: { allowNegative?: boolean } = {}) {
  const used: { index: number; v: LineValues; quantity: number }[] = [];
  lines.forEach((v, i) => {
    if (!v.itemId && !v.quantity) return;
    const q = Number(v.quantity.replace(/[.\s]/g, ''));
    if (!v.itemId) errors[`lines-${i}-itemId`] = pick(locale, { vi: 'Chọn hiện vật', en: 'Choose an item' });
    if (!/^-?[\d.\s]+$/.test(v.quantity) || !Number.isInteger(q) || q === 0 || (!opts.allowNegative && q < 0)) errors[`lines-${i}-quantity`] = pick(locale, { vi: 'Nhập số nguyên lớn hơn 0', en: 'A whole number above 0' });
    used.push({ index: i, v, quantity: q });
  });
  if (used.length === 0) errors['lines-0-itemId'] = pick(locale, { vi: 'Thêm ít nhất một dòng', en: 'Add at least one line' });
  return used;
}

/** Maps errors on the n-th used line (as the domain saw them) back to the form line it came from. */
function remapLineErrors(errors: FieldErrors, used: { index: number }[]) {
  const moved: [string, string][] = [];
  for (const k of Object.keys(errors)) {
    const m = /^lines-(\d+)-(.+)$/.exec(k);
    const u = m ? used[Number(m[1])] : undefined;
    if (m && u) {
      moved.push([`lines-${u.index}-${m[2]}`, errors[k]!]);
      delete errors[k];
    }
  }
  for (const [k, msg] of moved) errors[k] = msg;
}

function LinesFieldset(props: { locale: Locale; items: Item[]; lines: LineValues[]; errors: FieldErrors; withCondition?: boolean; withValue?: boolean; signed?: boolean }) {
  const { locale, items, lines, errors } = props;
  return (
    <fieldset>
      <legend>{pick(locale, T.item)}</legend>
      <input type="hidden" name="n" value={String(lines.length)} />
      {lines.map((l, i) => (
        <div class="panel" data-line={String(i)}>
          <p class="muted small">
            {pick(locale, T.line)} {i + 1}
          </p>
          <Field id={`lines-${i}-itemId`} label={pick(locale, T.item)} errors={errors}>
            {(a) => (
              <select {...a} name={`item_${i}`}>
                <option value="">{pick(locale, T.choose)}</option>
                {items.map((it) => (
                  <option value={it.id} selected={l.itemId === it.id}>
                    {itemLabel(it, locale)} ({pick(locale, UNIT_LABEL[it.unit])})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={`lines-${i}-quantity`} label={pick(locale, T.quantity)} errors={errors} hint={props.signed ? pick(locale, T.adjustHint) : undefined}>
            {(a) => <input {...a} name={`qty_${i}`} inputmode={props.signed ? 'text' : 'numeric'} value={l.quantity} />}
          </Field>
          {props.withCondition ? (
            <Field id={`lines-${i}-condition`} label={pick(locale, T.condition)} errors={errors}>
              {(a) => (
                <select {...a} name={`cond_${i}`}>
                  {ITEM_CONDITIONS.map((cnd) => (
                    <option value={cnd} selected={(l.condition || 'new') === cnd}>
                      {pick(locale, CONDITION_LABEL[cnd])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {props.withValue ? (
            <Field id={`lines-${i}-unitValueMinor`} label={pick(locale, T.unitValue)} errors={errors}>
              {(a) => <input {...a} name={`value_${i}`} inputmode="numeric" value={l.unitValue ?? ''} />}
            </Field>
          ) : null}
        </div>
      ))}
      <button type="submit" name="more" value="1" class="secondary" formnovalidate>
        {pick(locale, T.addLine)}
      </button>
    </fieldset>
  );
}

function OfficeSelect(props: { id: string; name: string; label: string; list: { id: string; name: string }[]; value?: string; errors: FieldErrors }) {
  return (
    <Field id={props.id} label={props.label} errors={props.errors}>
      {(a) => (
        <select {...a} name={props.name}>
          <option value="">—</option>
          {props.list.map((o) => (
            <option value={o.id} selected={props.value === o.id}>
              {o.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

// ---------- stock page ----------

inkindPages.get('/o/:org/inkind', requireOrgRole(INKIND_READ), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const q = c.req.query();
  const lines = await stockOnHand(db, org.id);
  const roll = byLocationAndCategory(lines);
  const to = isDay(q.to) ? q.to : today(c);
  const from = isDay(q.from) ? q.from : `${to.slice(0, 4)}-01-01`;
  const flow = from <= to ? await flowReport(db, org.id, { from, to }) : null;
  const counts = await listCounts(db, org.id);
  const cur = org.baseCurrency;
  const base = `/o/${org.slug}/inkind`;
  return page(
    c,
    pick(locale, T.title),
    base,
    <>
      <h1>{pick(locale, T.title)}</h1>
      {q.saved ? (
        <p class="ok" role="status">
          {pick(locale, T.saved)}
        </p>
      ) : null}
      {can(c, INKIND_WRITE) ? (
        <p class="row-actions">
          <a class="button" href={`${base}/intake`}>
            {pick(locale, T.intake)}
          </a>
          <a class="button" href={`${base}/distribute`}>
            {pick(locale, T.distribute)}
          </a>
          <a class="button" href={`${base}/transfer`}>
            {pick(locale, T.transfer)}
          </a>
          <a class="button" href={`${base}/adjust`}>
            {pick(locale, T.adjust)}
          </a>
          <a class="button" href={`${base}/counts/new`}>
            {pick(locale, T.startCount)}
          </a>
          <a class="button" href={`${base}/items`}>
            {pick(locale, T.items)}
          </a>
        </p>
      ) : null}
      <h2>{pick(locale, T.stock)}</h2>
      {lines.length === 0 ? (
        <p>{pick(locale, T.none)}</p>
      ) : (
        <>
          <h3>{pick(locale, T.byCategory)}</h3>
          <StockTable
            name="by-category"
            locale={locale}
            what={T.category}
            rows={roll.map((r) => ({
              location: r.locationName,
              label: pick(locale, CATEGORY_LABEL[r.category]),
              quantity: formatNumber(r.quantity, locale),
              value: formatMoney(r.valueMinor, cur, locale),
            }))}
          />
          <h3>{pick(locale, T.byItem)}</h3>
          <StockTable
            name="by-item"
            locale={locale}
            what={T.item}
            rows={lines.map((l) => ({
              itemId: l.itemId,
              location: l.locationName,
              label: itemLabel(l, locale),
              quantity: `${formatNumber(l.quantity, locale)} ${pick(locale, UNIT_LABEL[l.unit])}`,
              value: formatMoney(l.valueMinor, l.currency, locale),
            }))}
          />
          <p>
            <a href={`/api/v1/orgs/${org.slug}/inkind/stock.csv?lang=${locale}`}>{pick(locale, T.csv)}</a>
          </p>
        </>
      )}
      <h2>{pick(locale, T.report)}</h2>
      <form method="get" class="row-actions" aria-label={pick(locale, T.report)}>
        <div>
          <label for="r-from">{pick(locale, T.periodFrom)}</label>
          <input id="r-from" name="from" type="date" value={from} />
        </div>
        <div>
          <label for="r-to">{pick(locale, T.periodTo)}</label>
          <input id="r-to" name="to" type="date" value={to} />
        </div>
        <button type="submit">{pick(locale, T.show)}</button>
      </form>
      {flow ? (
        <>
          <div class="table-wrap">
            <table class="cards-sm" data-table="flow">
              <thead>
                <tr>
                  <th>{pick(locale, T.item)}</th>
                  <th class="num">{pick(locale, T.received)}</th>
                  <th class="num">{pick(locale, T.distributed)}</th>
                  <th class="num">{pick(locale, T.writtenOff)}</th>
                </tr>
              </thead>
              <tbody>
                {flow.lines.map((l) => (
                  <tr>
                    <td data-label={pick(locale, T.item)}>{itemLabel(l, locale)}</td>
                    <td class="num" data-label={pick(locale, T.received)}>
                      {formatNumber(l.receivedQty, locale)} · {formatMoney(l.receivedValueMinor, l.currency, locale)}
                    </td>
                    <td class="num" data-label={pick(locale, T.distributed)}>
                      {formatNumber(l.distributedQty, locale)} · {formatMoney(l.distributedValueMinor, l.currency, locale)}
                    </td>
                    <td class="num" data-label={pick(locale, T.writtenOff)}>
                      {formatNumber(l.writtenOffQty, locale)} · {formatMoney(l.writtenOffValueMinor, l.currency, locale)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th>{pick(locale, T.total)}</th>
                  <td class="num" data-total="received" data-label={pick(locale, T.received)}>
                    {formatMoney(flow.totals.receivedValueMinor, cur, locale)}
                  </td>
                  <td class="num" data-total="distributed" data-label={pick(locale, T.distributed)}>
                    {formatMoney(flow.totals.distributedValueMinor, cur, locale)}
                  </td>
                  <td class="num" data-total="written-off" data-label={pick(locale, T.writtenOff)}>
                    {formatMoney(flow.totals.writtenOffValueMinor, cur, locale)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p>
            <a href={`/api/v1/orgs/${org.slug}/inkind/reports/flow?from=${from}&to=${to}&format=csv&lang=${locale}`}>{pick(locale, T.csv)}</a>
          </p>
        </>
      ) : (
        <p class="error" role="alert">
          {pick(locale, { vi: 'Ngày bắt đầu phải trước ngày kết thúc.', en: 'The start date must come before the end date.' })}
        </p>
      )}
      {counts.length ? (
        <>
          <h2>{pick(locale, T.counts)}</h2>
          <ul>
            {counts.slice(0, 10).map((k) => (
              <li>
                <a href={`${base}/counts/${k.id}`}>{formatDate(k.startedAt, locale)}</a> — {pick(locale, STATUS[k.status])}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>,
  );
});

// ---------- intake ----------

async function IntakeForm(props: { c: Context<AppEnv>; v: Record<string, string>; lines: LineValues[]; errors: FieldErrors; message?: string }) {
  const { c, v, errors } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const ds = await listDonorChoices(db, org.id);
  const items = await listItems(db, org.id, { activeOnly: true });
  const offs = await offices(db, org.id);
  return (
    <form method="post" action={`/o/${org.slug}/inkind/intake`} class="stack wide" novalidate>
      <ErrorSummary message={props.message} />
      <Field id="donorId" label={pick(locale, T.donor)} errors={errors}>
        {(a) => (
          <select {...a} name="donorId">
            <DonorOptions donors={ds} selected={v.donorId} noneLabel={pick(locale, T.noDonor)} />
          </select>
        )}
      </Field>
      <div class="check">
        <input type="checkbox" id="anonymous" name="anonymous" value="1" checked={v.anonymous === '1'} />
        <label for="anonymous">{pick(locale, T.anonymous)}</label>
      </div>
      <Field id="receivedOn" label={pick(locale, T.date)} errors={errors}>
        {(a) => <input {...a} name="receivedOn" type="date" value={v.receivedOn || today(c)} />}
      </Field>
      <OfficeSelect id="locationId" name="locationId" label={pick(locale, T.storeAt)} list={offs} value={v.locationId} errors={errors} />
      <Field id="ackStatesValue" label={pick(locale, T.ackValue)} errors={errors}>
        {(a) => (
          <select {...a} name="ackStatesValue">
            <option value="">{pick(locale, T.ackDefault)}</option>
            <option value="yes" selected={v.ackStatesValue === 'yes'}>
              {pick(locale, T.yes)}
            </option>
            <option value="no" selected={v.ackStatesValue === 'no'}>
              {pick(locale, T.no)}
            </option>
          </select>
        )}
      </Field>
      <LinesFieldset locale={locale} items={items} lines={props.lines} errors={errors} withCondition withValue />
      <Field id="note" label={pick(locale, T.note)} errors={errors}>
        {(a) => (
          <textarea {...a} name="note" rows={2}>
            {v.note ?? ''}
          </textarea>
        )}
      </Field>
      <button type="submit">{pick(locale, T.save)}</button>
    </form>
  );
}

const blankLines = (n = 3): LineValues[] => Array.from({ length: n }, () => ({ itemId: '', quantity: '', condition: 'new', unitValue: '' }));

inkindPages.get('/o/:org/inkind/intake', requireOrgRole(INKIND_WRITE), async (c) =>
  page(c, pick(c.get('locale'), T.intake), `/o/${c.get('org').slug}/inkind/intake`, <><h1>{pick(c.get('locale'), T.intake)}</h1>{await IntakeForm({ c, v: {}, lines: blankLines(), errors: {} })}</>),
);

inkindPages.post('/o/:org/inkind/intake', requireOrgRole(INKIND_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const f = await c.req.parseBody();
  const v: Record<string, string> = {};
  for (const k of ['donorId', 'anonymous', 'receivedOn', 'locationId', 'ackStatesValue', 'note']) v[k] = str(f[k], k === 'note' ? 2000 : 60);
  const lines = readLines(f);
  const errors: FieldErrors = {};
  const rerender = async (status: 200 | 400 | 409, message?: string) =>
    page(c, pick(locale, T.intake), `/o/${org.slug}/inkind/intake`, <><h1>{pick(locale, T.intake)}</h1>{await IntakeForm({ c, v, lines, errors, message })}</>, status);
  if (str(f.more, 5)) return rerender(200);
  const used = usedLines(lines, errors, locale);
  const values = used.map((u) => (u.v.unitValue ? parseAmount(u.v.unitValue, org.baseCurrency) : null));
  used.forEach((u, i) => {
    if (u.v.unitValue && (values[i] === null || values[i]! < 0n)) errors[`lines-${u.index}-unitValueMinor`] = pick(locale, { vi: 'Nhập số tiền hợp lệ', en: 'Enter a valid amount' });
  });
  if (Object.keys(errors).length) return rerender(400, pick(locale, T.errForm));
  try {
    await recordIntake(
      c.get('db'),
      org.id,
      {
        donorId: v.donorId || null,
        anonymous: v.anonymous === '1',
        receivedOn: v.receivedOn!,
        locationId: v.locationId!,
        ackStatesValue: v.ackStatesValue === 'yes' ? true : v.ackStatesValue === 'no' ? false : null,
        note: v.note || null,
        lines: used.map((u, i) => ({ itemId: u.v.itemId, quantity: u.quantity, condition: (ITEM_CONDITIONS as readonly string[]).includes(u.v.condition ?? '') ? (u.v.condition as ItemCondition) : 'new', unitValueMinor: values[i] ?? null })),
      },
      ctxOf(c),
    );
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
      collectErrors(err, errors);
      remapLineErrors(errors, used);
      return rerender(err.status, err.detail);
    }
    throw err;
  }
  kickOutbox(c);
  return c.redirect(`/o/${org.slug}/inkind?saved=1`, 303);
});

// ---------- transfer and adjustment ----------

async function MoveForm(props: { c: Context<AppEnv>; mode: 'transfer' | 'adjust'; v: Record<string, string>; lines: LineValues[]; errors: FieldErrors; message?: string }) {
  const { c, v, errors, mode } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const items = await listItems(c.get('db'), org.id, { activeOnly: true });
  const offs = await offices(c.get('db'), org.id);
  return (
    <form method="post" action={`/o/${org.slug}/inkind/${mode}`} class="stack wide" novalidate>
      <ErrorSummary message={props.message} />
      {mode === 'transfer' ? (
        <>
          <OfficeSelect id="fromLocationId" name="fromLocationId" label={pick(locale, T.from)} list={offs} value={v.fromLocationId} errors={errors} />
          <OfficeSelect id="toLocationId" name="toLocationId" label={pick(locale, T.to)} list={offs} value={v.toLocationId} errors={errors} />
        </>
      ) : (
        <>
          <OfficeSelect id="locationId" name="locationId" label={pick(locale, T.location)} list={offs} value={v.locationId} errors={errors} />
          <Field id="reason" label={pick(locale, T.reason)} errors={errors}>
            {(a) => (
              <select {...a} name="reason">
                <option value="">{pick(locale, T.choose)}</option>
                {ADJUST_REASONS.map((r) => (
                  <option value={r} selected={v.reason === r}>
                    {pick(locale, REASON_LABEL[r])}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
      <Field id="on" label={pick(locale, T.date)} errors={errors}>
        {(a) => <input {...a} name="on" type="date" value={v.on || today(c)} />}
      </Field>
      <LinesFieldset locale={locale} items={items} lines={props.lines} errors={errors} signed={mode === 'adjust'} />
      <Field id="note" label={pick(locale, T.note)} errors={errors}>
        {(a) => (
          <textarea {...a} name="note" rows={2}>
            {v.note ?? ''}
          </textarea>
        )}
      </Field>
      <button type="submit">{pick(locale, T.save)}</button>
    </form>
  );
}

for (const mode of ['transfer', 'adjust'] as const) {
  const title = mode === 'transfer' ? T.transfer : T.adjust;
  inkindPages.get(`/o/:org/inkind/${mode}`, requireOrgRole(INKIND_WRITE), async (c) =>
    page(c, pick(c.get('locale'), title), `/o/${c.get('org').slug}/inkind/${mode}`, <><h1>{pick(c.get('locale'), title)}</h1>{await MoveForm({ c, mode, v: {}, lines: blankLines(), errors: {} })}</>),
  );
  inkindPages.post(`/o/:org/inkind/${mode}`, requireOrgRole(INKIND_WRITE), async (c) => {
    const locale = c.get('locale');
    const org = c.get('org');
    const f = await c.req.parseBody();
    const v: Record<string, string> = {};
    for (const k of ['fromLocationId', 'toLocationId', 'locationId', 'reason', 'on', 'note']) v[k] = str(f[k], k === 'note' ? 2000 : 60);
    const lines = readLines(f);
    const errors: FieldErrors = {};
    const rerender = async (status: 200 | 400 | 409, message?: string) =>
      page(c, pick(locale, title), `/o/${org.slug}/inkind/${mode}`, <><h1>{pick(locale, title)}</h1>{await MoveForm({ c, mode, v, lines, errors, message })}</>, status);
    if (str(f.more, 5)) return rerender(200);
    const used = usedLines(lines, errors, locale, { allowNegative: mode === 'adjust' });
    if (mode === 'adjust' && !(ADJUST_REASONS as readonly string[]).includes(v.reason ?? '')) errors.reason = pick(locale, { vi: 'Chọn lý do', en: 'Choose a reason' });
    if (Object.keys(errors).length) return rerender(400, pick(locale, T.errForm));
    const qtyLines = used.map((u) => ({ itemId: u.v.itemId, quantity: u.quantity }));
    try {
      if (mode === 'transfer') await transferStock(c.get('db'), org.id, { fromLocationId: v.fromLocationId!, toLocationId: v.toLocationId!, on: v.on!, note: v.note || null, lines: qtyLines }, ctxOf(c));
      else await adjustStock(c.get('db'), org.id, { locationId: v.locationId!, on: v.on!, reason: v.reason as AdjustReason, note: v.note || null, lines: qtyLines }, ctxOf(c));
    } catch (err) {
      if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
        collectErrors(err, errors);
        remapLineErrors(errors, used);
        return rerender(err.status, err.detail);
      }
      throw err;
    }
    return c.redirect(`/o/${org.slug}/inkind?saved=1`, 303);
  });
}

// ---------- distribution ----------

async function DistributeForm(props: { c: Context<AppEnv>; v: Record<string, string>; lines: LineValues[]; errors: FieldErrors; message?: string }) {
  const { c, v, errors } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const items = await listItems(db, org.id, { activeOnly: true });
  const offs = await offices(db, org.id);
  // Case codes only: nothing that identifies a child.
  const open = await db.select({ id: cases.id, code: cases.code }).from(cases).where(and(eq(cases.orgId, org.id), ne(cases.status, 'closed'))).orderBy(desc(cases.code)).limit(1000);
  const places = await db.select({ id: locations.id, name: locations.name }).from(locations).where(eq(locations.orgId, org.id)).orderBy(asc(locations.path));
  return (
    <form method="post" action={`/o/${org.slug}/inkind/distribute`} class="stack wide" novalidate>
      <ErrorSummary message={props.message} />
      <fieldset>
        <legend>{pick(locale, T.kind)}</legend>
        <div class="check">
          <input type="radio" id="kind-event" name="kind" value="event" checked={(v.kind || 'event') === 'event'} />
          <label for="kind-event">{pick(locale, T.toEvent)}</label>
        </div>
        <div class="check">
          <input type="radio" id="kind-case" name="kind" value="case" checked={v.kind === 'case'} />
          <label for="kind-case">{pick(locale, T.toCase)}</label>
        </div>
      </fieldset>
      <OfficeSelect id="locationId" name="locationId" label={pick(locale, T.from)} list={offs} value={v.locationId} errors={errors} />
      <Field id="distributedOn" label={pick(locale, T.date)} errors={errors}>
        {(a) => <input {...a} name="distributedOn" type="date" value={v.distributedOn || today(c)} />}
      </Field>
      <Field id="caseId" label={pick(locale, T.case)} errors={errors}>
        {(a) => (
          <select {...a} name="caseId">
            <option value="">—</option>
            {open.map((k) => (
              <option value={k.id} selected={v.caseId === k.id}>
                {k.code}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="eventName" label={pick(locale, T.eventName)} errors={errors}>
        {(a) => <input {...a} name="eventName" value={v.eventName ?? ''} />}
      </Field>
      <Field id="headcount" label={pick(locale, T.headcount)} errors={errors}>
        {(a) => <input {...a} name="headcount" inputmode="numeric" value={v.headcount ?? ''} />}
      </Field>
      <Field id="placeLocationId" label={pick(locale, T.place)} errors={errors}>
        {(a) => (
          <select {...a} name="placeLocationId">
            <option value="">—</option>
            {places.map((p) => (
              <option value={p.id} selected={v.placeLocationId === p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="place" label={pick(locale, { vi: 'Địa điểm cụ thể (trường, nhà văn hóa…)', en: 'Venue (school, community hall…)' })} errors={errors}>
        {(a) => <input {...a} name="place" value={v.place ?? ''} />}
      </Field>
      <LinesFieldset locale={locale} items={items} lines={props.lines} errors={errors} />
      <Field id="note" label={pick(locale, T.note)} errors={errors}>
        {(a) => (
          <textarea {...a} name="note" rows={2}>
            {v.note ?? ''}
          </textarea>
        )}
      </Field>
      <button type="submit">{pick(locale, T.save)}</button>
    </form>
  );
}

inkindPages.get('/o/:org/inkind/distribute', requireOrgRole(INKIND_WRITE), async (c) =>
  page(c, pick(c.get('locale'), T.distribute), `/o/${c.get('org').slug}/inkind/distribute`, <><h1>{pick(c.get('locale'), T.distribute)}</h1>{await DistributeForm({ c, v: {}, lines: blankLines(), errors: {} })}</>),
);

inkindPages.post('/o/:org/inkind/distribute', requireOrgRole(INKIND_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const f = await c.req.parseBody();
  const v: Record<string, string> = {};
  for (const k of ['kind', 'locationId', 'distributedOn', 'caseId', 'eventName', 'headcount', 'placeLocationId', 'place', 'note']) v[k] = str(f[k], k === 'note' ? 2000 : 200);
  const lines = readLines(f);
  const errors: FieldErrors = {};
  const rerender = async (status: 200 | 400 | 409, message?: string) =>
    page(c, pick(locale, T.distribute), `/o/${org.slug}/inkind/distribute`, <><h1>{pick(locale, T.distribute)}</h1>{await DistributeForm({ c, v, lines, errors, message })}</>, status);
  if (str(f.more, 5)) return rerender(200);
  const used = usedLines(lines, errors, locale);
  const kind = v.kind === 'case' ? 'case' : 'event';
  const headcount = v.headcount ? Number(v.headcount.replace(/[.\s]/g, '')) : null;
  if (kind === 'event' && (headcount === null || !Number.isInteger(headcount) || headcount < 1)) errors.headcount = pick(locale, { vi: 'Nhập số người nhận', en: 'Enter the headcount' });
  if (Object.keys(errors).length) return rerender(400, pick(locale, T.errForm));
  try {
    await recordDistribution(
      c.get('db'),
      org.id,
      {
        kind,
        locationId: v.locationId!,
        distributedOn: v.distributedOn!,
        caseId: kind === 'case' ? v.caseId || null : null,
        eventName: kind === 'event' ? v.eventName || null : null,
        headcount: kind === 'event' ? headcount : null,
        placeLocationId: kind === 'event' ? v.placeLocationId || null : null,
        place: kind === 'event' ? v.place || null : null,
        note: v.note || null,
        lines: used.map((u) => ({ itemId: u.v.itemId, quantity: u.quantity })),
      },
      ctxOf(c),
    );
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
      collectErrors(err, errors);
      remapLineErrors(errors, used);
      return rerender(err.status, err.detail);
    }
    throw err;
  }
  return c.redirect(`/o/${org.slug}/inkind?saved=1`, 303);
});

// ---------- counts ----------

inkindPages.get('/o/:org/inkind/counts/new', requireOrgRole(INKIND_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const offs = await offices(c.get('db'), org.id);
  return page(
    c,
    pick(locale, T.startCount),
    `/o/${org.slug}/inkind/counts/new`,
    <>
      <h1>{pick(locale, T.startCount)}</h1>
      <p class="muted">{pick(locale, T.countRule)}</p>
      <form method="post" action={`/o/${org.slug}/inkind/counts`} class="stack" novalidate>
        <OfficeSelect id="locationId" name="locationId" label={pick(locale, T.location)} list={offs} errors={{}} />
        <button type="submit">{pick(locale, T.startCount)}</button>
      </form>
    </>,
  );
});

inkindPages.post('/o/:org/inkind/counts', requireOrgRole(INKIND_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const f = await c.req.parseBody();
  const locationId = str(f.locationId, 60);
  try {
    const count = await startCount(c.get('db'), org.id, { locationId }, ctxOf(c));
    return c.redirect(`/o/${org.slug}/inkind/counts/${count.id}`, 303);
  } catch (err) {
    if (!(err instanceof ProblemError && err.status === 400)) throw err;
    const errors: FieldErrors = {};
    collectErrors(err, errors);
    const offs = await offices(c.get('db'), org.id);
    return page(
      c,
      pick(locale, T.startCount),
      `/o/${org.slug}/inkind/counts/new`,
      <>
        <h1>{pick(locale, T.startCount)}</h1>
        <form method="post" action={`/o/${org.slug}/inkind/counts`} class="stack" novalidate>
          <ErrorSummary message={pick(locale, T.errForm)} />
          <OfficeSelect id="locationId" name="locationId" label={pick(locale, T.location)} list={offs} value={locationId} errors={errors} />
          <button type="submit">{pick(locale, T.startCount)}</button>
        </form>
      </>,
      400,
    );
  }
});

async function CountSheet(c: Context<AppEnv>, countId: string, opts: { errors?: FieldErrors; message?: string; values?: Record<string, string> } = {}) {
  const locale = c.get('locale');
  const org = c.get('org');
  const r = await getCount(c.get('db'), org.id, countId);
  const [loc] = await c.get('db').select({ name: locations.name }).from(locations).where(eq(locations.id, r.count.locationId));
  const errors = opts.errors ?? {};
  const writable = r.count.status === 'open' && can(c, INKIND_WRITE);
  const base = `/o/${org.slug}/inkind/counts/${r.count.id}`;
  return (
    <>
      <h1>
        {pick(locale, T.count)}: {loc?.name}
      </h1>
      <p>
        {formatDate(r.count.startedAt, locale)} — <strong data-status={r.count.status}>{pick(locale, STATUS[r.count.status])}</strong>
      </p>
      <p class="muted">{pick(locale, T.countRule)}</p>
      <ErrorSummary message={opts.message} />
      <form method="post" action={base} class="stack wide" novalidate>
        <div class="table-wrap">
          <table class="cards-sm">
            <thead>
              <tr>
                <th>{pick(locale, T.item)}</th>
                <th class="num">{pick(locale, T.expected)}</th>
                <th class="num">{pick(locale, T.counted)}</th>
              </tr>
            </thead>
            <tbody>
              {r.lines.map((l, i) => (
                <tr>
                  <td data-label={pick(locale, T.item)}>
                    {itemLabel(l, locale)} ({pick(locale, UNIT_LABEL[l.unit])})
                  </td>
                  <td class="num" data-label={pick(locale, T.expected)}>
                    {formatNumber(l.expectedQuantity, locale)}
                  </td>
                  <td class="num" data-label={pick(locale, T.counted)}>
                    <input type="hidden" name={`item_${i}`} value={l.itemId} />
                    <label class="sr-only" for={`lines-${i}-countedQuantity`}>
                      {pick(locale, T.counted)}: {itemLabel(l, locale)}
                    </label>
                    <input
                      id={`lines-${i}-countedQuantity`}
                      name={`qty_${i}`}
                      inputmode="numeric"
                      disabled={!writable}
                      value={opts.values?.[`qty_${i}`] ?? (l.countedQuantity === null ? '' : String(l.countedQuantity))}
                      {...(errors[`lines-${i}-countedQuantity`] ? { 'aria-invalid': 'true' } : {})}
                    />
                    {errors[`lines-${i}-countedQuantity`] ? <div class="field-error">{errors[`lines-${i}-countedQuantity`]}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <input type="hidden" name="n" value={String(r.lines.length)} />
        {writable ? <button type="submit">{pick(locale, T.review)}</button> : null}
      </form>
      <h2>{pick(locale, T.proposal)}</h2>
      {r.proposal.length === 0 ? (
        <p>{pick(locale, T.noDiff)}</p>
      ) : (
        <ul data-proposal>
          {r.proposal.map((p) => (
            <li>
              {itemLabel(p, locale)}: {p.difference > 0 ? '+' : ''}
              {formatNumber(p.difference, locale)} {pick(locale, UNIT_LABEL[p.unit])}
            </li>
          ))}
        </ul>
      )}
      {writable && r.complete ? (
        <form method="post" action={`${base}/confirm`}>
          <button type="submit">{pick(locale, T.confirm)}</button>
        </form>
      ) : null}
    </>
  );
}

inkindPages.get('/o/:org/inkind/counts/:id', requireOrgRole(INKIND_READ), async (c) => {
  const locale = c.get('locale');
  const body = await CountSheet(c, c.req.param('id'));
  return page(c, pick(locale, T.count), `/o/${c.get('org').slug}/inkind/counts/${c.req.param('id')}`, <>{c.req.query('confirmed') ? <p class="ok" role="status">{pick(locale, T.confirmed)}</p> : null}{body}</>);
});

inkindPages.post('/o/:org/inkind/counts/:id', requireOrgRole(INKIND_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const id = c.req.param('id');
  const f = await c.req.parseBody();
  const n = Math.min(Math.max(Number.parseInt(str(f.n, 5), 10) || 0, 0), 500);
  const values: Record<string, string> = {};
  const lines: { itemId: string; countedQuantity: number }[] = [];
  const errors: FieldErrors = {};
  for (let i = 0; i < n; i++) {
    const raw = str(f[`qty_${i}`], 20).trim();
    values[`qty_${i}`] = raw;
    if (raw === '') continue;
    const q = Number(raw.replace(/[.\s]/g, ''));
    if (!/^[\d.\s]+$/.test(raw) || !Number.isInteger(q)) errors[`lines-${i}-countedQuantity`] = pick(locale, { vi: 'Số nguyên, từ 0 trở lên', en: 'A whole number, 0 or more' });
    else lines.push({ itemId: str(f[`item_${i}`], 40), countedQuantity: q });
  }
  const rerender = async (status: 400 | 409, message: string) => page(c, pick(locale, T.count), `/o/${org.slug}/inkind/counts/${id}`, await CountSheet(c, id, { errors, message, values }), status);
  if (Object.keys(errors).length) return rerender(400, pick(locale, T.errForm));
  if (lines.length === 0) return c.redirect(`/o/${org.slug}/inkind/counts/${id}`, 303);
  try {
    await recordCounted(c.get('db'), org.id, id, lines);
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) return rerender(err.status, err.detail ?? pick(locale, T.errForm));
    throw err;
  }
  return c.redirect(`/o/${org.slug}/inkind/counts/${id}`, 303);
});

inkindPages.post('/o/:org/inkind/counts/:id/confirm', requireOrgRole(INKIND_WRITE), async (c) => {
  const org = c.get('org');
  const id = c.req.param('id');
  try {
    await confirmCount(c.get('db'), org.id, id, ctxOf(c));
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
      return page(c, pick(c.get('locale'), T.count), `/o/${org.slug}/inkind/counts/${id}`, await CountSheet(c, id, { message: err.detail }), err.status);
    }
    throw err;
  }
  return c.redirect(`/o/${org.slug}/inkind/counts/${id}?confirmed=1`, 303);
});

// ---------- catalogue ----------

async function ItemsPage(c: Context<AppEnv>, opts: { v?: Record<string, string>; errors?: FieldErrors; message?: string } = {}) {
  const locale = c.get('locale');
  const org = c.get('org');
  const items = await listItems(c.get('db'), org.id);
  const settings = await getInkindSettings(c.get('db'), org.id);
  const v = opts.v ?? {};
  const errors = opts.errors ?? {};
  return (
    <>
      <h1>{pick(locale, T.items)}</h1>
      <p class="muted">
        {pick(locale, T.ackValue)} {pick(locale, settings.ackStatesValue ? T.yes : T.no)}
      </p>
      <div class="table-wrap">
        <table class="cards-sm">
          <thead>
            <tr>
              <th>{pick(locale, T.item)}</th>
              <th>{pick(locale, T.category)}</th>
              <th>{pick(locale, T.unit)}</th>
              <th class="num">{pick(locale, T.fairValue)}</th>
              <th>{pick(locale, T.source)}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr>
                <td data-label={pick(locale, T.item)}>{itemLabel(i, locale)}</td>
                <td data-label={pick(locale, T.category)}>{pick(locale, CATEGORY_LABEL[i.category])}</td>
                <td data-label={pick(locale, T.unit)}>{pick(locale, UNIT_LABEL[i.unit])}</td>
                <td class="num" data-label={pick(locale, T.fairValue)}>
                  {formatMoney(i.unitValueMinor, i.currency, locale)}
                </td>
                <td data-label={pick(locale, T.source)}>{pick(locale, SOURCE_LABEL[i.valuationSource])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {can(c, INKIND_WRITE) ? (
        <>
          <h2>{pick(locale, T.addItem)}</h2>
          <form method="post" action={`/o/${org.slug}/inkind/items`} class="stack" novalidate>
            <ErrorSummary message={opts.message} />
            <Field id="nameVi" label={pick(locale, T.nameVi)} errors={errors}>
              {(a) => <input {...a} name="nameVi" value={v.nameVi ?? ''} />}
            </Field>
            <Field id="nameEn" label={pick(locale, T.nameEn)} errors={errors}>
              {(a) => <input {...a} name="nameEn" value={v.nameEn ?? ''} />}
            </Field>
            <Field id="category" label={pick(locale, T.category)} errors={errors}>
              {(a) => (
                <select {...a} name="category">
                  {ITEM_CATEGORIES.map((k) => (
                    <option value={k} selected={v.category === k}>
                      {pick(locale, CATEGORY_LABEL[k])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="unit" label={pick(locale, T.unit)} errors={errors}>
              {(a) => (
                <select {...a} name="unit">
                  {ITEM_UNITS.map((k) => (
                    <option value={k} selected={v.unit === k}>
                      {pick(locale, UNIT_LABEL[k])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="unitValueMinor" label={pick(locale, T.fairValue)} errors={errors}>
              {(a) => <input {...a} name="unitValue" inputmode="numeric" value={v.unitValue ?? ''} />}
            </Field>
            <Field id="valuationSource" label={pick(locale, T.source)} errors={errors}>
              {(a) => (
                <select {...a} name="valuationSource">
                  {VALUATION_SOURCES.map((k) => (
                    <option value={k} selected={(v.valuationSource ?? 'none') === k}>
                      {pick(locale, SOURCE_LABEL[k])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit">{pick(locale, T.addItem)}</button>
          </form>
        </>
      ) : null}
    </>
  );
}

inkindPages.get('/o/:org/inkind/items', requireOrgRole(INKIND_READ), async (c) => page(c, pick(c.get('locale'), T.items), `/o/${c.get('org').slug}/inkind/items`, await ItemsPage(c)));

inkindPages.post('/o/:org/inkind/items', requireOrgRole(INKIND_WRITE), async (c) => {
  const locale = c.get('locale');
  const org = c.get('org');
  const f = await c.req.parseBody();
  const v: Record<string, string> = {};
  for (const k of ['nameVi', 'nameEn', 'category', 'unit', 'unitValue', 'valuationSource']) v[k] = str(f[k], 200);
  const errors: FieldErrors = {};
  if (!v.nameVi?.trim()) errors.nameVi = pick(locale, { vi: 'Nhập tên', en: 'Enter a name' });
  if (!(ITEM_CATEGORIES as readonly string[]).includes(v.category ?? '')) errors.category = pick(locale, T.choose);
  if (!(ITEM_UNITS as readonly string[]).includes(v.unit ?? '')) errors.unit = pick(locale, T.choose);
  if (!(VALUATION_SOURCES as readonly string[]).includes(v.valuationSource ?? '')) errors.valuationSource = pick(locale, T.choose);
  const value = v.unitValue ? parseAmount(v.unitValue, org.baseCurrency) : 0n;
  if (value === null || value < 0n) errors.unitValueMinor = pick(locale, { vi: 'Nhập số tiền hợp lệ', en: 'Enter a valid amount' });
  const rerender = async (status: 400 | 409, message: string) => page(c, pick(locale, T.items), `/o/${org.slug}/inkind/items`, await ItemsPage(c, { v, errors, message }), status);
  if (Object.keys(errors).length) return rerender(400, pick(locale, T.errForm));
  try {
    await createItem(c.get('db'), org.id, {
      nameVi: v.nameVi!,
      nameEn: v.nameEn || null,
      category: v.category as Item['category'],
      unit: v.unit as Item['unit'],
      unitValueMinor: value!,
      valuationSource: v.valuationSource as Item['valuationSource'],
    });
  } catch (err) {
    if (err instanceof ProblemError && (err.status === 400 || err.status === 409)) {
      collectErrors(err, errors);
      return rerender(err.status, err.detail ?? pick(locale, T.errForm));
    }
    throw err;
  }
  return c.redirect(`/o/${org.slug}/inkind/items`, 303);
});

/** One stock table (by category or by item): office, what, quantity, value; cards on a phone. */
function StockTable(props: {
  name: string;
  locale: Locale;
  what: { vi: string; en: string };
  rows: { itemId?: string; location: string; label: string; quantity: string; value: string }[];
}) {
  const { locale } = props;
  return (
    <div class="table-wrap">
      <table class="cards-sm" data-table={props.name}>
        <thead>
          <tr>
            <th>{pick(locale, T.location)}</th>
            <th>{pick(locale, props.what)}</th>
            <th class="num">{pick(locale, T.quantity)}</th>
            <th class="num">{pick(locale, T.value)}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr data-item={r.itemId}>
              <td data-label={pick(locale, T.location)}>{r.location}</td>
              <td data-label={pick(locale, props.what)}>{r.label}</td>
              <td class="num" data-label={pick(locale, T.quantity)}>
                {r.quantity}
              </td>
              <td class="num" data-label={pick(locale, T.value)}>
                {r.value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
