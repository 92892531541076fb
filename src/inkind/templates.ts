import type { ItemUnit } from '../db/schema';
import { escapeHtml, wrapHtml } from '../mail/templates';
import { formatDate, formatMoney, formatNumber, type Locale } from '../ui/i18n';
import { UNIT_LABEL } from './labels';

export interface AckInput {
  locale: Locale;
  orgName: string;
  donorName: string;
  receivedOn: string;
  lines: { nameVi: string; nameEn: string | null; unit: ItemUnit; quantity: number; valueMinor: bigint }[];
  currency: string;
  /** The organisation states a value only where it chooses to. */
  statesValue: boolean;
}

/** Thanks the donor for goods: items and quantities, a value only if the organisation states one. */
export function intakeAcknowledgementEmail(i: AckInput) {
  const en = i.locale === 'en';
  const date = formatDate(`${i.receivedOn}T12:00:00+07:00`, i.locale);
  const lineText = (l: AckInput['lines'][number]) => {
    const name = en ? (l.nameEn ?? l.nameVi) : l.nameVi;
    const unit = UNIT_LABEL[l.unit][en ? 'en' : 'vi'];
    const value = i.statesValue && l.valueMinor > 0n ? ` (${formatMoney(l.valueMinor, i.currency, i.locale)})` : '';
    return `${formatNumber(l.quantity, i.locale)} ${unit} ${name}${value}`;
  };
  const total = i.lines.reduce((s, l) => s + l.valueMinor, 0n);
  const totalText = i.statesValue && total > 0n ? formatMoney(total, i.currency, i.locale) : null;
  if (en) {
    return {
      subject: `${i.orgName}: thank you for your gift of goods`,
      text: `Dear ${i.donorName},\n\n${i.orgName} received your gift on ${date}:\n${i.lines.map((l) => `- ${lineText(l)}`).join('\n')}\n${totalText ? `Stated value: ${totalText}\n` : ''}\nThank you.`,
      html: wrapHtml(
        'en',
        `<p>Dear ${escapeHtml(i.donorName)},</p><p>${escapeHtml(i.orgName)} received your gift on ${escapeHtml(date)}:</p><ul>${i.lines.map((l) => `<li>${escapeHtml(lineText(l))}</li>`).join('')}</ul>${totalText ? `<p>Stated value: <strong>${escapeHtml(totalText)}</strong></p>` : ''}<p>Thank you.</p>`,
      ),
    };
  }
  return {
    subject: `${i.orgName}: cảm ơn bạn đã ủng hộ hiện vật`,
    text: `Kính gửi ${i.donorName},\n\n${i.orgName} đã tiếp nhận hiện vật bạn ủng hộ ngày ${date}:\n${i.lines.map((l) => `- ${lineText(l)}`).join('\n')}\n${totalText ? `Giá trị ghi nhận: ${totalText}\n` : ''}\nXin chân thành cảm ơn.`,
    html: wrapHtml(
      'vi',
      `<p>Kính gửi ${escapeHtml(i.donorName)},</p><p>${escapeHtml(i.orgName)} đã tiếp nhận hiện vật bạn ủng hộ ngày ${escapeHtml(date)}:</p><ul>${i.lines.map((l) => `<li>${escapeHtml(lineText(l))}</li>`).join('')}</ul>${totalText ? `<p>Giá trị ghi nhận: <strong>${escapeHtml(totalText)}</strong></p>` : ''}<p>Xin chân thành cảm ơn.</p>`,
    ),
  };
}
