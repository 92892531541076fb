import { Hono, type Context } from 'hono';
import { and, eq } from 'drizzle-orm';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { notFound, ProblemError } from '../http/problem';
import { outbox, type Role } from '../db/schema';
import { requeueMail } from '../mail/outbox';
import { MONEY_WRITE } from '../giving/api';
import { listPaymentReview, resolvePaymentReview, REVIEW_NOTE_MAX } from '../giving/review';
import { str } from '../giving/ui';
import { MAX_EVENT_ATTEMPTS } from '../giving/stripe-webhooks';
import { formatDateTime, formatNumber, pick, t, type Locale } from '../ui/i18n';
import { hasRole, orgPage } from '../ui/org-page';
import { deadLetteredMail, mailCounts, stripeInboxHealth } from './attention';
import { UUID_PATH } from '../lib/ids';
import { Flash } from '../ui/flash';

/** Who may put a message back in the queue: the same roles as the outbox API. */
const MAIL_REQUEUE: readonly Role[] = ['admin'];

type L = { vi: string; en: string };
const T = {
  title: { vi: 'Cần xử lý', en: 'Needs attention' },
  mail: { vi: 'Thư không gửi được', en: 'Mail that could not be sent' },
  mailNone: { vi: 'Không có thư nào bị dừng gửi.', en: 'No message has been given up on.' },
  mailPending: { vi: '{n} thư đang chờ gửi.', en: '{n} messages waiting to be sent.' },
  template: { vi: 'Loại thư', en: 'Message' },
  to: { vi: 'Người nhận', en: 'Recipient' },
  attempts: { vi: 'Số lần thử', en: 'Attempts' },
  lastError: { vi: 'Lỗi gần nhất', en: 'Last error' },
  queued: { vi: 'Tạo lúc', en: 'Queued at' },
  action: { vi: 'Thao tác', en: 'Action' },
  sendAgain: { vi: 'Gửi lại', en: 'Send again' },
  adminOnly: { vi: 'Quản trị viên có thể gửi lại.', en: 'An administrator can send it again.' },
  requeued: { vi: 'Thư đã được đưa lại vào hàng đợi gửi.', en: 'The message is back in the queue.' },
  notDead: { vi: 'Thư này đã được đưa lại vào hàng đợi.', en: 'This message is already back in the queue.' },
  review: { vi: 'Thanh toán cần xem xét', en: 'Payments needing review' },
  reviewNone: { vi: 'Không có thanh toán nào cần xem xét.', en: 'No payment needs review.' },
  status: { vi: 'Trạng thái', en: 'Status' },
  open: { vi: 'Đang mở', en: 'Open' },
  resolved: { vi: 'Đã xử lý', en: 'Resolved' },
  eventType: { vi: 'Loại sự kiện', en: 'Event type' },
  reason: { vi: 'Lý do', en: 'Reason' },
  eventId: { vi: 'Mã sự kiện Stripe', en: 'Stripe event id' },
  received: { vi: 'Nhận lúc', en: 'Received' },
  note: { vi: 'Ghi chú xử lý', en: 'What was done' },
  markResolved: { vi: 'Đã xử lý', en: 'Mark resolved' },
  noteRequired: { vi: 'Hãy ghi ngắn gọn đã xử lý thế nào.', en: 'Write a short note on what was done.' },
  noteTooLong: { vi: `Ghi chú tối đa ${REVIEW_NOTE_MAX} ký tự.`, en: `The note can be at most ${REVIEW_NOTE_MAX} characters.` },
  resolvedOk: { vi: 'Đã đánh dấu là đã xử lý.', en: 'Marked as resolved.' },
  already: { vi: 'Mục này đã được xử lý trước đó.', en: 'This item had already been resolved.' },
  inbox: { vi: 'Hộp nhận sự kiện Stripe', en: 'Stripe inbox' },
  inboxPending: { vi: 'Sự kiện đang chờ áp dụng', en: 'Events waiting to be applied' },
  inboxOldest: { vi: 'Sự kiện chờ lâu nhất', en: 'Oldest waiting event' },
  inboxFailing: { vi: 'Sự kiện đang thử lại sau lỗi', en: 'Events being retried after failures' },
  inboxHint: {
    vi: `Sự kiện lỗi được tự động thử lại; sau ${MAX_EVENT_ATTEMPTS} lần chuyển vào mục cần xem xét ở trên.`,
    en: `Failed events are retried automatically; after ${MAX_EVENT_ATTEMPTS} attempts they go to the review list above.`,
  },
} satisfies Record<string, L>;

