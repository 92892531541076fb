import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { campaigns, donations, donors, loginTokens, receipts, refunds, sessions } from '../db/schema';
import type { Db } from '../db/types';
import type { AppEnv } from '../http/env';
import { ProblemError } from '../http/problem';
import { LOGIN_LINK_TTL_MS } from '../auth/auth';
import { writeAudit } from '../auth/audit';
import { randomToken, sha256Hex } from '../lib/crypto';
import { DAY, type Clock } from '../lib/clock';
import { enqueueMail } from '../mail/outbox';
import { kickOutbox } from '../mail/kick';
import { getOrganisationBySlug } from '../orgs/orgs';
import { Layout } from '../ui/layout';
import { formatDate, formatMoney, isLocale, localized, pick, type Locale } from '../ui/i18n';
import { donorPortalLinkEmail } from '../giving/templates';
import { vietnamYear } from '../giving/money';
import { statementPdfResponse } from './statement-pdf';
import { annualStatement, channelLabel, StatementView } from './statement';
import { DonorPackages } from '../packages/portal';
import { monthlyGiftsOfDonor, stopMonthlyGift } from '../giving/monthly';
import { MONTHLY_TEXT, MonthlyGifts, stopFailedText } from '../giving/monthly-view';
import { UUID_PATH } from '../lib/ids';
import { Flash } from '../ui/flash';

export const DONOR_COOKIE = 'sc_donor';
const DONOR_SESSION_TTL_MS = 1 * DAY;

/**
 * Donors sign in to their portal by a single-use emailed link (login_tokens, audience 'donor',
 * subject = donor id). Same answer whether or not the email is known.
 */
export async function requestDonorLink(db: Db, input: { orgId: string; orgSlug: string; orgName: string; email: string; appUrl: string; clock: Clock }) {
  const email = input.email.trim().toLowerCase();
  const [donor] = await db
    .select()
    .from(donors)
    .where(and(eq(donors.orgId, input.orgId), sql`lower(${donors.email}) = ${email}`, isNull(donors.mergedIntoId)))
    .orderBy(asc(donors.createdAt))
    .limit(1);
  if (!donor?.email) return { sent: false };
  const token = randomToken();
  const now = input.clock.now();
  await db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    await tx.insert(loginTokens).values({ tokenHash: await sha256Hex(token), audience: 'donor', subjectId: donor.id, createdAt: now, expiresAt: new Date(now.getTime() + LOGIN_LINK_TTL_MS) });
    const locale: Locale = isLocale(donor.locale) ? donor.locale : 'vi';
    const mail = donorPortalLinkEmail({ locale, orgName: input.orgName, link: `${input.appUrl}/d/${input.orgSlug}/verify?token=${token}` });
    await enqueueMail(tx, { orgId: input.orgId, to: donor.email!, locale, template: 'donor_link', ...mail });
  });
  return { sent: true };
}

export async function consumeDonorToken(db: Db, orgId: string, token: string, clock: Clock) {
  const now = clock.now();
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [used] = await tx
      .update(loginTokens)
      .set({ usedAt: now })
      .where(and(eq(loginTokens.tokenHash, await sha256Hex(token)), eq(loginTokens.audience, 'donor'), isNull(loginTokens.usedAt), gt(loginTokens.expiresAt, now)))
      .returning({ donorId: loginTokens.subjectId });
    if (!used?.donorId) return null;
    const [donor] = await tx.select({ id: donors.id }).from(donors).where(and(eq(donors.id, used.donorId), eq(donors.orgId, orgId)));
    if (!donor) return null;
    const sessionToken = randomToken();
    await tx.insert(sessions).values({ tokenHash: await sha256Hex(sessionToken), audience: 'donor', subjectId: donor.id, createdAt: now, expiresAt: new Date(now.getTime() + DONOR_SESSION_TTL_MS) });
    await writeAudit(tx, { orgId, actorKind: 'donor', actorId: donor.id, action: 'donor.portal_signed_in', at: now });
    return { sessionToken };
  });
}

export async function donorFromSession(db: Db, orgId: string, token: string | undefined, clock: Clock) {
  if (!token) return null;
  const [row] = await db
    .select({ donor: donors })
    .from(sessions)
    .innerJoin(donors, eq(donors.id, sessions.subjectId))
    .where(and(eq(sessions.tokenHash, await sha256Hex(token)), eq(sessions.audience, 'donor'), isNull(sessions.revokedAt), gt(sessions.expiresAt, clock.now()), eq(donors.orgId, orgId)))
    .limit(1);
  return row?.donor ?? null;
}

