import type { Child } from 'hono/jsx';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { Layout } from './layout';
import { orgNavItems } from './nav';

/**
 * A staff page of the current organisation: the layout with the organisation's navigation.
 * Staff pages are never cached by browsers or proxies (they can carry case and donor data).
 */
export function orgPage(c: Context<AppEnv>, title: string, path: string, body: Child | unknown, status: 200 | 400 | 404 | 409 | 502 | 503 = 200) {
  const org = c.get('org');
  const locale = c.get('locale');
  c.header('cache-control', 'private, no-store');
  return c.html(
    <Layout title={title} locale={locale} path={path} signedIn orgSlug={org.slug} orgName={org.name} nav={orgNavItems(locale, org.slug, org.roles)}>
      {body as never}
    </Layout>,
    status,
  );
}

/** Whether the signed-in member has one of these roles in the current organisation. */
export const hasRole = (c: Context<AppEnv>, roles: readonly string[]) => c.get('org').roles.some((r) => roles.includes(r));