const TEMPLATES: Record<string, L> = {
  receipt: { vi: 'Biên nhận ủng hộ', en: 'Gift receipt' },
  receipt_correction: { vi: 'Biên nhận điều chỉnh', en: 'Corrected receipt' },
  donor_link: { vi: 'Liên kết cho nhà tài trợ', en: 'Donor portal link' },
  inkind_acknowledgement: { vi: 'Thư cảm ơn hiện vật', en: 'In-kind thank-you' },
  package_delivery_digest: { vi: 'Tin trao quà', en: 'Package delivery news' },
  report: { vi: 'Báo cáo', en: 'Report' },
  annual_statement: { vi: 'Thư cảm ơn cuối năm', en: 'Year-end thank-you' },
  login_link: { vi: 'Liên kết đăng nhập cho nhân viên', en: 'Staff sign-in link' },
};

/** The reasons stripe-webhooks.ts sends an event to review, in plain words. */
const REASONS: Record<string, L> = {
  unknown_session: { vi: 'Phiên thanh toán không có trong hệ thống', en: 'Checkout session not found here' },
  another_account: { vi: 'Sự kiện của tài khoản Stripe khác', en: 'Event from another Stripe account' },
  organisation_mismatch: { vi: 'Tổ chức trong Stripe không khớp phiên thanh toán', en: 'Organisation in Stripe does not match the checkout' },
  session_mismatch: { vi: 'Mã phiên Stripe không khớp phiên thanh toán', en: 'Stripe session does not match the checkout' },
  session_without_amount: { vi: 'Phiên thanh toán không có số tiền', en: 'Checkout session without an amount' },
  unknown_invoice: { vi: 'Hóa đơn không thuộc khoản ủng hộ hằng tháng nào', en: 'Invoice of no known monthly gift' },
  invoice_without_id: { vi: 'Hóa đơn không có mã', en: 'Invoice without an id' },
  unknown_payment: { vi: 'Hoàn tiền cho khoản chưa có trong hệ thống', en: 'Refund of a payment not recorded here' },
  refund_currency_differs: { vi: 'Hoàn tiền khác loại tiền với khoản ủng hộ', en: 'Refund in another currency than the gift' },
  unknown_subscription: { vi: 'Gói ủng hộ hằng tháng không có trong hệ thống', en: 'Monthly gift not found here' },
};

export function reasonLabel(reason: string, locale: Locale): string {
  const n = /^processing_failed_(\d+)_times$/.exec(reason)?.[1];
  if (n) return pick(locale, { vi: `Xử lý lỗi ${n} lần, đã ngừng thử lại`, en: `Processing failed ${n} times; retries stopped` });
  return REASONS[reason] ? pick(locale, REASONS[reason]) : reason;
}

const Heads = (props: { locale: Locale; cols: L[] }) => (
  <thead>
    <tr>
      {props.cols.map((x) => (
        <th scope="col">{pick(props.locale, x)}</th>
      ))}
    </tr>
  </thead>
);


function formatAge(ms: number, locale: Locale) {
  const min = Math.floor(ms / 60_000);
  const [n, vi, en] = min < 60 ? [min, 'phút', 'min'] : min < 2880 ? [Math.floor(min / 60), 'giờ', 'h'] : [Math.floor(min / 1440), 'ngày', 'days'];
  return `${formatNumber(n, locale)} ${locale === 'vi' ? vi : en}`;
}

interface FormState {
  message?: string | null;
  ok?: string | null;
  /** The review row whose note was refused, with what was typed. */
  noteError?: { id: string; value: string; message: string };
}

