import { ProblemError } from '../http/problem';
import { formatDate, formatMoney, formatNumber, localized, pick, type Locale } from '../ui/i18n';
import type { MonthlyGift } from './monthly';

const T = {
  title: { vi: 'Ủng hộ hằng tháng', en: 'Monthly gifts' },
  general: { vi: 'Quỹ chung', en: 'General fund' },
  perMonth: { vi: '{amount} mỗi tháng', en: '{amount} a month' },
  since: { vi: 'từ {date}', en: 'since {date}' },
  paid: { vi: 'đã nhận {n} lần, gần nhất {date}', en: '{n} payments received, the last on {date}' },
  noneYet: { vi: 'chưa nhận lần nào', en: 'no payment yet' },
  running: { vi: 'Đang tiếp tục', en: 'Running' },
  ended: { vi: 'Đã dừng ngày {date}', en: 'Stopped on {date}' },
  stop: { vi: 'Dừng ủng hộ hằng tháng', en: 'Stop this monthly gift' },
  stopHint: { vi: 'Không trừ tiền thêm từ tháng sau; các khoản đã ủng hộ giữ nguyên.', en: 'No further payment is taken; the gifts already made stay as they are.' },
};

/** A donor's monthly gifts, each with its state, and a button to stop one where `stopAction` gives its form's address. */
export function MonthlyGifts(props: { gifts: MonthlyGift[]; locale: Locale; stopAction: ((checkoutId: string) => string) | null }) {
  const { gifts, locale } = props;
  if (!gifts.length) return null;
  return (
    <section aria-labelledby="monthly-h">
      <h2 id="monthly-h">{pick(locale, T.title)}</h2>
      <ul class="campaign-list">
        {gifts.map((g) => {
          const what = localized(locale, g.campaignTitle, g.campaignTitleEn) || pick(locale, T.general);
          return (
            <li class="card" data-monthly={g.checkoutId} data-state={g.endedAt ? 'ended' : 'running'}>
              <p>
                <strong>{pick(locale, T.perMonth, { amount: formatMoney(g.amountMinor, g.currency, locale) })}</strong> · {what}
              </p>
              <p class="muted">
                {g.startedAt ? `${pick(locale, T.since, { date: formatDate(g.startedAt, locale) })} · ` : ''}
                {g.payments && g.lastPaidAt ? pick(locale, T.paid, { n: formatNumber(g.payments, locale), date: formatDate(g.lastPaidAt, locale) }) : pick(locale, T.noneYet)}
              </p>
              <p>{g.endedAt ? pick(locale, T.ended, { date: formatDate(g.endedAt, locale) }) : pick(locale, T.running)}</p>
              {!g.endedAt && props.stopAction ? (
                <form method="post" action={props.stopAction(g.checkoutId)} class="stack">
                  <p class="muted" id={`stop-${g.checkoutId}`}>
                    {pick(locale, T.stopHint)}
                  </p>
                  <button type="submit" class="secondary" aria-describedby={`stop-${g.checkoutId}`} aria-label={`${pick(locale, T.stop)}: ${what}`}>
                    {pick(locale, T.stop)}
                  </button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export const MONTHLY_TEXT = {
  stopped: { vi: 'Đã dừng khoản ủng hộ hằng tháng. Sẽ không trừ tiền thêm.', en: 'The monthly gift is stopped. No further payment will be taken.' },
  stopFailed: { vi: 'Dịch vụ thanh toán chưa phản hồi nên khoản ủng hộ hằng tháng vẫn đang tiếp tục. Vui lòng thử lại.', en: 'The payment service did not answer, so the monthly gift is still running. Please try again.' },
  stopOffline: { vi: 'Thanh toán thẻ chưa được cấu hình ở đây nên chưa thể dừng trực tuyến. Vui lòng liên hệ trung tâm.', en: 'Card payment is not configured here, so the gift cannot be stopped online. Please contact the centre.' },
};

/** What to tell the reader when a stop failed and the gift is still running (502, 503), else null: the error is not one to show. */
export function stopFailedText(err: unknown, locale: Locale): { text: string; status: 502 | 503 } | null {
  if (!(err instanceof ProblemError) || (err.status !== 502 && err.status !== 503)) return null;
  return { text: pick(locale, err.status === 502 ? MONTHLY_TEXT.stopFailed : MONTHLY_TEXT.stopOffline), status: err.status };
}
