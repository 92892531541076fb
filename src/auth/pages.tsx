import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppEnv } from '../http/env';
import { Layout } from '../ui/layout';
import { t } from '../ui/i18n';
import { consumeLoginToken, requestLoginLink, revokeSession, SESSION_TTL_MS } from './auth';
import { SESSION_COOKIE } from '../http/middleware';
import { kickOutbox } from '../mail/kick';
import { loginLinkPerEmailLimit, loginLinkPerIpLimit } from '../http/rate-limit';

export const authPages = new Hono<AppEnv>();

const EmailForm = z.object({ email: z.string().trim().email().max(254) });

function LoginForm(props: { locale: 'vi' | 'en'; error?: string; email?: string }) {
  return (
    <form method="post" action="/login" class="stack" novalidate>
      {props.error ? (
        <p class="error" role="alert" id="email-error">
          {props.error}
        </p>
      ) : null}
      <div>
        <label for="email">{t(props.locale, 'email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          required
          value={props.email ?? ''}
          aria-describedby={props.error ? 'email-error' : undefined}
          aria-invalid={props.error ? 'true' : undefined}
        />
      </div>
      <button type="submit">{t(props.locale, 'sendLink')}</button>
    </form>
  );
}

authPages.get('/login', (c) => {
  const locale = c.get('locale');
  return c.html(
    <Layout title={t(locale, 'signIn')} locale={locale} path="/login">
      <h1>{t(locale, 'signIn')}</h1>
      <LoginForm locale={locale} />
    </Layout>,
  );
});

authPages.post('/login', loginLinkPerIpLimit, loginLinkPerEmailLimit, async (c) => {
  const locale = c.get('locale');
  const deps = c.get('deps');
  const form = await c.req.parseBody();
  const parsed = EmailForm.safeParse({ email: form.email });
  if (!parsed.success) {
    const msg = locale === 'vi' ? 'Hãy nhập một địa chỉ email hợp lệ.' : 'Please enter a valid email address.';
    return c.html(
      <Layout title={t(locale, 'signIn')} locale={locale} path="/login">
        <h1>{t(locale, 'signIn')}</h1>
        <LoginForm locale={locale} error={msg} email={typeof form.email === 'string' ? form.email.slice(0, 254) : ''} />
      </Layout>,
      400,
    );
  }
  await requestLoginLink(c.get('db'), { email: parsed.data.email, appUrl: deps.config.APP_URL, clock: deps.clock, requestId: c.get('requestId') });
  kickOutbox(c);
  return c.html(
    <Layout title={t(locale, 'signIn')} locale={locale} path="/login">
      <h1>{t(locale, 'signIn')}</h1>
      <p class="ok" role="status">
        {t(locale, 'linkSent')}
      </p>
      {deps.mailer.kind === 'none' && deps.config.APP_ENV !== 'production' ? (
        <p class="notice">
          {t(locale, 'devMailHint')} <a href="/dev/mail">/dev/mail</a>
        </p>
      ) : null}
    </Layout>,
  );
});

// The link opens a confirmation page; only the POST consumes the token, so mail scanners that
// prefetch links cannot burn it.
authPages.get('/auth/verify', (c) => {
  const locale = c.get('locale');
  const token = c.req.query('token') ?? '';
  return c.html(
    <Layout title={t(locale, 'confirmSignIn')} locale={locale} path="/login">
      <h1>{t(locale, 'confirmSignIn')}</h1>
      <form method="post" action="/auth/verify" class="stack">
        <p>{t(locale, 'confirmSignInText')}</p>
        <input type="hidden" name="token" value={token.slice(0, 200)} />
        <button type="submit">{t(locale, 'signIn')}</button>
      </form>
    </Layout>,
  );
});

authPages.post('/auth/verify', async (c) => {
  const locale = c.get('locale');
  const deps = c.get('deps');
  const form = await c.req.parseBody();
  const token = typeof form.token === 'string' ? form.token.slice(0, 200) : '';
  const result = token ? await consumeLoginToken(c.get('db'), { token, clock: deps.clock, requestId: c.get('requestId') }) : null;
  if (!result) {
    return c.html(
      <Layout title={t(locale, 'signIn')} locale={locale} path="/login">
        <h1>{t(locale, 'signIn')}</h1>
        <p class="error" role="alert">
          {t(locale, 'linkInvalid')}
        </p>
        <LoginForm locale={locale} />
      </Layout>,
      400,
    );
  }
  setCookie(c, SESSION_COOKIE, result.sessionToken, {
    path: '/',
    httpOnly: true,
    secure: deps.config.APP_URL.startsWith('https://'),
    sameSite: 'Lax',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
  return c.redirect('/', 303);
});

authPages.post('/auth/logout', async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await revokeSession(c.get('db'), token, c.get('deps').clock);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  return c.redirect('/login', 303);
});
