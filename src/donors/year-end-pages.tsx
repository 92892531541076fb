import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { ProblemError } from '../http/problem';
import { kickOutbox } from '../mail/kick';
import { MONEY_WRITE } from '../giving/api';
import { orgPage as page } from '../ui/org-page';
import { formatNumber, pick } from '../ui/i18n';
import { lastEndedYear, queueYearEndStatements, yearEndSummary } from './year-end';

/** Finance sends the year-end thank-you with the way to each donor's statement (year-end.ts). */
export const yearEndPages = new Hono<AppEnv>();

const T = {
  title: { vi: 'Thư cảm ơn cuối năm', en: 'Year-end thank-you mail' },
  intro: {
    vi: 'Mỗi nhà tài trợ có email và đã ủng hộ trong năm nhận một thư: số lần và tổng số tiền đã ủng hộ (sau hoàn tiền), và bảng kê năm có số biên nhận từng khoản, đính kèm dạng PDF (cùng đường dẫn xem trực tuyến). Mỗi người chỉ nhận một lần cho mỗi năm; gửi lại chỉ tới những người chưa nhận.',
    en: 'Each donor with an email address who gave in the year gets one mail: how many gifts and how much in all (after refunds), and the year’s statement with each receipt number, attached as a PDF (with a link to see it online). One mail per donor and year: sending again reaches only those not yet reached.',
  },
  year: { vi: 'Năm', en: 'Year' },
  show: { vi: 'Xem', en: 'Show' },
  donors: { vi: 'Nhà tài trợ đã ủng hộ trong năm', en: 'Donors who gave in the year' },
  withoutEmail: { vi: 'Không có email (không gửi được)', en: 'Without an email address (cannot be reached)' },
  alreadySent: { vi: 'Đã nhận thư năm này', en: 'Already sent this year’s mail' },
  toSend: { vi: 'Sẽ gửi bây giờ', en: 'Would be sent now' },
  send: { vi: 'Gửi {n} thư', en: 'Send now ({n})' },
  nothing: { vi: 'Không còn ai để gửi cho năm này.', en: 'No one is left to send to for this year.' },
  queued: { vi: 'Đã xếp {n} thư vào hàng đợi gửi.', en: 'Mails queued for sending: {n}.' },
  ended: { vi: 'Chỉ gửi cho năm đã kết thúc, để tổng số tiền là của cả năm.', en: 'Only for a year that has ended, so that the total is the whole year’s.' },
  noMail: {
    vi: 'Chưa cấu hình nhà cung cấp email (RESEND_API_KEY): thư nằm trong hàng đợi, chưa được gửi đi.',
    en: 'No mail provider configured (RESEND_API_KEY): the mails wait in the queue and have not been sent.',
  },
};

async function yearEndPage(c: Context<AppEnv>, year: number, notice?: string) {
  const locale = c.get('locale');
  const org = c.get('org');
  const deps = c.get('deps');
  const now = deps.clock.now();
  const s = await yearEndSummary(c.get('db'), org.id, year, now);
  const toSend = s.donors - s.withoutEmail - s.alreadySent;
  const last = lastEndedYear(now);
  const path = `/o/${org.slug}/donors/year-end`;
  return page(
    c,
    pick(locale, T.title),
    `${path}?year=${year}`,
    <>
      <h1>{pick(locale, T.title)}</h1>
      {notice ? (
        <p class="ok" role="status">
          {notice}
        </p>
      ) : null}
      {notice && deps.mailer.kind === 'none' ? <p class="notice">{pick(locale, T.noMail)}</p> : null}
      <p>{pick(locale, T.intro)}</p>
      <p class="muted">{pick(locale, T.ended)}</p>
      <form method="get" action={path} class="row-actions">
        <div>
          <label for="year">{pick(locale, T.year)}</label>
          <select id="year" name="year">
            {[last, last - 1, last - 2].map((y) => (
              <option value={String(y)} selected={y === year}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          {pick(locale, T.show)}
        </button>
      </form>
      <dl class="facts" id="year-end" data-year={year}>
        <dt>{pick(locale, T.donors)}</dt>
        <dd data-n="donors">{formatNumber(s.donors, locale)}</dd>
        <dt>{pick(locale, T.withoutEmail)}</dt>
        <dd data-n="without-email">{formatNumber(s.withoutEmail, locale)}</dd>
        <dt>{pick(locale, T.alreadySent)}</dt>
        <dd data-n="already-sent">{formatNumber(s.alreadySent, locale)}</dd>
        <dt>{pick(locale, T.toSend)}</dt>
        <dd data-n="to-send">{formatNumber(toSend, locale)}</dd>
      </dl>
      {toSend > 0 ? (
        <form method="post" action={path}>
          <input type="hidden" name="year" value={String(year)} />
          <button type="submit">{pick(locale, T.send, { n: formatNumber(toSend, locale) })}</button>
        </form>
      ) : (
        <p>{pick(locale, T.nothing)}</p>
      )}
    </>,
  );
}

/** The year asked for, else the last one that has ended. */
function yearOf(c: Context<AppEnv>, raw: string | undefined): number {
  const last = lastEndedYear(c.get('deps').clock.now());
  if (raw === undefined || raw === '') return last;
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < 2000 || year > last) {
    throw new ProblemError(400, pick(c.get('locale'), { vi: `Chọn một năm đã kết thúc, từ 2000 đến ${last}.`, en: `Choose a year that has ended, from 2000 to ${last}.` }));
  }
  return year;
}

yearEndPages.get('/o/:org/donors/year-end', requireOrgRole(MONEY_WRITE), (c) => yearEndPage(c, yearOf(c, c.req.query('year'))));

yearEndPages.post('/o/:org/donors/year-end', requireOrgRole(MONEY_WRITE), async (c) => {
  const form = await c.req.parseBody();
  const year = yearOf(c, typeof form.year === 'string' ? form.year : '');
  const org = c.get('org');
  const deps = c.get('deps');
  const result = await queueYearEndStatements(c.get('db'), org, year, { appUrl: deps.config.APP_URL, today: deps.clock.now() });
  kickOutbox(c);
  deps.logger.info('donors.year_end_queued', { orgId: org.id, year, queued: result.queued });
  return yearEndPage(c, year, pick(c.get('locale'), T.queued, { n: formatNumber(result.queued, c.get('locale')) }));
});
