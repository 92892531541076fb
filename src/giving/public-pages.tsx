import { LIMITS, rateLimit } from '../http/rate-limit';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env';
import { Layout } from '../ui/layout';
import { formatDate, formatMoney, formatNumber, pick, publicCount, type Locale, localized } from '../ui/i18n';
import { ProblemError } from '../http/problem';
import { campaignProgress, publicCampaignList, type Campaign } from './campaigns';
import { getCheckout } from './checkout';
import { CURRENCY_CODES, isCurrency, parseAmount } from './money';
import { bankTransferDetails, findGivingTarget, GENERAL_GIVING_SLUG, startCardGift, targetAllowsMonthly, targetCurrency, targetOpen, targetPath, targetPresets, type GivingTarget } from './give';
import { ErrorSummary, Field, str, type FieldErrors } from './ui';
import { raw } from 'hono/html';
import { campaignPackageImpact } from '../packages/drives';
import { isSmallCount } from '../reports/suppression';
import { pageCentreFigures, type CampaignCardFigures, type PublicFigure, type PublicFigures } from '../reports/public-figures';
import { isUuid } from '../lib/ids';

const T = {
  raised: { vi: 'Đã quyên góp', en: 'Raised' },
  goal: { vi: 'Mục tiêu', en: 'Goal' },
  donors: { vi: 'nhà hảo tâm', en: 'donors' },
  recent: { vi: 'Ủng hộ gần đây', en: 'Recent gifts' },
  noneYet: { vi: 'Chưa có khoản ủng hộ nào. Hãy là người đầu tiên!', en: 'No gifts yet. Be the first!' },
  give: { vi: 'Ủng hộ bằng thẻ', en: 'Give by card' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  other: { vi: 'Số khác', en: 'Other amount' },
  otherHint: { vi: 'Để trống nếu chọn một mức ở trên.', en: 'Leave empty if you picked an amount above.' },
  currency: { vi: 'Loại tiền', en: 'Currency' },
  frequency: { vi: 'Tần suất', en: 'Frequency' },
  once: { vi: 'Một lần', en: 'One time' },
  monthly: { vi: 'Hằng tháng', en: 'Monthly' },
  name: { vi: 'Họ tên', en: 'Your name' },
  email: { vi: 'Email (để nhận biên nhận)', en: 'Email (for your receipt)' },
  anonymous: { vi: 'Ủng hộ ẩn danh (không hiện tên trên trang này)', en: 'Give anonymously (no name on this page)' },
  consent: { vi: 'Tôi đồng ý nhận thư về kết quả chương trình', en: 'Send me news about what the gifts achieved' },
  pay: { vi: 'Tiếp tục thanh toán', en: 'Continue to payment' },
  notConfigured: {
    vi: 'Thanh toán thẻ trực tuyến chưa được cấu hình. Bạn có thể ủng hộ bằng chuyển khoản ngân hàng bên dưới.',
    en: 'Online card payment is not configured. You can give by bank transfer below.',
  },
  bank: { vi: 'Chuyển khoản ngân hàng (VietQR)', en: 'Bank transfer (VietQR)' },
  bankIntro: {
    vi: 'Nhận mã chuyển khoản riêng của bạn: ghi mã này trong nội dung chuyển khoản để chúng tôi ghi nhận đúng khoản ủng hộ.',
    en: 'Get your own transfer reference: put it in the transfer note so we can record your gift.',
  },
  bankAmount: { vi: 'Số tiền (đồng, không bắt buộc)', en: 'Amount in đồng (optional)' },
  getQr: { vi: 'Lấy mã QR chuyển khoản', en: 'Get the transfer QR code' },
  scan: { vi: 'Quét mã bằng ứng dụng ngân hàng, hoặc chuyển khoản với thông tin:', en: 'Scan with your banking app, or transfer with these details:' },
  bankName: { vi: 'Ngân hàng', en: 'Bank' },
  accountNo: { vi: 'Số tài khoản', en: 'Account number' },
  accountName: { vi: 'Chủ tài khoản', en: 'Account name' },
  note: { vi: 'Nội dung chuyển khoản', en: 'Transfer note' },
  noBank: { vi: 'Tổ chức chưa khai báo tài khoản ngân hàng.', en: 'The organisation has not set up a bank account yet.' },
  cancelled: { vi: 'Bạn đã huỷ thanh toán. Chưa có khoản tiền nào được ghi nhận.', en: 'You cancelled the payment. Nothing was charged.' },
  thanks: { vi: 'Cảm ơn tấm lòng của bạn!', en: 'Thank you for your gift!' },
  received: { vi: 'Chúng tôi đã nhận khoản ủng hộ. Biên nhận đã được gửi tới email của bạn.', en: 'We have received your gift. Your receipt is on its way to your email.' },
  waiting: { vi: 'Đang chờ xác nhận từ dịch vụ thanh toán… Trang sẽ tự tải lại.', en: 'Waiting for the payment service to confirm… This page reloads by itself.' },
  failed: { vi: 'Thanh toán không thành công. Chưa có khoản tiền nào được ghi nhận.', en: 'The payment did not go through. Nothing was charged.' },
  back: { vi: 'Quay lại chương trình', en: 'Back to the campaign' },
  backCentre: { vi: 'Quay lại trang của trung tâm', en: "Back to the centre's page" },
  generalTitle: { vi: 'Ủng hộ {org}', en: 'Give to {org}' },
  generalIntro: {
    vi: 'Khoản ủng hộ không gắn với chương trình nào sẽ vào quỹ chung của trung tâm, để dùng cho nơi cần nhất: suất quà, hỗ trợ khẩn cấp và chăm sóc trẻ em có hoàn cảnh đặc biệt. Mỗi đồng đều được ghi sổ và báo cáo.',
    en: "A gift that is not for a particular campaign goes to the centre's general fund, used where the need is greatest: gift packages, emergency help and care for children in special circumstances. Every đồng is booked and reported.",
  },
  giveGeneral: { vi: 'Ủng hộ trung tâm', en: 'Give to the centre' },
  giveGeneralButton: { vi: 'Ủng hộ quỹ chung', en: 'Give to the general fund' },
  giveGeneralLead: {
    vi: 'Muốn giúp ở nơi cần nhất, không theo một chương trình riêng? Khoản ủng hộ vào quỹ chung, một lần hoặc hằng tháng, bằng thẻ hoặc chuyển khoản.',
    en: 'Want to help where the need is greatest, not through one campaign? Give to the general fund, once or monthly, by card or bank transfer.',
  },
  packages: { vi: 'Suất quà', en: 'Gift packages' },
  packagesLead: { vi: 'Mỗi suất quà được trao cho một em cụ thể mà trung tâm đang hỗ trợ.', en: 'Each package goes to a particular child the centre supports.' },
  handedOver: { vi: 'Đã trao tận tay {n} suất quà.', en: '{n} gift packages handed over.' },
  childrenReached: { vi: '{n} trẻ em đã nhận quà.', en: '{n} children have received one.' },
  driveCounts: { vi: '{funded}/{target} suất đã có người ủng hộ · {delivered} suất đã trao', en: '{funded}/{target} packages funded · {delivered} handed over' },
  each: { vi: 'mỗi suất', en: 'each' },
  complementNote: { vi: '* Ẩn để không suy ra được một số dưới 5 từ tổng.', en: '* Hidden so that a number under 5 cannot be worked out from the total.' },
  fundPackages: { vi: 'Ủng hộ suất quà', en: 'Fund packages' },
  seeDrive: { vi: 'Xem đợt quà', en: 'See the drive' },
  yearSoFar: { vi: 'Năm {year} đến nay', en: '{year} so far' },
  figuresNote: {
    vi: 'Số liệu tính từ sổ sách hằng ngày của trung tâm, theo cùng định nghĩa với báo cáo gửi nhà tài trợ, từ {from} đến {to}. Số người dưới 5 không được hiển thị để bảo vệ trẻ em.',
    en: "Figures from the centre's day-to-day records, with the same definitions as its reports to funders, from {from} to {to}. A number of people under 5 is not shown, to protect the children.",
  },
  nowRunning: { vi: 'Chương trình đang vận động', en: 'Campaigns running now' },
  noneRunning: { vi: 'Hiện chưa có chương trình nào đang vận động.', en: 'No campaign is running at the moment.' },
  pastCampaigns: { vi: 'Chương trình đã kết thúc', en: 'Past campaigns' },
  giveTo: { vi: 'Xem và ủng hộ', en: 'See and give' },
  see: { vi: 'Xem kết quả', en: 'See the result' },
  portal: { vi: 'Bạn đã ủng hộ? Xem các khoản đóng góp và biên nhận của bạn', en: 'Given before? See your gifts and receipts' },
  ended: { vi: 'Chương trình đã kết thúc.', en: 'This campaign has ended.' },
  errAmount: { vi: 'Hãy chọn hoặc nhập một số tiền hợp lệ.', en: 'Choose or enter a valid amount.' },
  errMin: { vi: 'Số tiền quá nhỏ để thanh toán thẻ.', en: 'The amount is too small for a card payment.' },
  errName: { vi: 'Hãy nhập họ tên.', en: 'Please enter your name.' },
  errEmail: { vi: 'Hãy nhập một địa chỉ email hợp lệ.', en: 'Please enter a valid email address.' },
  errForm: { vi: 'Vui lòng sửa các ô được đánh dấu.', en: 'Please correct the marked fields.' },
  errService: { vi: 'Dịch vụ thanh toán không phản hồi. Vui lòng thử lại hoặc chuyển khoản.', en: 'The payment service did not answer. Please try again or give by bank transfer.' },
};

export const publicGivingPages = new Hono<AppEnv>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctx = Context<AppEnv, any>;

const campaignTitle = (c: Campaign, l: Locale) => localized(l, c.title, c.titleEn);
const campaignSummary = (c: Campaign, l: Locale) => localized(l, c.summary, c.summaryEn);

/** The campaign behind /c/<org>/<slug>, or the centre's general fund for `give`; 404 otherwise. */
async function load(c: Ctx): Promise<GivingTarget> {
  const t = await findGivingTarget(c.get('db'), c.req.param('org')!, c.req.param('campaign')!);
  if (!t) throw new ProblemError(404);
  return t;
}

const targetTitle = (t: GivingTarget, l: Locale) => (t.campaign ? campaignTitle(t.campaign, l) : pick(l, T.generalTitle, { org: t.org.name }));
const targetSummary = (t: GivingTarget, l: Locale) => (t.campaign ? campaignSummary(t.campaign, l) : pick(l, T.generalIntro));

interface FormState {
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string;
}

/** Raised against the goal as a bar (full once the goal is reached), with the percentage as its text. */
function GoalProgress(props: { raisedMinor: bigint; goalMinor: bigint; label: string }) {
  const { raisedMinor, goalMinor } = props;
  return (
    <progress class="goal" max={goalMinor > 0n ? goalMinor.toString() : '1'} value={(raisedMinor > goalMinor ? goalMinor : raisedMinor).toString()} aria-label={props.label}>
      {goalMinor > 0n ? `${(raisedMinor * 100n) / goalMinor}%` : ''}
    </progress>
  );
}

/**
 * A campaign's package drives: what each package is, how many are funded and handed over, and how
 * many children received one. Packages handed over count children (one per child and drive), so
 * they are shown with the suppression marks of `campaignPackageImpact`.
 */
function PackagesSection(props: { impact: Awaited<ReturnType<typeof campaignPackageImpact>>; base: string; locale: Locale; open: boolean }) {
  const { impact, locale } = props;
  return (
    <section aria-labelledby="packages-h">
      <h2 id="packages-h">{pick(locale, T.packages)}</h2>
      <p>{pick(locale, T.packagesLead)}</p>
      {impact.delivered > 0 && impact.marks.delivered !== 'complementary' ? (
        <p class="ok" data-delivered={impact.marks.delivered ? undefined : impact.delivered}>
          {pick(locale, T.handedOver, { n: publicCount(impact.delivered, impact.marks.delivered, locale, { sentenceStart: locale === 'en' }) })}
          {impact.marks.delivered ? null : <> {pick(locale, T.childrenReached, { n: publicCount(impact.children, impact.marks.children, locale, { sentenceStart: true }) })}</>}
        </p>
      ) : null}
      <ul class="campaign-list">
        {impact.drives.map((d, i) => {
          const title = localized(locale, d.titleVi, d.titleEn);
          const href = `${props.base}/packages/${d.id}`;
          const open = props.open && d.status === 'active';
          return (
            <li class="card" data-drive={d.id}>
              <h3>
                <a href={href}>{title}</a>
              </h3>
              <p>
                {localized(locale, d.typeVi, d.typeEn)} · {formatMoney(d.unitValueMinor, d.currency, locale)} {pick(locale, T.each)}
              </p>
              <p>{pick(locale, T.driveCounts, { funded: formatNumber(d.funded, locale), target: formatNumber(d.target, locale), delivered: publicCount(d.delivered, impact.marks.drives[i] ?? null, locale) })}</p>
              <progress class="goal" max={Math.max(d.target, 1)} value={Math.min(d.funded, d.target)} aria-label={`${pick(locale, T.packages)}: ${title}`} />
              <p>
                <a href={href} aria-label={`${pick(locale, open ? T.fundPackages : T.seeDrive)}: ${title}`}>
                  {pick(locale, open ? T.fundPackages : T.seeDrive)}
                </a>
              </p>
            </li>
          );
        })}
      </ul>
      {impact.marks.drives.includes('complementary') ? <p class="muted">{pick(locale, T.complementNote)}</p> : null}
    </section>
  );
}

/**
 * The page a donor gives from: a campaign's (its progress, the forms while it runs, recent gifts)
 * or the centre's general fund's (the forms only).
 */
async function GivePage(props: { c: Ctx; state?: FormState; bank?: Awaited<ReturnType<typeof bankTransferDetails>> | null; bankError?: string }) {
  const { c } = props;
  const locale = c.get('locale');
  const target = await load(c);
  const { org, campaign } = target;
  const p = campaign ? await campaignProgress(c.get('db'), campaign, org.baseCurrency, locale) : null;
  const impact = campaign ? await campaignPackageImpact(c.get('db'), org.id, campaign.id) : null;
  const payments = c.get('deps').payments;
  const active = targetOpen(target);
  const currency = targetCurrency(target);
  const v = props.state?.values ?? {};
  const errors = props.state?.errors ?? {};
  const presets = targetPresets(target);
  const path = targetPath(target);
  const title = targetTitle(target, locale);
  return (
    <Layout title={title} locale={locale} path={path} share={{ url: `${c.get('deps').config.APP_URL}${path}`, description: targetSummary(target, locale) || `${org.name}: ${title}`, siteName: org.name }}>
      <p class="muted">
        <a href={`/c/${org.slug}`}>{org.name}</a>
      </p>
      <h1>{title}</h1>
      {c.req.query('cancelled') ? (
        <p class="notice" role="status">
          {pick(locale, T.cancelled)}
        </p>
      ) : null}
      <p>{targetSummary(target, locale)}</p>
      {campaign && p ? (
        <section aria-labelledby="progress-h" class="card">
          <h2 id="progress-h" class="inline">
            {pick(locale, T.raised)}
          </h2>
          <p>
            <strong data-raised={p.raisedMinor.toString()}>{formatMoney(p.raisedMinor, campaign.currency, locale)}</strong> / {pick(locale, T.goal)}{' '}
            {formatMoney(campaign.goalMinor, campaign.currency, locale)} · <span data-donors={p.donorCount}>{formatNumber(p.donorCount, locale)}</span> {pick(locale, T.donors)}
          </p>
          <GoalProgress raisedMinor={p.raisedMinor} goalMinor={campaign.goalMinor} label={pick(locale, T.raised)} />
        </section>
      ) : null}
      {impact && impact.drives.length ? <PackagesSection impact={impact} base={path} locale={locale} open={active} /> : null}
      {!active ? (
        <p class="notice">{pick(locale, T.ended)}</p>
      ) : (
        <div class="two-col">
          <section aria-labelledby="give-h">
            <h2 id="give-h">{pick(locale, T.give)}</h2>
            {!payments ? (
              <p class="notice" role="status" id="card-off">
                {pick(locale, T.notConfigured)}
              </p>
            ) : (
              <form method="post" action={`${path}/donate`} class="stack" novalidate>
                <ErrorSummary message={props.state?.message} />
                {presets.length ? (
                  <fieldset aria-invalid={errors.amount ? 'true' : undefined}>
                    <legend>
                      {pick(locale, T.amount)} ({currency})
                    </legend>
                    <div class="amounts">
                      {presets.map((a, i) => (
                        <label>
                          <input type="radio" name="preset" value={a.toString()} checked={v.preset ? v.preset === a.toString() : i === Math.min(1, presets.length - 1)} />
                          {formatMoney(a, currency, locale)}
                        </label>
                      ))}
                    </div>
                  </fieldset>
                ) : null}
                <Field id="amount" label={presets.length ? pick(locale, T.other) : pick(locale, T.amount)} hint={presets.length ? pick(locale, T.otherHint) : undefined} errors={errors}>
                  {(a) => <input {...a} name="amount" inputmode="decimal" autocomplete="off" value={v.amount ?? ''} />}
                </Field>
                <Field id="currency" label={pick(locale, T.currency)} errors={errors}>
                  {(a) => (
                    <select {...a} name="currency">
                      {[currency, ...CURRENCY_CODES.filter((x) => x !== currency)].map((cur) => (
                        <option value={cur} selected={(v.currency ?? currency) === cur}>
                          {cur}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {targetAllowsMonthly(target) ? (
                  <fieldset>
                    <legend>{pick(locale, T.frequency)}</legend>
                    <div class="amounts">
                      <label>
                        <input type="radio" name="interval" value="once" checked={(v.interval ?? 'once') === 'once'} /> {pick(locale, T.once)}
                      </label>
                      <label>
                        <input type="radio" name="interval" value="month" checked={v.interval === 'month'} /> {pick(locale, T.monthly)}
                      </label>
                    </div>
                  </fieldset>
                ) : null}
                <Field id="name" label={pick(locale, T.name)} errors={errors}>
                  {(a) => <input {...a} name="name" autocomplete="name" required value={v.name ?? ''} />}
                </Field>
                <Field id="email" label={pick(locale, T.email)} errors={errors}>
                  {(a) => <input {...a} name="email" type="email" autocomplete="email" required value={v.email ?? ''} />}
                </Field>
                <label class="check">
                  <input type="checkbox" name="anonymous" value="1" checked={v.anonymous === '1'} /> {pick(locale, T.anonymous)}
                </label>
                <label class="check">
                  <input type="checkbox" name="consent" value="1" checked={v.consent === '1'} /> {pick(locale, T.consent)}
                </label>
                <button type="submit">{pick(locale, T.pay)}</button>
              </form>
            )}
          </section>
          <section aria-labelledby="bank-h">
            <h2 id="bank-h">{pick(locale, T.bank)}</h2>
            {props.bank ? (
              <div class="stack">
                <p>{pick(locale, T.scan)}</p>
                <div class="qr">{raw(props.bank.svg)}</div>
                <dl class="facts">
                  <dt>{pick(locale, T.bankName)}</dt>
                  <dd>{props.bank.bankName}</dd>
                  <dt>{pick(locale, T.accountNo)}</dt>
                  <dd>{props.bank.accountNumber}</dd>
                  <dt>{pick(locale, T.accountName)}</dt>
                  <dd>{props.bank.accountName}</dd>
                  {props.bank.amountMinor !== null ? (
                    <>
                      <dt>{pick(locale, T.amount)}</dt>
                      <dd>{formatMoney(props.bank.amountMinor, 'VND', locale)}</dd>
                    </>
                  ) : null}
                  <dt>{pick(locale, T.note)}</dt>
                  <dd data-reference>{props.bank.reference}</dd>
                </dl>
              </div>
            ) : currency !== 'VND' ? null : (
              <form method="post" action={`${path}/bank#bank-h`} class="stack" novalidate>
                <p>{pick(locale, T.bankIntro)}</p>
                <ErrorSummary message={props.bankError} />
                <Field id="bank-amount" label={pick(locale, T.bankAmount)} errors={props.bankError ? { 'bank-amount': props.bankError } : {}}>
                  {(a) => <input {...a} name="amount" inputmode="numeric" autocomplete="off" />}
                </Field>
                <button type="submit" class="secondary">
                  {pick(locale, T.getQr)}
                </button>
              </form>
            )}
          </section>
        </div>
      )}
      {p ? (
        <section aria-labelledby="recent-h">
          <h2 id="recent-h">{pick(locale, T.recent)}</h2>
          {p.recent.length === 0 ? (
            <p class="muted">{pick(locale, T.noneYet)}</p>
          ) : (
            <ul class="recent">
              {p.recent.map((r) => (
                <li>
                  <strong>{r.name}</strong> · {formatMoney(r.amountMinor, r.currency, locale)} · <span class="muted">{formatDate(r.receivedAt, locale)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </Layout>
  );
}

function CampaignCard(props: { campaign: Campaign; figures: CampaignCardFigures | undefined; orgSlug: string; locale: Locale }) {
  const { campaign, locale } = props;
  const { raisedMinor, donorCount, delivered } = props.figures ?? { raisedMinor: 0n, donorCount: 0, delivered: 0 };
  const title = campaignTitle(campaign, locale);
  const active = campaign.status === 'active';
  return (
    <li class="card" data-campaign={campaign.slug}>
      <h3>
        <a href={`/c/${props.orgSlug}/${campaign.slug}`}>{title}</a>
      </h3>
      <p>{campaignSummary(campaign, locale)}</p>
      <p>
        <strong>{formatMoney(raisedMinor, campaign.currency, locale)}</strong> / {pick(locale, T.goal)} {formatMoney(campaign.goalMinor, campaign.currency, locale)} ·{' '}
        {formatNumber(donorCount, locale)} {pick(locale, T.donors)}
      </p>
      <GoalProgress raisedMinor={raisedMinor} goalMinor={campaign.goalMinor} label={`${pick(locale, T.raised)}: ${title}`} />
      {delivered > 0 ? <p data-delivered={isSmallCount(delivered) ? undefined : delivered}>{pick(locale, T.handedOver, { n: publicCount(delivered, isSmallCount(delivered) ? 'small' : null, locale, { sentenceStart: locale === 'en' }) })}</p> : null}
      <p>
        <a href={`/c/${props.orgSlug}/${campaign.slug}`} aria-label={`${pick(locale, active ? T.giveTo : T.see)}: ${title}`}>
          {pick(locale, active ? T.giveTo : T.see)}
        </a>
      </p>
    </li>
  );
}

/** The centre's year so far in the funder report's own indicators; a small count of people is withheld. */
function YearFigures(props: { figures: PublicFigures; locale: Locale }) {
  const { figures, locale } = props;
  const value = (f: PublicFigure) =>
    f.value === null ? publicCount(0, 'small', locale) : f.value.unit === 'money' ? formatMoney(f.value.value, figures.baseCurrency, locale) : formatNumber(f.value.value, locale);
  return (
    <section aria-labelledby="year-h">
      <h2 id="year-h">{pick(locale, T.yearSoFar, { year: figures.period.from.slice(0, 4) })}</h2>
      <dl class="figures">
        {figures.figures.map((f) => (
          <div data-figure={f.id}>
            <dt>{pick(locale, f.label)}</dt>
            <dd>{value(f)}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">{pick(locale, T.figuresNote, { from: formatDate(figures.period.from, locale), to: formatDate(figures.period.to, locale) })}</p>
    </section>
  );
}

/** A centre's public page: what it is raising for now, and what it raised before. */
publicGivingPages.get('/c/:org', async (c) => {
  const locale = c.get('locale');
  const list = await publicCampaignList(c.get('db'), c.req.param('org'));
  if (!list) throw new ProblemError(404);
  const { org, active, closed } = list;
  // The year's figures and the campaign cards come from the centre's stored figures.
  const { figures, refresh } = await pageCentreFigures(c.get('db'), org.id, c.get('deps').clock.now(), { campaignIds: [...active, ...closed].map((x) => x.id) });
  if (refresh) c.get('defer')(refresh());
  return c.html(
    <Layout
      title={org.name}
      locale={locale}
      path={`/c/${org.slug}`}
      share={{ url: `${c.get('deps').config.APP_URL}/c/${org.slug}`, description: active.length ? `${pick(locale, T.nowRunning)}: ${active.map((x) => campaignTitle(x, locale)).join(' · ')}` : pick(locale, T.noneRunning), siteName: 'Sẻ Chia' }}
    >
      <h1>{org.name}</h1>
      <YearFigures figures={figures} locale={locale} />
      <section aria-labelledby="now-h">
        <h2 id="now-h">{pick(locale, T.nowRunning)}</h2>
        {active.length ? (
          <ul class="campaign-list">
            {active.map((campaign) => (
              <CampaignCard campaign={campaign} figures={figures.campaigns.get(campaign.id)} orgSlug={org.slug} locale={locale} />
            ))}
          </ul>
        ) : (
          <p>{pick(locale, T.noneRunning)}</p>
        )}
      </section>
      <section aria-labelledby="general-h" class="card">
        <h2 id="general-h">{pick(locale, T.giveGeneral)}</h2>
        <p>{pick(locale, T.giveGeneralLead)}</p>
        <p>
          <a href={`/c/${org.slug}/${GENERAL_GIVING_SLUG}`} class="button">
            {pick(locale, T.giveGeneralButton)}
          </a>
        </p>
      </section>
      {closed.length ? (
        <section aria-labelledby="past-h">
          <h2 id="past-h">{pick(locale, T.pastCampaigns)}</h2>
          <ul class="campaign-list">
            {closed.map((campaign) => (
              <CampaignCard campaign={campaign} figures={figures.campaigns.get(campaign.id)} orgSlug={org.slug} locale={locale} />
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <a href={`/d/${org.slug}`}>{pick(locale, T.portal)}</a>
      </p>
    </Layout>,
  );
});

publicGivingPages.get('/c/:org/:campaign', async (c) => c.html(await GivePage({ c })));

publicGivingPages.post('/c/:org/:campaign/donate', rateLimit(LIMITS.donationPerIp), async (c) => {
  const locale = c.get('locale');
  const target = await load(c);
  if (!targetOpen(target)) throw new ProblemError(404);
  const form = await c.req.parseBody();
  const values = {
    preset: str(form.preset, 30),
    amount: str(form.amount, 30),
    currency: str(form.currency, 3),
    interval: str(form.interval, 5),
    name: str(form.name, 200),
    email: str(form.email, 254),
    anonymous: str(form.anonymous, 1),
    consent: str(form.consent, 1),
  };
  const errors: FieldErrors = {};
  const ownCurrency = targetCurrency(target);
  const currency = isCurrency(values.currency) ? values.currency : ownCurrency;
  let amount: bigint | null = null;
  if (values.amount.trim()) {
    amount = parseAmount(values.amount, currency);
    if (amount === null || amount <= 0n) errors.amount = pick(locale, T.errAmount);
  } else if (/^\d{1,15}$/.test(values.preset) && currency === ownCurrency) {
    amount = BigInt(values.preset);
  } else errors.amount = pick(locale, T.errAmount);
  if (!values.name.trim()) errors.name = pick(locale, T.errName);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) errors.email = pick(locale, T.errEmail);
  const rerender = async (message: string, status: 400 | 502 | 503) => c.html(await GivePage({ c, state: { values, errors, message } }), status);
  if (Object.keys(errors).length) return rerender(pick(locale, T.errForm), 400);
  const deps = c.get('deps');
  try {
    const r = await startCardGift(
      c.get('db'),
      deps.payments,
      target,
      { amountMinor: amount!, currency, interval: values.interval === 'month' ? 'month' : 'once', name: values.name.trim(), email: values.email.trim(), locale, anonymous: values.anonymous === '1', emailConsent: values.consent === '1' },
      { appUrl: deps.config.APP_URL, logger: deps.logger },
    );
    return c.redirect(r.url, 303);
  } catch (err) {
    if (err instanceof ProblemError && err.status === 400) {
      errors.amount = pick(locale, T.errMin);
      return rerender(pick(locale, T.errForm), 400);
    }
    if (err instanceof ProblemError && err.status === 503) return rerender(pick(locale, T.notConfigured), 503);
    if (err instanceof ProblemError && err.status === 502) return rerender(pick(locale, T.errService), 502);
    throw err;
  }
});

publicGivingPages.post('/c/:org/:campaign/bank', rateLimit(LIMITS.donationPerIp), async (c) => {
  const locale = c.get('locale');
  const target = await load(c);
  if (!targetOpen(target) || targetCurrency(target) !== 'VND') throw new ProblemError(404);
  const form = await c.req.parseBody();
  const rawAmount = str(form.amount, 30).trim();
  let amount: bigint | null = null;
  if (rawAmount) {
    amount = parseAmount(rawAmount, 'VND');
    if (amount === null || amount <= 0n || amount > 10_000_000_000n) return c.html(await GivePage({ c, bankError: pick(locale, T.errAmount) }), 400);
  }
  try {
    const bank = await bankTransferDetails(c.get('db'), target.org.id, target.campaign, amount);
    return c.html(await GivePage({ c, bank }));
  } catch (err) {
    if (err instanceof ProblemError && err.status === 404) return c.html(await GivePage({ c, bankError: pick(locale, T.noBank) }), 503);
    throw err;
  }
});

publicGivingPages.get('/c/:org/:campaign/thanks', async (c) => {
  const locale = c.get('locale');
  const target = await load(c);
  const id = c.req.query('checkout') ?? '';
  const co = isUuid(id) ? await getCheckout(c.get('db'), id) : null;
  if (!co || co.orgId !== target.org.id || co.campaignId !== (target.campaign?.id ?? null) || (!target.campaign && (co.purpose as { kind?: string } | null)?.kind !== 'general')) throw new ProblemError(404);
  const path = targetPath(target);
  const done = co.status === 'completed';
  const failed = co.status === 'failed' || co.status === 'expired';
  return c.html(
    <Layout title={pick(locale, T.thanks)} locale={locale} path={`${path}/thanks?checkout=${co.id}`}>
      {!done && !failed ? <meta http-equiv="refresh" content="3" /> : null}
      <h1>{done ? pick(locale, T.thanks) : targetTitle(target, locale)}</h1>
      {done ? (
        <p class="ok" role="status" data-checkout-status="completed">
          {pick(locale, T.received)} ({formatMoney(co.unitAmountMinor * BigInt(co.quantity), co.currency, locale)}
          {co.mode === 'subscription' ? ` · ${pick(locale, T.monthly).toLowerCase()}` : ''})
        </p>
      ) : failed ? (
        <p class="error" role="alert" data-checkout-status={co.status}>
          {pick(locale, T.failed)}
        </p>
      ) : (
        <p class="notice" role="status" data-checkout-status={co.status}>
          {pick(locale, T.waiting)}
        </p>
      )}
      <p>
        <a href={target.campaign ? path : `/c/${target.org.slug}`}>{pick(locale, target.campaign ? T.back : T.backCentre)}</a>
      </p>
    </Layout>,
  );
});
