import { Hono } from 'hono';
import { desc } from 'drizzle-orm';
import type { AppEnv } from '../http/env';
import { outbox } from '../db/schema';
import { Layout } from '../ui/layout';
import { t } from '../ui/i18n';
import { raw } from 'hono/html';

/**
 * Local only (APP_ENV != production): the outbox as a mailbox, so a developer without a mail
 * provider can follow sign-in links and see receipts.
 */
export const devMailPages = new Hono<AppEnv>();

devMailPages.get('/dev/mail', async (c) => {
  const locale = c.get('locale');
  const rows = await c.get('db').select().from(outbox).orderBy(desc(outbox.createdAt)).limit(50);
  return c.html(
    <Layout title="Dev mail" locale={locale} path="/dev/mail">
      <h1>Dev mail</h1>
      {c.get('deps').mailer.kind === 'none' ? <p class="notice">{t(locale, 'mailNotConfigured')}</p> : null}
      {rows.length === 0 ? <p class="muted">(empty)</p> : null}
      {rows.map((m) => (
        <article class="card" data-outbox-id={m.id}>
          <p>
            <strong>{m.subject}</strong> <span class="badge">{m.status}</span> <span class="muted">→ {m.toAddress} · {m.createdAt.toISOString()}</span>
          </p>
          <div class="mail-body">{raw(m.html.replace(/^[\s\S]*<body[^>]*>|<\/body>[\s\S]*$/g, ''))}</div>
        </article>
      ))}
    </Layout>,
  );
});
