/**
 * A donor's annual giving statement as an A4 PDF: the same lines as the printable page (date,
 * receipt number, campaign, method, amount, refunded), the net total per currency, and what the
 * statement is. A company's accountant files it with the receipts; it names the donor and never a
 * child. Laid out with the report's page toolkit, so it runs in Workers and Node alike.
 */
import { formatDate, formatMoney, type Locale } from '../ui/i18n';
import { BOTTOM, C, documentFonts, drawFooters, Flow, LEFT, RIGHT, WIDTH, writePdfDocument, type PdfLayout } from '../reports/pdf-layout';
import { channelLabel, STATEMENT_TEXT, type annualStatement } from './statement';

type Statement = Awaited<ReturnType<typeof annualStatement>>;

/** The page's words (statement.tsx), and those only the PDF prints. */
const T = {
  ...STATEMENT_TEXT,
  issued: { vi: 'Ngày lập', en: 'Issued on' },
  about: {
    vi: 'Bảng kê liệt kê các khoản đóng góp tổ chức đã ghi nhận từ nhà tài trợ trong năm (theo giờ Việt Nam), mỗi khoản với số biên nhận đã cấp. Khoản đã hoàn được trừ khỏi tổng cộng.',
    en: 'This statement lists the gifts the organisation recorded from the donor in the year (Vietnam time), each with the number of the receipt issued for it. Refunds are taken off the total.',
  },
  thanks: { vi: 'Xin chân thành cảm ơn tấm lòng của quý nhà tài trợ đối với trẻ em.', en: 'Thank you for what you have given to children.' },
  page: { vi: 'Trang', en: 'Page' },
};

/** Columns: left edge and width, in points; the campaign takes what the others leave. */
const COLS = (() => {
  const date = 64;
  const receipt = 84;
  const method = 72;
  const amount = 84;
  const refunded = 66;
  const campaign = WIDTH - date - receipt - method - amount - refunded;
  const widths = [date, receipt, campaign, method, amount, refunded];
  const lefts = widths.map((_, i) => LEFT + widths.slice(0, i).reduce((a, b) => a + b, 0));
  return { widths, lefts };
})();
const RIGHT_ALIGNED = new Set([4, 5]);

/** Lays the statement out on A4 pages (what tests inspect); `issuedAt` is when it is drawn up. */
export function layoutStatementPdf(s: Statement, locale: Locale, issuedAt: Date): PdfLayout {
  const flow = new Flow(documentFonts());
  flow.paragraph(s.org.name, 'regular', 10, C.muted);
  flow.y += 2;
  flow.paragraph(`${T.title[locale]} ${s.year}`, 'bold', 18, C.strong, LEFT, WIDTH, 1.25);
  flow.y += 4;
  flow.paragraph(`${T.donor[locale]}: ${s.donor.name}`, 'regular', 10);
  if (s.donor.email) flow.paragraph(`Email: ${s.donor.email}`, 'regular', 9.5);
  flow.paragraph(`${T.issued[locale]}: ${formatDate(issuedAt, locale)}`, 'regular', 9.5);
  flow.y += 4;
  flow.page.rule(LEFT, flow.y, RIGHT, C.strong, 1.2);
  flow.y += 10;

  if (!s.lines.length) {
    flow.paragraph(T.none[locale], 'regular', 10.5);
  } else {
    const headers = [T.date, T.receipt, T.campaign, T.method, T.amount, T.refunded].map((h) => h[locale]);
    const cellText = (i: number, y: number, text: string, bold: boolean, color = C.text) => {
      const font = bold ? 'bold' : 'regular';
      if (RIGHT_ALIGNED.has(i)) flow.page.textRight(COLS.lefts[i]! + COLS.widths[i]! - 4, y, text, font, 8.5, color);
      else flow.page.text(COLS.lefts[i]! + 4, y, text, font, 8.5, color);
    };
    const drawHeader = () => {
      flow.page.rect(LEFT, flow.y, WIDTH, 17, C.band);
      headers.forEach((h, i) => cellText(i, flow.y + 11.5, h, true, C.muted));
      flow.y += 17;
    };
    drawHeader();
    for (const l of s.lines) {
      const cells = [
        formatDate(l.date, locale),
        l.receiptCodes.join(', '),
        l.campaign ?? T.general[locale],
        channelLabel(l.channel, locale),
        formatMoney(l.amountMinor, l.currency, locale),
        l.refundedMinor > 0n ? formatMoney(l.refundedMinor, l.currency, locale) : '',
      ];
      const wrapped = cells.map((text, i) => (text ? flow.wrap(text, 'regular', 8.5, COLS.widths[i]! - 8) : []));
      const height = Math.max(1, ...wrapped.map((w) => w.length)) * 11 + 6;
      if (flow.y + height > BOTTOM) {
        flow.newPage();
        drawHeader();
      }
      wrapped.forEach((lines, i) => lines.forEach((line, k) => cellText(i, flow.y + 11 + k * 11, line, false)));
      flow.y += height;
      flow.page.rule(LEFT, flow.y, RIGHT);
    }
  }

  flow.heading(T.total[locale], 11.5, 14, 16 * Math.max(1, s.totals.length));
  for (const t of s.totals) {
    flow.ensure(16);
    flow.page.textRight(RIGHT - 4, flow.y + 11.5, formatMoney(t.netMinor, t.currency, locale), 'bold', 10);
    flow.page.text(LEFT + 4, flow.y + 11.5, t.currency, 'regular', 9, C.muted);
    flow.y += 16;
    flow.page.rule(LEFT, flow.y, RIGHT);
  }
  flow.y += 14;
  flow.paragraph(T.about[locale], 'regular', 8.5, C.muted);
  flow.y += 4;
  flow.paragraph(T.thanks[locale], 'regular', 10);

  const layout = { pages: flow.pages, fonts: flow.fonts };
  drawFooters(layout, `${s.org.name} · ${T.title[locale]} ${s.year}`, (i, n) => (locale === 'vi' ? `${T.page.vi} ${i}/${n}` : `${T.page.en} ${i} of ${n}`));
  return layout;
}

/** The statement's PDF file. */
export function renderStatementPdf(s: Statement, locale: Locale, issuedAt: Date): Promise<Uint8Array> {
  return writePdfDocument(layoutStatementPdf(s, locale, issuedAt), {
    title: `${T.title[locale]} ${s.year} · ${s.donor.name}`,
    author: s.org.name,
    locale,
    createdAt: issuedAt.toISOString(),
  });
}

/** The file name a browser saves: organisation code and year, no one's name. */
export const statementFileName = (orgShortCode: string, year: number) => `${orgShortCode}-${year}-statement.pdf`;

/** The HTTP answer carrying the PDF: personal data, so never stored by a cache on the way. */
export async function statementPdfResponse(s: Statement, locale: Locale, issuedAt: Date): Promise<Response> {
  const bytes = await renderStatementPdf(s, locale, issuedAt);
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${statementFileName(s.org.shortCode, s.year)}"`,
      'cache-control': 'private, no-store',
    },
  });
}
