import type { Locale } from '../ui/i18n';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A plain, accessible HTML wrapper; every email also has a text part. */
export function wrapHtml(locale: Locale, bodyHtml: string): string {
  return `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1d2330;max-width:36rem;margin:0 auto;padding:1rem">${bodyHtml}<p style="color:#5b6475;font-size:.85rem">Sẻ Chia</p></body></html>`;
}

export function loginLinkEmail(input: { locale: Locale; link: string }) {
  if (input.locale === 'en') {
    return {
      subject: 'Your Sẻ Chia sign-in link',
      text: `Open this link to sign in (it works once, for 15 minutes):\n${input.link}\n\nIf you did not ask for it, ignore this email.`,
      html: wrapHtml('en', `<p>Open this link to sign in. It works once, for 15 minutes.</p><p><a href="${escapeHtml(input.link)}">Sign in to Sẻ Chia</a></p><p>If you did not ask for it, ignore this email.</p>`),
    };
  }
  return {
    subject: 'Liên kết đăng nhập Sẻ Chia',
    text: `Mở liên kết sau để đăng nhập (dùng một lần, trong 15 phút):\n${input.link}\n\nNếu bạn không yêu cầu, hãy bỏ qua email này.`,
    html: wrapHtml('vi', `<p>Mở liên kết sau để đăng nhập. Liên kết dùng một lần, trong 15 phút.</p><p><a href="${escapeHtml(input.link)}">Đăng nhập Sẻ Chia</a></p><p>Nếu bạn không yêu cầu, hãy bỏ qua email này.</p>`),
  };
}
