import { sql } from 'drizzle-orm';
import { outbox } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { inTransaction } from '../db/retry';
import { escapeHtml, wrapHtml } from '../mail/templates';
import { formatMoney, formatNumber, type Locale } from '../ui/i18n';
import { invalid, ProblemError } from '../http/problem';
import { AttachmentError } from '../mail/outbox';
import { vietnamYear, vietnamYearStart } from '../giving/money';
import { isUuid } from '../lib/ids';
import { annualStatement, recordedBy } from './statement';
import { renderStatementPdf, statementFileName } from './statement-pdf';

/**
 * The year-end thank-you: one mail to each donor who gave in the year and has an email address,
 * with how many gifts and how much (per currency, after refunds), and the way to the year's
 * statement with its receipt numbers (the donor portal). Once per donor and year, ever: sending
 * again only reaches donors who were not reached before. Only for a year that has ended, so the
 * total it states is the year's whole. Names the donor, never a child. It is an account of the
 * donor's own gifts, like a receipt, so it goes whether or not they asked for news (emailConsent).
 * The statement goes with it as a PDF, drawn when the mail is sent (the outbox keeps only what to
 * draw it from): the very gifts the mail counted, with their receipts and refunds as they stood when
 * the mail was written (`asOf`), so the PDF adds up to the total the mail states even if a refund or
 * a gift is recorded, or the donor merged with another, before it leaves.
 */

interface DonorYear {
  id: string;
  name: string;
  email: string | null;
  locale: Locale;
  gifts: number;
  totals: { currency: string; netMinor: bigint }[];
  /** The gifts counted, when asked for (sorted). */
  giftIds: string[];
  /** Their refunds subtracted, when asked for (sorted). */
  refundIds: string[];
}

const dedupeKey = (donorId: string, year: number) => `statement:${donorId}:${year}`;

/** The last year that has ended, in Vietnam time. */
export function lastEndedYear(today: Date): number {
  return vietnamYear(today) - 1;
}

function checkYear(year: number, today: Date) {
  const last = lastEndedYear(today);
  if (!Number.isInteger(year) || year < 2000 || year > last) throw invalid('Choose a year that has ended.', [{ path: 'year', message: `from 2000 to ${last}` }]);
}

/** The database's clock now, exact to the microsecond, as ISO 8601 (UTC). */
async function databaseNow(db: Db): Promise<string> {
  const [r] = await queryRows<{ t: string }>(db, sql`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t`);
  return r!.t;
}
const AS_OF = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * The donors who gave in the year (not refunded in full), each with the count and net total per
 * currency. `asOf`: only what was recorded by then (see annualStatement). `withGiftIds`: also the
 * ids of the gifts and refunds those figures were computed from, fully refunded gifts included
 * (the statement lists them too).
 */