async function AttentionPage(props: { c: Context<AppEnv> } & FormState) {
  const { c } = props;
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const [dead, counts, review, inbox] = await Promise.all([
    deadLetteredMail(db, org.id),
    mailCounts(db, org.id),
    listPaymentReview(db, org.id, { limit: 100 }),
    stripeInboxHealth(db, org.id, c.get('deps').clock.now()),
  ]);
  const canRequeue = hasRole(c, MAIL_REQUEUE);
  const base = `/o/${org.slug}/attention`;
  const p = (x: L) => pick(locale, x);
  return (
    <>
      <h1>{p(T.title)}</h1>
      <Flash ok={props.ok} error={props.message} errorId="form-error" />

      <section aria-labelledby="mail-h">
        <h2 id="mail-h">
          {p(T.mail)} ({formatNumber(counts.dead, locale)})
        </h2>
        <p data-mail-pending={counts.pending}>{pick(locale, T.mailPending, { n: formatNumber(counts.pending, locale) })}</p>
        {/* Waiting mail is not on its way when there is no provider: say so, not just "waiting". */}
        {c.get('deps').mailer.kind === 'none' ? (
          <p class="notice" data-mail-not-configured>
            {t(locale, 'mailNotConfigured')}
          </p>
        ) : null}
        {dead.length === 0 ? (
          <p>{p(T.mailNone)}</p>
        ) : (
          <div class="table-wrap">
            <table class="cards-sm" data-table="dead-mail">
              <caption class="sr-only">{p(T.mail)}</caption>
              <Heads locale={locale} cols={[T.template, T.to, T.attempts, T.lastError, T.queued, T.action]} />
              <tbody>
                {dead.map((m) => {
                  const label = TEMPLATES[m.template] ? p(TEMPLATES[m.template]!) : m.template;
                  return (
                    <tr data-outbox-id={m.id}>
                      <th scope="row">{label}</th>
                      <td data-label={p(T.to)}>{m.to}</td>
                      <td data-label={p(T.attempts)}>{formatNumber(m.attempts, locale)}</td>
                      <td data-label={p(T.lastError)}>{m.lastError ?? '—'}</td>
                      <td data-label={p(T.queued)}>{formatDateTime(m.createdAt, locale)}</td>
                      <td data-label={p(T.action)}>
                        {canRequeue ? (
                          <form method="post" action={`${base}/mail/${m.id}/requeue`}>
                            <button type="submit" class="secondary">
                              {p(T.sendAgain)}
                              <span class="sr-only">
                                {' '}
                                {label} {m.to}
                              </span>
                            </button>
                          </form>
                        ) : (
                          <span class="muted">{p(T.adminOnly)}</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="review-h">
        <h2 id="review-h">
          {p(T.review)} ({formatNumber(review.filter((r) => r.status === 'open').length, locale)})
        </h2>
        {review.length === 0 ? (
          <p>{p(T.reviewNone)}</p>
        ) : (
          <div class="table-wrap">
            <table class="cards-sm" data-table="payment-review">
              <caption class="sr-only">{p(T.review)}</caption>
              <Heads locale={locale} cols={[T.status, T.eventType, T.reason, T.eventId, T.received, T.action]} />
              <tbody>
                {review.map((r) => {
                  const err = props.noteError?.id === r.id ? props.noteError : null;
                  const id = `note-${r.id}`;
                  return (
                    <tr data-review-id={r.id} data-status={r.status}>
                      <td data-label={p(T.status)}>
                        <span class="badge">{p(r.status === 'open' ? T.open : T.resolved)}</span>
                      </td>
                      <td data-label={p(T.eventType)}>
                        <code>{r.eventType}</code>
                      </td>
                      <th scope="row">{reasonLabel(r.reason, locale)}</th>
                      <td data-label={p(T.eventId)}>
                        <code>{r.eventId}</code>
                      </td>
                      <td data-label={p(T.received)}>{formatDateTime(r.createdAt, locale)}</td>
                      <td data-label={p(T.action)}>
                        {r.status === 'open' ? (
                          <form method="post" action={`${base}/review/${r.id}/resolve`} class="row-actions">
                            <label class="muted" for={id}>
                              {p(T.note)}
                            </label>
                            <input
                              id={id}
                              name="note"
                              required
                              maxlength={REVIEW_NOTE_MAX}
                              value={err?.value ?? ''}
                              {...(err ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {})}
                            />
                            {err ? (
                              <div class="field-error" id={`${id}-error`}>
                                {err.message}
                              </div>
                            ) : null}
                            <button type="submit">
                              {p(T.markResolved)}
                              <span class="sr-only"> {r.eventId}</span>
                            </button>
                          </form>
                        ) : (
                          <span>
                            {r.resolvedAt ? formatDateTime(r.resolvedAt, locale) : ''}
                            {r.note ? `: ${r.note}` : ''}
                          </span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="inbox-h">
        <h2 id="inbox-h">{p(T.inbox)}</h2>
        <dl class="kv">
          <dt>{p(T.inboxPending)}</dt>
          <dd data-inbox="pending">{formatNumber(inbox.pending, locale)}</dd>
          <dt>{p(T.inboxOldest)}</dt>
          <dd data-inbox="oldest">{inbox.oldestAgeMs === null ? '—' : formatAge(inbox.oldestAgeMs, locale)}</dd>
          <dt>{p(T.inboxFailing)}</dt>
          <dd data-inbox="failing">{formatNumber(inbox.failing, locale)}</dd>
        </dl>
        <p class="muted">{p(T.inboxHint)}</p>
      </section>
    </>
  );
}

export const attentionPages = new Hono<AppEnv>();

const render = async (c: Context<AppEnv>, state: FormState = {}, status: 200 | 400 | 404 | 409 = 200) =>
  orgPage(c, pick(c.get('locale'), T.title), `/o/${c.get('org').slug}/attention`, await AttentionPage({ c, ...state }), status);

attentionPages.get('/o/:org/attention', requireOrgRole(MONEY_WRITE), (c) => {
  const done = c.req.query('done');
  const locale = c.get('locale');
  return render(c, { ok: done === 'requeued' ? pick(locale, T.requeued) : done === 'resolved' ? pick(locale, T.resolvedOk) : null });
});

attentionPages.post(`/o/:org/attention/mail/:id${UUID_PATH}/requeue`, requireOrgRole(MAIL_REQUEUE), async (c) => {
  const db = c.get('db');
  const org = c.get('org');
  const id = c.req.param('id');
  if (!(await requeueMail(db, org.id, id, c.get('deps').clock))) {
    // Not dead (any more): a second press, or someone else was quicker.
    const [mine] = await db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.id, id), eq(outbox.orgId, org.id)));
    if (!mine) throw notFound('Message');
    return render(c, { message: pick(c.get('locale'), T.notDead) }, 409);
  }
  return c.redirect(`/o/${org.slug}/attention?done=requeued`, 303);
});

attentionPages.post(`/o/:org/attention/review/:id${UUID_PATH}/resolve`, requireOrgRole(MONEY_WRITE), async (c) => {
  const locale = c.get('locale');
  const id = c.req.param('id');
  const f = await c.req.parseBody();
  const note = str(f.note, 2000);
  const principal = c.get('principal')!;
  try {
    await resolvePaymentReview(c.get('db'), c.get('org').id, id, {
      note,
      userId: principal.userId,
      actor: principal.kind === 'session' ? { actorKind: 'user', actorId: principal.userId } : { actorKind: 'api_token', actorId: principal.tokenId ?? null },
      requestId: c.get('requestId'),
      now: c.get('deps').clock.now(),
    });
  } catch (err) {
    if (err instanceof ProblemError && err.status === 400) {
      const message = pick(locale, note.trim() ? T.noteTooLong : T.noteRequired);
      return render(c, { message, noteError: { id, value: note, message } }, 400);
    }
    if (err instanceof ProblemError && err.status === 409) return render(c, { message: pick(locale, T.already) }, 409);
    throw err;
  }
  return c.redirect(`/o/${c.get('org').slug}/attention?done=resolved`, 303);
});
