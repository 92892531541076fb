import type { Child } from 'hono/jsx';
import { t, type Locale } from './i18n';

export interface LayoutProps {
  title: string;
  locale: Locale;
  /** Current path, used for the language switch link. */
  path?: string;
  signedIn?: boolean;
  orgSlug?: string;
  orgName?: string;
  nav?: { href: string; label: string }[];
  children?: Child;
}

export function Layout(props: LayoutProps) {
  const { locale } = props;
  const other = locale === 'vi' ? 'en' : 'vi';
  const switchHref = `${props.path ?? '/'}${(props.path ?? '/').includes('?') ? '&' : '?'}lang=${other}`;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Sẻ Chia`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip" href="#main">
          {t(locale, 'skipToContent')}
        </a>
        <header class="top">
          <a class="brand" href={props.orgSlug ? `/o/${props.orgSlug}` : '/'}>
            Sẻ Chia{props.orgName ? <span class="muted"> · {props.orgName}</span> : null}
          </a>
          <nav aria-label="main">
            {(props.nav ?? []).map((n) => (
              <a href={n.href}>{n.label}</a>
            ))}
            <a href={switchHref} hreflang={other} lang={other}>
              {t(locale, 'language')}
            </a>
            {props.signedIn ? (
              <form method="post" action="/auth/logout" class="inline">
                <button type="submit" class="secondary">
                  {t(locale, 'signOut')}
                </button>
              </form>
            ) : null}
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer>Sẻ Chia · {t(locale, 'tagline')}</footer>
      </body>
    </html>
  );
}