async function donorsOfYear(db: Db, orgId: string, year: number, opts: { asOf?: string; withGiftIds?: boolean } = {}): Promise<DonorYear[]> {
  const { asOf } = opts;
  const rows = await queryRows<{ id: string; name: string; email: string | null; locale: string; currency: string; gifts: string; net: string; ids?: string; refund_ids?: string | null }>(
    db,
    sql`select d.id, d.name, d.email, d.locale, g.currency,
          count(*) filter (where g.refunded < g.amount_minor)::text as gifts,
          (sum(g.amount_minor) - sum(g.refunded))::text as net
          ${opts.withGiftIds ? sql`, string_agg(g.id::text, ',') as ids, string_agg(g.refund_ids, ',') as refund_ids` : sql``}
        from donors d
        join lateral (select x.*, rr.refunded, rr.refund_ids
                      from donations x
                      cross join lateral (select coalesce(sum(r.amount_minor), 0) as refunded, string_agg(r.id::text, ',') as refund_ids
                                          from refunds r where r.donation_id = x.id and r.org_id = x.org_id and ${recordedBy(sql.raw('r.created_at'), asOf)}) rr
                      where x.donor_id = d.id and x.org_id = d.org_id and ${recordedBy(sql.raw('x.created_at'), asOf)}) g on true
        where d.org_id = ${orgId} and d.merged_into_id is null
          and g.received_at >= ${vietnamYearStart(year)}::timestamptz and g.received_at < ${vietnamYearStart(year + 1)}::timestamptz
        group by d.id, d.name, d.email, d.locale, g.currency
        order by d.id, g.currency`,
  );
  const byDonor = new Map<string, DonorYear>();
  for (const r of rows) {
    const d = byDonor.get(r.id) ?? { id: r.id, name: r.name, email: r.email, locale: r.locale === 'en' ? 'en' : 'vi', gifts: 0, totals: [], giftIds: [], refundIds: [] };
    d.gifts += Number(r.gifts);
    d.totals.push({ currency: r.currency, netMinor: BigInt(r.net) });
    if (r.ids) d.giftIds.push(...r.ids.split(','));
    if (r.refund_ids) d.refundIds.push(...r.refund_ids.split(','));
    byDonor.set(r.id, d);
  }
  for (const d of byDonor.values()) {
    d.giftIds.sort();
    d.refundIds.sort();
  }
  // A year whose every gift was refunded in full is not thanked for.
  return [...byDonor.values()].filter((d) => d.totals.some((t) => t.netMinor > 0n));
}

export interface YearEndSummary {
  year: number;
  /** Donors who gave in the year (not refunded in full). */
  donors: number;
  /** Of them, without an email address: not reachable this way. */
  withoutEmail: number;
  /** Of them, already sent (or queued) this year's mail. */
  alreadySent: number;
}

/** What sending would do, before anyone sends. */
export async function yearEndSummary(db: Db, orgId: string, year: number, today: Date): Promise<YearEndSummary> {
  checkYear(year, today);
  const list = await donorsOfYear(db, orgId, year);
  const sent = await sentKeys(db, orgId, year);
  return { year, donors: list.length, withoutEmail: list.filter((d) => !d.email).length, alreadySent: list.filter((d) => d.email && sent.has(dedupeKey(d.id, year))).length };
}

/** The year's mails already queued or sent by this organisation, by their keys. */
async function sentKeys(db: Db, orgId: string, year: number): Promise<Set<string>> {
  const rows = await queryRows<{ k: string }>(
    db,
    sql`select dedupe_key as k from outbox where org_id = ${orgId} and template = 'annual_statement' and dedupe_key like ${`statement:%:${year}`}`,
  );
  return new Set(rows.map((r) => r.k));
}

/** The outbox's `render` kind for a donor's annual statement PDF. */
export const STATEMENT_ATTACHMENT = 'annual_statement';

/**
 * The most gifts one mail's source may name: more than five a day, every day of the year. A donor
 * with more (none is expected) is queued without the list, as mail was before it existed.
 */
export const MAX_COUNTED_GIFTS = 2000;

interface StatementAttachmentSource {
  orgId: string;
  donorId: string;
  year: number;
  locale: Locale;
  issuedAt: string;
  /** Absent in mail queued before it was stored: the books as they stand when it is sent. */
  asOf?: string;
  /** The gifts the mail counted. Absent in mail queued before it was stored: the donor's gifts by `asOf`. */
  donationIds?: string[];
  /** Their refunds the mail subtracted (with `donationIds`). Absent: their refunds recorded by `asOf`. */
  refundIds?: string[];
}

const isIdList = (v: unknown, min: number): v is string[] =>
  Array.isArray(v) && v.length >= min && v.length <= MAX_COUNTED_GIFTS && v.every(isUuid) && new Set(v.map((id) => id.toLowerCase())).size === v.length;

