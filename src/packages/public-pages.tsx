import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env';
import { ProblemError } from '../http/problem';
import { Layout } from '../ui/layout';
import { formatMoney, pick, localized, publicCount } from '../ui/i18n';
import { isSmallCount } from '../reports/suppression';
import { getOrganisationBySlug } from '../orgs/orgs';
import { getCampaignBySlug } from '../giving/campaigns';
import { ErrorSummary, Field, str, type FieldErrors } from '../giving/ui';
import { campaignPackageImpact, driveFunding, getDrive, getPackageType } from './drives';
import { startPackageCheckout } from './funding';
import { UUID_PATH } from '../lib/ids';

/*
 * The public page of a package drive: what a package holds, how many are funded against the
 * target, and a card form for N packages (Stripe Checkout with a quantity; the webhook creates
 * the units). It shows counts only, never a child.
 */

const T = {
  funded: { vi: 'suất đã có người ủng hộ / mục tiêu', en: 'packages funded / target' },
  delivered: { vi: 'suất đã trao', en: 'packages delivered' },
  each: { vi: 'mỗi suất', en: 'per package' },
  give: { vi: 'Ủng hộ suất quà', en: 'Fund gift packages' },
  quantity: { vi: 'Số suất', en: 'Number of packages' },
  name: { vi: 'Họ tên', en: 'Your name' },
  email: { vi: 'Email (để nhận biên nhận và tin báo khi quà được trao)', en: 'Email (for your receipt and news when the packages are handed over)' },
  anonymous: { vi: 'Ủng hộ ẩn danh', en: 'Give anonymously' },
  consent: { vi: 'Tôi muốn nhận tin về các chương trình', en: 'Send me news about the programmes' },
  pay: { vi: 'Tiếp tục thanh toán', en: 'Continue to payment' },
  errForm: { vi: 'Vui lòng sửa các ô được đánh dấu.', en: 'Please correct the marked fields.' },
  errQuantity: { vi: 'Chọn từ 1 đến 1000 suất.', en: 'Choose 1 to 1000 packages.' },
  errName: { vi: 'Nhập họ tên.', en: 'Enter your name.' },
  errEmail: { vi: 'Nhập email hợp lệ.', en: 'Enter a valid email.' },
  notConfigured: { vi: 'Hiện chưa nhận thanh toán thẻ; vui lòng chuyển khoản theo trang chương trình.', en: 'Card payment is not available now; please give by bank transfer from the campaign page.' },
  errService: { vi: 'Dịch vụ thanh toán chưa phản hồi. Vui lòng thử lại.', en: 'The payment service did not answer. Please try again.' },
  closed: { vi: 'Đợt này không còn nhận ủng hộ.', en: 'This drive is not taking gifts now.' },
  back: { vi: 'Về trang chương trình', en: 'Back to the campaign' },
};

export const publicPackagePages = new Hono<AppEnv>();

async function load(c: Context<AppEnv>) {
  const db = c.get('db');
  const org = await getOrganisationBySlug(db, c.req.param('org') ?? '');
  if (!org) throw new ProblemError(404);
  const campaign = await getCampaignBySlug(db, org.id, c.req.param('campaign') ?? '');
  if (!campaign || campaign.status === 'draft') throw new ProblemError(404);
  const drive = await getDrive(db, org.id, c.req.param('id') ?? '');
  if (drive.campaignId !== campaign.id || drive.status === 'draft') throw new ProblemError(404);
  return { org, campaign, drive };
}

