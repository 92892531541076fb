import { escapeHtml, wrapHtml } from '../mail/templates';
import { formatDate, formatMoney, type Locale } from '../ui/i18n';

interface ReceiptMailInput {
  locale: Locale;
  orgName: string;
  donorName: string;
  receiptCode: string;
  amountMinor: bigint;
  currency: string;
  receivedAt: Date;
  campaignTitle: string | null;
  portalUrl: string;
}

/** The thank-you receipt. Names the donor and the campaign, never a child. */
export function receiptEmail(i: ReceiptMailInput) {
  const amount = formatMoney(i.amountMinor, i.currency, i.locale);
  const date = formatDate(i.receivedAt, i.locale);
  if (i.locale === 'en') {
    const forWhat = i.campaignTitle ? ` to "${i.campaignTitle}"` : '';
    return {
      subject: `Receipt ${i.receiptCode}: thank you for your gift`,
      text: `Dear ${i.donorName},\n\n${i.orgName} received your gift of ${amount}${forWhat} on ${date}.\nReceipt number: ${i.receiptCode}\n\nYour gifts and receipts: ${i.portalUrl}\n\nThank you.`,
      html: wrapHtml(
        'en',
        `<p>Dear ${escapeHtml(i.donorName)},</p><p>${escapeHtml(i.orgName)} received your gift of <strong>${escapeHtml(amount)}</strong>${escapeHtml(forWhat)} on ${escapeHtml(date)}.</p><p>Receipt number: <strong>${escapeHtml(i.receiptCode)}</strong></p><p><a href="${escapeHtml(i.portalUrl)}">Your gifts and receipts</a></p><p>Thank you.</p>`,
      ),
    };
  }
  const forWhat = i.campaignTitle ? ` cho chương trình "${i.campaignTitle}"` : '';
  return {
    subject: `Biên nhận ${i.receiptCode}: cảm ơn tấm lòng của bạn`,
    text: `Kính gửi ${i.donorName},\n\n${i.orgName} đã nhận khoản ủng hộ ${amount}${forWhat} ngày ${date}.\nSố biên nhận: ${i.receiptCode}\n\nXem các khoản đóng góp và biên nhận: ${i.portalUrl}\n\nXin chân thành cảm ơn.`,
    html: wrapHtml(
      'vi',
      `<p>Kính gửi ${escapeHtml(i.donorName)},</p><p>${escapeHtml(i.orgName)} đã nhận khoản ủng hộ <strong>${escapeHtml(amount)}</strong>${escapeHtml(forWhat)} ngày ${escapeHtml(date)}.</p><p>Số biên nhận: <strong>${escapeHtml(i.receiptCode)}</strong></p><p><a href="${escapeHtml(i.portalUrl)}">Xem các khoản đóng góp và biên nhận</a></p><p>Xin chân thành cảm ơn.</p>`,
    ),
  };
}

/** After a refund: the corrected receipt replaces the original for the amount still given. */
export function correctedReceiptEmail(i: ReceiptMailInput & { originalCode: string; refundedMinor: bigint }) {
  const remaining = formatMoney(i.amountMinor, i.currency, i.locale);
  const refunded = formatMoney(i.refundedMinor, i.currency, i.locale);
  if (i.locale === 'en') {
    return {
      subject: `Corrected receipt ${i.receiptCode} (replaces ${i.originalCode})`,
      text: `Dear ${i.donorName},\n\n${refunded} of your gift was refunded. This corrected receipt ${i.receiptCode} replaces ${i.originalCode}: your gift now stands at ${remaining}.\n\n${i.portalUrl}`,
      html: wrapHtml(
        'en',
        `<p>Dear ${escapeHtml(i.donorName)},</p><p>${escapeHtml(refunded)} of your gift was refunded. This corrected receipt <strong>${escapeHtml(i.receiptCode)}</strong> replaces ${escapeHtml(i.originalCode)}: your gift now stands at <strong>${escapeHtml(remaining)}</strong>.</p><p><a href="${escapeHtml(i.portalUrl)}">Your gifts and receipts</a></p>`,
      ),
    };
  }
  return {
    subject: `Biên nhận điều chỉnh ${i.receiptCode} (thay cho ${i.originalCode})`,
    text: `Kính gửi ${i.donorName},\n\n${refunded} trong khoản ủng hộ của bạn đã được hoàn lại. Biên nhận điều chỉnh ${i.receiptCode} thay cho ${i.originalCode}: khoản ủng hộ còn ${remaining}.\n\n${i.portalUrl}`,
    html: wrapHtml(
      'vi',
      `<p>Kính gửi ${escapeHtml(i.donorName)},</p><p>${escapeHtml(refunded)} trong khoản ủng hộ của bạn đã được hoàn lại. Biên nhận điều chỉnh <strong>${escapeHtml(i.receiptCode)}</strong> thay cho ${escapeHtml(i.originalCode)}: khoản ủng hộ còn <strong>${escapeHtml(remaining)}</strong>.</p><p><a href="${escapeHtml(i.portalUrl)}">Xem các khoản đóng góp và biên nhận</a></p>`,
    ),
  };
}

export function donorPortalLinkEmail(input: { locale: Locale; orgName: string; link: string }) {
  if (input.locale === 'en') {
    return {
      subject: `Your gifts to ${input.orgName}`,
      text: `Open this link to see your gifts and receipts (it works once, for 15 minutes):\n${input.link}\n\nIf you did not ask for it, ignore this email.`,
      html: wrapHtml('en', `<p>Open this link to see your gifts and receipts. It works once, for 15 minutes.</p><p><a href="${escapeHtml(input.link)}">Open my gifts</a></p>`),
    };
  }
  return {
    subject: `Các khoản ủng hộ của bạn tại ${input.orgName}`,
    text: `Mở liên kết sau để xem các khoản ủng hộ và biên nhận (dùng một lần, trong 15 phút):\n${input.link}\n\nNếu bạn không yêu cầu, hãy bỏ qua email này.`,
    html: wrapHtml('vi', `<p>Mở liên kết sau để xem các khoản ủng hộ và biên nhận. Liên kết dùng một lần, trong 15 phút.</p><p><a href="${escapeHtml(input.link)}">Xem khoản ủng hộ của tôi</a></p>`),
  };
}