/** The stored source as written by queueYearEndStatements, or null: a list of gifts comes with its moment. */
function statementAttachmentSource(source: Record<string, unknown>): StatementAttachmentSource | null {
  const { orgId, donorId, year, locale, issuedAt, asOf, donationIds, refundIds } = source;
  if (!isUuid(orgId) || !isUuid(donorId) || typeof year !== 'number' || !Number.isInteger(year) || (locale !== 'vi' && locale !== 'en') || typeof issuedAt !== 'string' || Number.isNaN(Date.parse(issuedAt))) return null;
  if (asOf !== undefined && (typeof asOf !== 'string' || !AS_OF.test(asOf))) return null;
  if (donationIds !== undefined && (asOf === undefined || !isIdList(donationIds, 1))) return null;
  if (refundIds !== undefined && (donationIds === undefined || !isIdList(refundIds, 0))) return null;
  return { orgId, donorId, year, locale, issuedAt, asOf, donationIds, refundIds };
}

/**
 * A donor's year as a PDF, from the attachment's stored source (see src/mail/send.ts): the gifts
 * the mail counted, with their receipts and refunds recorded by `asOf`, so the PDF adds up to the
 * mail's total whatever happened since. The header is the donor the mail was addressed to. If that
 * donor has since been merged into another, the merged record (which stays, with its name and
 * email) still heads it and the stored gifts are drawn wherever they now belong: the donor gets the
 * statement of exactly what the mail thanked them for, under the name it was addressed to, and the
 * PDF never shows the kept record's details to the merged record's address (a merge can be a
 * mistake). Setting the mail aside instead would leave those gifts unthanked, as the mail could never
 * be queued again. A donor who is not there at all cannot head a statement: set aside.
 */
export async function renderStatementAttachment(db: Db, stored: Record<string, unknown>, message: { orgId: string | null }): Promise<Uint8Array> {
  const source = statementAttachmentSource(stored);
  if (!source) throw new AttachmentError('annual_statement attachment: malformed source');
  const { orgId, donorId, year, locale, issuedAt, asOf, donationIds, refundIds } = source;
  if (orgId !== message.orgId) throw new AttachmentError("annual_statement attachment: not the message's organisation");
  let statement;
  try {
    // Mail queued before `asOf` was stored: the books as they stand now; before the list: the donor's gifts.
    statement = await annualStatement(db, orgId, donorId, year, locale, { asOf, donationIds, refundIds });
  } catch (err) {
    if (err instanceof ProblemError && err.status === 404) throw new AttachmentError('annual_statement attachment: no such donor');
    throw err;
  }
  // Each stored gift is the organisation's, of the year and recorded by `asOf` when it was counted,
  // and gifts are never deleted: one missing means the source was not written by the queue.
  if (donationIds && statement.lines.length !== donationIds.length) throw new AttachmentError("annual_statement attachment: a counted gift is not among the organisation's gifts of the year");
  if (refundIds && statement.refunds !== refundIds.length) throw new AttachmentError('annual_statement attachment: a counted refund is not among the refunds of the counted gifts');
  return renderStatementPdf(statement, locale, new Date(issuedAt));
}

