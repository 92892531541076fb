import { and, asc, eq, gte, inArray, isNull, lt, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { campaigns, donations, organisations, receipts, refunds } from '../db/schema';
import type { Db } from '../db/types';
import { formatDate, formatMoney, pick, type Locale, localized } from '../ui/i18n';
import { getDonor } from './donors';
import { notFound } from '../http/problem';
import { isDay } from '../lib/days';
import { vietnamYearStart } from '../giving/money';

export interface StatementLine {
  date: Date;
  receiptCodes: string[];
  campaign: string | null;
  channel: string;
  amountMinor: bigint;
  refundedMinor: bigint;
  currency: string;
}

/** Which of the books a statement is drawn from (none given: the books as they stand now). */
export interface StatementSource {
  /**
   * A timestamp from the database's clock: what was recorded after it is left out. Gifts, receipts
   * and refunds are append-only, so the statement is then the books as they stood at that moment.
   */
  asOf?: string;
  /**
   * Exactly these gifts of the organisation, whichever donor they belong to now (the year-end
   * mail's counted list, see year-end.ts): a merge moves gifts between donors, and a gift whose
   * transaction began before `asOf` may commit after it was counted. Not given: the donor's gifts.
   */
  donationIds?: readonly string[];
  /**
   * With `donationIds`: exactly these of their refunds (the ones the mail subtracted), and the
   * receipts of those refunds, in place of what was recorded by `asOf`: a refund whose transaction
   * began before `asOf` may commit after the mail's totals were read.
   */
  refundIds?: readonly string[];
}

/**
 * A donor's gifts of one calendar year (Vietnam time), with receipts and refunds. Campaign titles
 * are in the reader's language (the donor's own when none is given). The header is the donor named
 * by `donorId`, even a record since merged into another (it keeps its name and email).
 */
export async function annualStatement(db: Db, orgId: string, donorId: string, year: number, locale?: Locale, opts: StatementSource = {}) {
  // Only the years the app takes dates in: year 0000 would become a timestamp Postgres refuses.
  if (!isDay(`${String(year).padStart(4, '0')}-01-01`)) throw notFound('Statement');
  const donor = await getDonor(db, orgId, donorId);
  const [org] = await db.select().from(organisations).where(eq(organisations.id, orgId));
  const from = new Date(vietnamYearStart(year));
  const to = new Date(vietnamYearStart(year + 1));
  // inArray of an empty list is `false` in drizzle: no stored gift, no line.
  const whose = opts.donationIds ? inArray(donations.id, [...opts.donationIds]) : eq(donations.donorId, donorId);
  const rows = await db
    .select({ d: donations, title: campaigns.title, titleEn: campaigns.titleEn })
    .from(donations)
    .leftJoin(campaigns, and(eq(campaigns.id, donations.campaignId), eq(campaigns.orgId, orgId)))
    .where(and(eq(donations.orgId, orgId), whose, gte(donations.receivedAt, from), lt(donations.receivedAt, to), recordedBy(donations.createdAt, opts.asOf)))
    // The id settles gifts of the same moment, so the same books always give the same statement.
    .orderBy(asc(donations.receivedAt), asc(donations.id));
  const ids = rows.map((r) => r.d.id);
  const counted = opts.donationIds && opts.refundIds ? opts.refundIds : undefined;
  const theRefunds = counted ? inArray(refunds.id, [...counted]) : recordedBy(refunds.createdAt, opts.asOf);
  // A gift's own receipts as recorded by `asOf`; a refund's receipts go with the refund.
  const theReceipts = counted
    ? or(and(isNull(receipts.refundId), recordedBy(receipts.createdAt, opts.asOf)), inArray(receipts.refundId, [...counted]))
    : recordedBy(receipts.createdAt, opts.asOf);
  const rc = ids.length ? await db.select().from(receipts).where(and(eq(receipts.orgId, orgId), inArray(receipts.donationId, ids), theReceipts)).orderBy(asc(receipts.number)) : [];
  const rf = ids.length ? await db.select().from(refunds).where(and(eq(refunds.orgId, orgId), inArray(refunds.donationId, ids), theRefunds)) : [];
  const lines = rows.map((r) => ({
    date: r.d.receivedAt,
    receiptCodes: rc.filter((x) => x.donationId === r.d.id).map((x) => x.code),
    campaign: localized(locale ?? donor.locale, r.title, r.titleEn),
    channel: r.d.channel,
    amountMinor: r.d.amountMinor,
    refundedMinor: rf.filter((x) => x.donationId === r.d.id).reduce((a, x) => a + x.amountMinor, 0n),
    currency: r.d.currency,
  }));
  const totals = new Map<string, bigint>();
  for (const l of lines) totals.set(l.currency, (totals.get(l.currency) ?? 0n) + l.amountMinor - l.refundedMinor);
  return { org: org!, donor, year, lines, refunds: rf.length, totals: [...totals].map(([currency, netMinor]) => ({ currency, netMinor })) };
}

/** Rows recorded by `asOf` (none given: all of them); `column` is a row's `created_at`. */
export const recordedBy = (column: AnyColumn | SQL, asOf: string | undefined): SQL => (asOf === undefined ? sql`true` : sql`${column} <= ${asOf}::timestamptz`);

const CH: Record<string, { vi: string; en: string }> = {
  stripe: { vi: 'Thẻ (Stripe)', en: 'Card (Stripe)' },
  bank_transfer: { vi: 'Chuyển khoản', en: 'Bank transfer' },
  cash: { vi: 'Tiền mặt', en: 'Cash' },
  cheque: { vi: 'Séc', en: 'Cheque' },
};
export const channelLabel = (ch: string, l: Locale) => (CH[ch] ? pick(l, CH[ch]) : ch);

/** The statement's words, shared by its page and its PDF (statement-pdf.ts). */
export const STATEMENT_TEXT = {
  title: { vi: 'Bảng kê đóng góp năm', en: 'Annual giving statement' },
  donor: { vi: 'Nhà tài trợ', en: 'Donor' },
  none: { vi: 'Không có khoản đóng góp nào trong năm này.', en: 'No gifts in this year.' },
  date: { vi: 'Ngày', en: 'Date' },
  receipt: { vi: 'Biên nhận', en: 'Receipt' },
  campaign: { vi: 'Chương trình', en: 'Campaign' },
  method: { vi: 'Hình thức', en: 'Method' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  refunded: { vi: 'Đã hoàn', en: 'Refunded' },
  general: { vi: 'Quỹ chung', en: 'General fund' },
  total: { vi: 'Tổng cộng (sau hoàn tiền)', en: 'Total (after refunds)' },
};

/** The annual statement as a printable page, with a link to the same statement as a PDF (statement-pdf.ts). */
export function StatementView(props: { s: Awaited<ReturnType<typeof annualStatement>>; locale: Locale; pdfHref: string }) {
  const { s, locale } = props;
  const L = (vi: string, en: string) => (locale === 'vi' ? vi : en);
  return (
    <article class="statement" aria-labelledby="st-h">
      <p class="muted">{s.org.name}</p>
      <h1 id="st-h">
        {pick(locale, STATEMENT_TEXT.title)} {s.year}
      </h1>
      <dl class="facts">
        <dt>{pick(locale, STATEMENT_TEXT.donor)}</dt>
        <dd>{s.donor.name}</dd>
        {s.donor.email ? (
          <>
            <dt>Email</dt>
            <dd>{s.donor.email}</dd>
          </>
        ) : null}
      </dl>
      {s.lines.length === 0 ? (
        <p>{pick(locale, STATEMENT_TEXT.none)}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-sm">
            <thead>
              <tr>
                <th>{pick(locale, STATEMENT_TEXT.date)}</th>
                <th>{pick(locale, STATEMENT_TEXT.receipt)}</th>
                <th>{pick(locale, STATEMENT_TEXT.campaign)}</th>
                <th>{pick(locale, STATEMENT_TEXT.method)}</th>
                <th class="num">{pick(locale, STATEMENT_TEXT.amount)}</th>
                <th class="num">{pick(locale, STATEMENT_TEXT.refunded)}</th>
              </tr>
            </thead>
            <tbody>
              {s.lines.map((l) => (
                <tr>
                  <td data-label={pick(locale, STATEMENT_TEXT.date)}>{formatDate(l.date, locale)}</td>
                  <td data-label={pick(locale, STATEMENT_TEXT.receipt)}>{l.receiptCodes.join(', ')}</td>
                  <td data-label={pick(locale, STATEMENT_TEXT.campaign)}>{l.campaign ?? pick(locale, STATEMENT_TEXT.general)}</td>
                  <td data-label={pick(locale, STATEMENT_TEXT.method)}>{channelLabel(l.channel, locale)}</td>
                  <td class="num" data-label={pick(locale, STATEMENT_TEXT.amount)}>{formatMoney(l.amountMinor, l.currency, locale)}</td>
                  <td class="num" data-label={pick(locale, STATEMENT_TEXT.refunded)}>{l.refundedMinor > 0n ? formatMoney(l.refundedMinor, l.currency, locale) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{pick(locale, STATEMENT_TEXT.total)}</h2>
      <ul>
        {s.totals.map((t) => (
          <li data-total={t.currency}>{formatMoney(t.netMinor, t.currency, locale)}</li>
        ))}
      </ul>
      <p class="no-print">
        <a href={props.pdfHref} download>
          {L('Tải bảng kê (PDF)', 'Download the statement (PDF)')}
        </a>
      </p>
    </article>
  );
}