/** The gifts table's columns (also each cell's label where a phone shows the rows as cards). */
const COL = {
  date: { vi: 'Ngày', en: 'Date' },
  campaign: { vi: 'Chương trình', en: 'Campaign' },
  method: { vi: 'Hình thức', en: 'Method' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  generalFund: { vi: 'Quỹ chung', en: 'General fund' },
};

const T = {
  title: { vi: 'Các khoản ủng hộ của tôi', en: 'My gifts' },
  intro: { vi: 'Nhập email bạn đã dùng khi ủng hộ; chúng tôi sẽ gửi một liên kết để xem các khoản ủng hộ và biên nhận.', en: 'Enter the email you gave with your gifts; we will send a link to see your gifts and receipts.' },
  send: { vi: 'Gửi liên kết', en: 'Send link' },
  sent: { vi: 'Nếu email này có trong danh sách nhà hảo tâm, liên kết đã được gửi. Liên kết dùng một lần, trong 15 phút.', en: 'If this email belongs to a donor, a link is on its way. It works once, for 15 minutes.' },
  badEmail: { vi: 'Hãy nhập một địa chỉ email hợp lệ.', en: 'Please enter a valid email address.' },
  open: { vi: 'Mở trang của tôi', en: 'Open my page' },
  invalid: { vi: 'Liên kết không hợp lệ, đã hết hạn hoặc đã được dùng.', en: 'This link is invalid, expired or already used.' },
  gifts: { vi: 'Khoản ủng hộ', en: 'Gifts' },
  receipts: { vi: 'Biên nhận', en: 'Receipts' },
  statements: { vi: 'Bảng kê năm', en: 'Annual statements' },
  none: { vi: 'Chưa có khoản ủng hộ nào.', en: 'No gifts yet.' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
};

async function orgOr404(c: Context<AppEnv>) {
  const org = await getOrganisationBySlug(c.get('db'), c.req.param('org') ?? '');
  if (!org) throw new ProblemError(404);
  return org;
}

export const donorPortal = new Hono<AppEnv>();

function LinkForm(props: { locale: Locale; slug: string; error?: string; email?: string }) {
  return (
    <form method="post" action={`/d/${props.slug}/login`} class="stack" novalidate>
      {props.error ? (
        <p class="error" role="alert" id="email-error">
          {props.error}
        </p>
      ) : null}
      <div>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" required value={props.email ?? ''} aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? 'email-error' : undefined} />
      </div>
      <button type="submit">{pick(props.locale, T.send)}</button>
    </form>
  );
}

donorPortal.get('/d/:org', async (c) => {
  const org = await orgOr404(c);
  const locale = c.get('locale');
  if (await donorFromSession(c.get('db'), org.id, getCookie(c, DONOR_COOKIE), c.get('deps').clock)) return c.redirect(`/d/${org.slug}/portal`, 303);
  return c.html(
    <Layout title={pick(locale, T.title)} locale={locale} path={`/d/${org.slug}`}>
      <p class="muted">{org.name}</p>
      <h1>{pick(locale, T.title)}</h1>
      <p>{pick(locale, T.intro)}</p>
      <LinkForm locale={locale} slug={org.slug} />
    </Layout>,
  );
});

donorPortal.post('/d/:org/login', async (c) => {
  const org = await orgOr404(c);
  const locale = c.get('locale');
  const deps = c.get('deps');
  const form = await c.req.parseBody();
  const email = typeof form.email === 'string' ? form.email.trim().slice(0, 254) : '';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return c.html(
      <Layout title={pick(locale, T.title)} locale={locale} path={`/d/${org.slug}`}>
        <h1>{pick(locale, T.title)}</h1>
        <LinkForm locale={locale} slug={org.slug} error={pick(locale, T.badEmail)} email={email} />
      </Layout>,
      400,
    );
  }
  await requestDonorLink(c.get('db'), { orgId: org.id, orgSlug: org.slug, orgName: org.name, email, appUrl: deps.config.APP_URL, clock: deps.clock });
  kickOutbox(c);
  return c.html(
    <Layout title={pick(locale, T.title)} locale={locale} path={`/d/${org.slug}`}>
      <h1>{pick(locale, T.title)}</h1>
      <p class="ok" role="status">
        {pick(locale, T.sent)}
      </p>
    </Layout>,
  );
});

// Like staff links: GET shows a button, only the POST consumes the token (mail scanners prefetch).
donorPortal.get('/d/:org/verify', async (c) => {
  const org = await orgOr404(c);
  const locale = c.get('locale');
  return c.html(
    <Layout title={pick(locale, T.title)} locale={locale} path={`/d/${org.slug}`}>
      <h1>{pick(locale, T.title)}</h1>
      <form method="post" action={`/d/${org.slug}/verify`} class="stack">
        <input type="hidden" name="token" value={(c.req.query('token') ?? '').slice(0, 200)} />
        <button type="submit">{pick(locale, T.open)}</button>
      </form>
    </Layout>,
  );
});

donorPortal.post('/d/:org/verify', async (c) => {
  const org = await orgOr404(c);
  const locale = c.get('locale');
  const deps = c.get('deps');
  const form = await c.req.parseBody();
  const token = typeof form.token === 'string' ? form.token.slice(0, 200) : '';
  const r = token ? await consumeDonorToken(c.get('db'), org.id, token, deps.clock) : null;
  if (!r) {
    return c.html(
      <Layout title={pick(locale, T.title)} locale={locale} path={`/d/${org.slug}`}>
        <h1>{pick(locale, T.title)}</h1>
        <p class="error" role="alert">
          {pick(locale, T.invalid)}
        </p>
        <LinkForm locale={locale} slug={org.slug} />
      </Layout>,
      400,
    );
  }
  setCookie(c, DONOR_COOKIE, r.sessionToken, { path: '/d/', httpOnly: true, secure: deps.config.APP_URL.startsWith('https://'), sameSite: 'Lax', maxAge: Math.floor(DONOR_SESSION_TTL_MS / 1000) });
  return c.redirect(`/d/${org.slug}/portal`, 303);
});

async function requireDonor(c: Context<AppEnv>) {
  const org = await orgOr404(c);
  const donor = await donorFromSession(c.get('db'), org.id, getCookie(c, DONOR_COOKIE), c.get('deps').clock);
  return { org, donor };
}

donorPortal.get('/d/:org/portal', async (c) => {
  const { org, donor } = await requireDonor(c);
  if (!donor) return c.redirect(`/d/${org.slug}`, 303);
  return c.html(await PortalPage({ c, org, donor, notice: c.req.query('stopped') ? pick(c.get('locale'), MONTHLY_TEXT.stopped) : undefined }));
});

/** A donor stops one of their monthly gifts. */
donorPortal.post(`/d/:org/monthly/:checkout${UUID_PATH}/stop`, async (c) => {
  const { org, donor } = await requireDonor(c);
  if (!donor) return c.redirect(`/d/${org.slug}`, 303);
  const deps = c.get('deps');
  try {
    await stopMonthlyGift(c.get('db'), deps.payments, { orgId: org.id, donorId: donor.id, checkoutId: c.req.param('checkout'), by: { actorKind: 'donor', actorId: donor.id }, now: deps.clock.now(), requestId: c.get('requestId') }, { logger: deps.logger });
  } catch (err) {
    const failed = stopFailedText(err, c.get('locale'));
    if (failed) return c.html(await PortalPage({ c, org, donor, error: failed.text }), failed.status);
    throw err;
  }
  return c.redirect(`/d/${org.slug}/portal?stopped=1#monthly-h`, 303);
});

async function PortalPage(props: { c: Context<AppEnv>; org: NonNullable<Awaited<ReturnType<typeof getOrganisationBySlug>>>; donor: NonNullable<Awaited<ReturnType<typeof donorFromSession>>>; notice?: string; error?: string }) {
  const { c, org, donor } = props;
  const locale = c.get('locale');
  const db = c.get('db');
  const monthly = await monthlyGiftsOfDonor(db, org.id, donor.id);
  const rows = await db
    .select({ d: donations, title: campaigns.title, titleEn: campaigns.titleEn })
    .from(donations)
    .leftJoin(campaigns, eq(campaigns.id, donations.campaignId))
    .where(and(eq(donations.orgId, org.id), eq(donations.donorId, donor.id)))
    .orderBy(desc(donations.receivedAt));
  const rc = await db.select().from(receipts).where(and(eq(receipts.orgId, org.id), sql`${receipts.donationId} in (select id from donations where donor_id = ${donor.id})`)).orderBy(asc(receipts.year), asc(receipts.number));
  const rf = await db.select().from(refunds).where(sql`${refunds.donationId} in (select id from donations where donor_id = ${donor.id})`);
  const years = [...new Set(rows.map((r) => vietnamYear(r.d.receivedAt)))].sort((a, b) => b - a);
  return (
    <Layout title={pick(locale, T.title)} locale={locale} path={`/d/${org.slug}/portal`}>
      <p class="muted">{org.name}</p>
      <h1>{pick(locale, T.title)}</h1>
      <Flash ok={props.notice} error={props.error} />
      <p>{donor.name}</p>
      <h2>{pick(locale, T.gifts)}</h2>
      {rows.length === 0 ? (
        <p>{pick(locale, T.none)}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-sm">
            <thead>
              <tr>
                <th>{pick(locale, COL.date)}</th>
                <th>{pick(locale, COL.campaign)}</th>
                <th>{pick(locale, COL.method)}</th>
                <th class="num">{pick(locale, COL.amount)}</th>
                <th>{pick(locale, T.receipts)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const refunded = rf.filter((x) => x.donationId === r.d.id).reduce((a, x) => a + x.amountMinor, 0n);
                return (
                  <tr data-donation={r.d.id}>
                    <td data-label={pick(locale, COL.date)}>{formatDate(r.d.receivedAt, locale)}</td>
                    <td data-label={pick(locale, COL.campaign)}>{localized(locale, r.title, r.titleEn) || pick(locale, COL.generalFund)}</td>
                    <td data-label={pick(locale, COL.method)}>{channelLabel(r.d.channel, locale)}</td>
                    <td class="num" data-label={pick(locale, COL.amount)}>
                      <span>
                        {formatMoney(r.d.amountMinor, r.d.currency, locale)}
                        {refunded > 0n ? <div class="muted">−{formatMoney(refunded, r.d.currency, locale)}</div> : null}
                      </span>
                    </td>
                    <td data-label={pick(locale, T.receipts)}>{rc.filter((x) => x.donationId === r.d.id).map((x) => x.code).join(', ')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <MonthlyGifts gifts={monthly} locale={locale} stopAction={(id) => `/d/${org.slug}/monthly/${id}/stop`} />
      <DonorPackages db={db} orgId={org.id} donorId={donor.id} locale={locale} />
      <h2>{pick(locale, T.statements)}</h2>
      <ul>
        {years.map((y) => (
          <li>
            <a href={`/d/${org.slug}/statement/${y}`}>{y}</a> ·{' '}
            <a href={`/d/${org.slug}/statement/${y}/pdf`} download aria-label={`PDF ${y}`}>
              PDF
            </a>
          </li>
        ))}
      </ul>
      <form method="post" action={`/d/${org.slug}/logout`}>
        <button type="submit" class="secondary">
          {pick(locale, T.signOut)}
        </button>
      </form>
    </Layout>
  );
}

donorPortal.get('/d/:org/statement/:year{[0-9]{4}}', async (c) => {
  const { org, donor } = await requireDonor(c);
  if (!donor) return c.redirect(`/d/${org.slug}`, 303);
  const locale = c.get('locale');
  const s = await annualStatement(c.get('db'), org.id, donor.id, Number(c.req.param('year')), locale);
  return c.html(
    <Layout title={`${s.year} · ${pick(locale, T.statements)}`} locale={locale} path={`/d/${org.slug}/statement/${s.year}`}>
      <StatementView s={s} locale={locale} pdfHref={`/d/${org.slug}/statement/${s.year}/pdf`} />
    </Layout>,
  );
});

donorPortal.get('/d/:org/statement/:year{[0-9]{4}}/pdf', async (c) => {
  const { org, donor } = await requireDonor(c);
  if (!donor) return c.redirect(`/d/${org.slug}`, 303);
  const locale = c.get('locale');
  const s = await annualStatement(c.get('db'), org.id, donor.id, Number(c.req.param('year')), locale);
  return statementPdfResponse(s, locale, c.get('deps').clock.now());
});

donorPortal.post('/d/:org/logout', async (c) => {
  const token = getCookie(c, DONOR_COOKIE);
  if (token) await c.get('db').update(sessions).set({ revokedAt: c.get('deps').clock.now() }).where(and(eq(sessions.tokenHash, await sha256Hex(token)), eq(sessions.audience, 'donor')));
  deleteCookie(c, DONOR_COOKIE, { path: '/d/' });
  return c.redirect(`/d/${c.req.param('org')}`, 303);
});