export function yearEndEmail(i: { locale: Locale; orgName: string; donorName: string; year: number; gifts: number; totals: { currency: string; netMinor: bigint }[]; portalUrl: string }) {
  const total = i.totals
    .filter((t) => t.netMinor > 0n)
    .map((t) => formatMoney(t.netMinor, t.currency, i.locale))
    .join(' + ');
  const n = formatNumber(i.gifts, i.locale);
  if (i.locale === 'en') {
    const gifts = i.gifts === 1 ? 'one gift' : `${n} gifts`;
    return {
      subject: `Your giving in ${i.year}: thank you from ${i.orgName}`,
      text: `Dear ${i.donorName},\n\nIn ${i.year} you gave ${i.orgName} ${gifts}, ${total} in all (after any refunds).\nYour ${i.year} statement, attached as a PDF, lists each gift with its receipt number. You can also see it, and your other years, here: ${i.portalUrl}\n\nThank you for what you have given to children.`,
      html: wrapHtml(
        'en',
        `<p>Dear ${escapeHtml(i.donorName)},</p><p>In ${i.year} you gave ${escapeHtml(i.orgName)} ${escapeHtml(gifts)}, <strong>${escapeHtml(total)}</strong> in all (after any refunds).</p><p>Your ${i.year} statement, attached as a PDF, lists each gift with its receipt number. You can also see it, and your other years, here: <a href="${escapeHtml(i.portalUrl)}">your gifts and statements</a>.</p><p>Thank you for what you have given to children.</p>`,
      ),
    };
  }
  return {
    subject: `Các khoản đóng góp năm ${i.year}: ${i.orgName} xin cảm ơn`,
    text: `Kính gửi ${i.donorName},\n\nNăm ${i.year}, bạn đã ủng hộ ${i.orgName} ${n} lần, tổng cộng ${total} (sau hoàn tiền, nếu có).\nBảng kê năm ${i.year} (tệp PDF đính kèm) liệt kê từng khoản với số biên nhận. Bạn cũng có thể xem bảng kê này và các năm khác tại: ${i.portalUrl}\n\nXin chân thành cảm ơn tấm lòng của bạn đối với trẻ em.`,
    html: wrapHtml(
      'vi',
      `<p>Kính gửi ${escapeHtml(i.donorName)},</p><p>Năm ${i.year}, bạn đã ủng hộ ${escapeHtml(i.orgName)} ${escapeHtml(n)} lần, tổng cộng <strong>${escapeHtml(total)}</strong> (sau hoàn tiền, nếu có).</p><p>Bảng kê năm ${i.year} (tệp PDF đính kèm) liệt kê từng khoản với số biên nhận. Bạn cũng có thể xem bảng kê này và các năm khác tại: <a href="${escapeHtml(i.portalUrl)}">các khoản đóng góp và bảng kê của bạn</a>.</p><p>Xin chân thành cảm ơn tấm lòng của bạn đối với trẻ em.</p>`,
    ),
  };
}

/** Rows written per statement: a centre's few thousand donors go in a handful of inserts. */
const CHUNK = 500;

/**
 * Queues the year's mail for every donor who gave and has not had it: all in one transaction, so a
 * failure queues none. Returns how many were queued now.
 */
export async function queueYearEndStatements(db: Db, org: { id: string; slug: string; name: string; shortCode: string }, year: number, opts: { appUrl: string; today: Date }): Promise<{ queued: number }> {
  checkYear(year, opts.today);
  // One moment for the mail's totals and the PDF drawn later: what was recorded by now.
  const asOf = await databaseNow(db);
  const list = (await donorsOfYear(db, org.id, year, { asOf, withGiftIds: true })).filter((d) => d.email);
  const portalUrl = `${opts.appUrl}/d/${org.slug}`;
  const queued = await inTransaction(db, async (tx) => {
    let n = 0;
    for (let i = 0; i < list.length; i += CHUNK) {
      const values = list.slice(i, i + CHUNK).map((d) => {
        const mail = yearEndEmail({ locale: d.locale, orgName: org.name, donorName: d.name, year, gifts: d.gifts, totals: d.totals, portalUrl });
        // The PDF is drawn from the very gifts and refunds counted here: a merge before it is sent
        // moves gifts between donors, and a gift or refund whose transaction began before `asOf`
        // may commit after this read.
        const listed = d.giftIds.length <= MAX_COUNTED_GIFTS && d.refundIds.length <= MAX_COUNTED_GIFTS;
        const counted = listed ? { donationIds: d.giftIds, refundIds: d.refundIds } : {};
        const source = { kind: STATEMENT_ATTACHMENT, orgId: org.id, donorId: d.id, year, locale: d.locale, issuedAt: opts.today.toISOString(), asOf, ...counted };
        const pdf = { filename: statementFileName(org.shortCode, year), contentType: 'application/pdf', render: source };
        return { orgId: org.id, toAddress: d.email!, locale: d.locale, template: 'annual_statement', subject: mail.subject, html: mail.html, text: mail.text, attachments: [pdf], dedupeKey: dedupeKey(d.id, year) };
      });
      const rows = await tx.insert(outbox).values(values).onConflictDoNothing({ target: outbox.dedupeKey }).returning({ id: outbox.id });
      n += rows.length;
    }
    return n;
  });
  return { queued };
}
