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
  /**
   * For a public page people share (Facebook, Zalo): its canonical address and a one-line
   * description, as Open Graph tags and a meta description.
   */
  share?: { url: string; description: string; siteName: string };
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
        {props.share ? (
          <>
            <meta name="description" content={props.share.description} />
            <link rel="canonical" href={props.share.url} />
            <meta property="og:type" content="website" />
            <meta property="og:title" content={props.title} />
            <meta property="og:description" content={props.share.description} />
            <meta property="og:url" content={props.share.url} />
            <meta property="og:site_name" content={props.share.siteName} />
            <meta property="og:locale" content={locale === 'vi' ? 'vi_VN' : 'en_GB'} />
          </>
        ) : null}
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