async function DrivePublicPage(props: { c: Context<AppEnv>; values?: Record<string, string>; errors?: FieldErrors; message?: string }) {
  const { c } = props;
  const locale = c.get('locale');
  const { org, campaign, drive } = await load(c);
  const type = await getPackageType(c.get('db'), org.id, drive.packageTypeId);
  const f = await driveFunding(c.get('db'), drive);
  // Packages handed over count children (one per child and drive): shown as the campaign page shows them.
  const impact = await campaignPackageImpact(c.get('db'), org.id, campaign.id);
  const deliveredMark = impact.marks.drives[impact.drives.findIndex((d) => d.id === drive.id)] ?? (isSmallCount(f.delivered) ? 'small' : null);
  const v = props.values ?? {};
  const errors = props.errors ?? {};
  const open = drive.status === 'active' && campaign.status === 'active';
  const title = localized(locale, drive.titleVi, drive.titleEn);
  const path = `/c/${org.slug}/${campaign.slug}/packages/${drive.id}`;
  return (
    <Layout title={title} locale={locale} path={path}>
      <p class="muted">{org.name}</p>
      <h1>{title}</h1>
      <p>
        <strong>{localized(locale, type.nameVi, type.nameEn)}</strong> · {formatMoney(drive.unitValueMinor, drive.currency, locale)} {pick(locale, T.each)}
      </p>
      <p>{localized(locale, type.contentsVi, type.contentsEn)}</p>
      <p data-funded={f.active} data-target={f.target}>
        <strong>
          {f.active}/{f.target}
        </strong>{' '}
        {pick(locale, T.funded)} · {publicCount(f.delivered, deliveredMark, locale)} {pick(locale, T.delivered)}
      </p>
      <progress class="goal" max={f.target} value={Math.min(f.active, f.target)} aria-label={pick(locale, T.funded)} />
      {open ? (
        <form method="post" action={path} class="stack" novalidate>
          <h2>{pick(locale, T.give)}</h2>
          <ErrorSummary message={props.message} />
          <Field id="quantity" label={pick(locale, T.quantity)} errors={errors}>
            {(a) => <input {...a} name="quantity" type="number" min="1" max="1000" required value={v.quantity ?? '1'} />}
          </Field>
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
      ) : (
        <p class="notice">{pick(locale, T.closed)}</p>
      )}
      <p>
        <a href={`/c/${org.slug}/${campaign.slug}`}>{pick(locale, T.back)}</a>
      </p>
    </Layout>
  );
}

const ROUTE = `/c/:org/:campaign/packages/:id${UUID_PATH}`;

publicPackagePages.get(ROUTE, async (c) => c.html(await DrivePublicPage({ c })));

publicPackagePages.post(ROUTE, async (c) => {
  const locale = c.get('locale');
  const { org, campaign, drive } = await load(c);
  const form = await c.req.parseBody();
  const values = { quantity: str(form.quantity, 6), name: str(form.name, 200), email: str(form.email, 254), anonymous: str(form.anonymous, 1), consent: str(form.consent, 1) };
  const errors: FieldErrors = {};
  const quantity = /^\d{1,4}$/.test(values.quantity.trim()) ? Number(values.quantity.trim()) : NaN;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000) errors.quantity = pick(locale, T.errQuantity);
  if (!values.name.trim()) errors.name = pick(locale, T.errName);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) errors.email = pick(locale, T.errEmail);
  const rerender = async (message: string, status: 400 | 409 | 502 | 503) => c.html(await DrivePublicPage({ c, values, errors, message }), status);
  if (Object.keys(errors).length) return rerender(pick(locale, T.errForm), 400);
  const deps = c.get('deps');
  const base = `${deps.config.APP_URL}/c/${org.slug}/${campaign.slug}`;
  try {
    const r = await startPackageCheckout(
      c.get('db'),
      deps.payments,
      org.id,
      drive.id,
      { name: values.name.trim(), email: values.email.trim(), locale, anonymous: values.anonymous === '1', emailConsent: values.consent === '1', quantity, successUrl: `${base}/thanks`, cancelUrl: `${base}/packages/${drive.id}?cancelled=1` },
      { logger: deps.logger },
    );
    return c.redirect(r.url, 303);
  } catch (err) {
    if (err instanceof ProblemError && err.status === 503) return rerender(pick(locale, T.notConfigured), 503);
    if (err instanceof ProblemError && err.status === 502) return rerender(pick(locale, T.errService), 502);
    if (err instanceof ProblemError && err.status === 409) return rerender(pick(locale, T.closed), 409);
    if (err instanceof ProblemError && err.status === 400) return rerender(err.detail ?? pick(locale, T.errForm), 400);
    throw err;
  }
});
