/**
 * Reports by link, without an account: /r/<token> shows the stored version the link was made
 * for (HTML), /r/<token>/<file> the same version as PDF, JSON, IATI XML or CSV. Unknown, expired
 * and revoked tokens are all the same 404; every request counts against a per-address limit.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env';
import { LIMITS, rateLimit } from '../http/rate-limit';
import { ProblemError } from '../http/problem';
import { isLocale } from '../ui/i18n';
import { FORMAT_LABEL, publishVersion, renderVersionFile, versionFiles } from './render';
import { versionForToken } from './versions';

export const reportLinkPages = new Hono<AppEnv>();

reportLinkPages.use('/r/*', rateLimit(LIMITS.reportLinkPerIp));

async function serve(c: Context<AppEnv>, token: string, file: string) {
  const v = await versionForToken(c.get('db'), token, c.get('deps').clock.now());
  if (!v) throw new ProblemError(404, 'This report link does not exist or has expired.');
  const report = publishVersion(v);
  // The language the report was made in, unless the reader chose one.
  const locale = isLocale(c.req.query('lang')) ? c.get('locale') : report.meta.language;
  const alternates = versionFiles(report, locale)
    .filter((f) => f !== 'report.html')
    .map((f) => ({ href: `/r/${token}/${f}`, label: FORMAT_LABEL[f]?.[locale] ?? `CSV: ${f}` }));
  const out = await renderVersionFile(report, file, locale, { alternates });
  if (!out) throw new ProblemError(404, 'No such file in this report.');
  c.header('cache-control', 'private, no-store');
  c.header('x-robots-tag', 'noindex, nofollow');
  c.header('referrer-policy', 'no-referrer');
  return c.body(out.body as never, 200, {
    'content-type': out.contentType,
    'content-disposition': `${file === 'report.html' ? 'inline' : 'attachment'}; filename="${out.filename}"`,
  });
}

reportLinkPages.get('/r/:token', (c) => serve(c, c.req.param('token'), 'report.html'));
reportLinkPages.get('/r/:token/:file', (c) => serve(c, c.req.param('token'), c.req.param('file')));
