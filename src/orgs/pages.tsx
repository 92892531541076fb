import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { STAFF_READ } from '../http/routes';
import { Layout } from '../ui/layout';
import { formatMoney, formatNumber, roleLabel, t } from '../ui/i18n';
import { dashboardCounts } from './dashboard';
import { orgNavItems } from '../ui/nav';
import { attentionSummary } from '../attention/attention';

export const orgPages = new Hono<AppEnv>();

orgPages.get('/', (c) => {
  const principal = c.get('principal');
  const locale = c.get('locale');
  if (!principal) return c.redirect('/login', 303);
  const orgs = new Map<string, { slug: string; name: string; roles: string[] }>();
  for (const m of principal.memberships) {
    const o = orgs.get(m.slug) ?? { slug: m.slug, name: m.name, roles: [] };
    o.roles.push(m.role);
    orgs.set(m.slug, o);
  }
  if (orgs.size === 1) return c.redirect(`/o/${[...orgs.keys()][0]}`, 303);
  return c.html(
    <Layout title={t(locale, 'yourOrganisations')} locale={locale} path="/" signedIn>
      <h1>{t(locale, 'yourOrganisations')}</h1>
      <ul>
        {[...orgs.values()].map((o) => (
          <li>
            <a href={`/o/${o.slug}`}>{o.name}</a> <span class="muted">({o.roles.map((r) => roleLabel(r, locale)).join(', ')})</span>
          </li>
        ))}
      </ul>
    </Layout>,
  );
});

orgPages.get('/o/:org', requireOrgRole(STAFF_READ), async (c) => {
  const org = c.get('org');
  const locale = c.get('locale');
  const counts = await dashboardCounts(c.get('db'), org.id);
  // Dead-lettered mail and payments under review: for the roles that can act on them.
  const attention = org.roles.some((r) => r === 'admin' || r === 'finance') ? await attentionSummary(c.get('db'), org.id) : null;
  const labels: Record<string, string> = {
    staff: t(locale, 'staff'),
    locations: t(locale, 'locations'),
    donors: t(locale, 'donors'),
    donations: t(locale, 'donations'),
    cases: t(locale, 'openCases'),
    packages: t(locale, 'packages'),
    raised: t(locale, 'raisedNet'),
  };
  return c.html(
    <Layout title={t(locale, 'dashboard')} locale={locale} path={`/o/${org.slug}`} signedIn orgSlug={org.slug} orgName={org.name} nav={orgNavItems(locale, org.slug, org.roles)}>
      <h1>{org.name}</h1>
      <p class="muted">
        {t(locale, 'roles')}: {org.roles.map((r) => roleLabel(r, locale)).join(', ')}
      </p>
      {attention && (attention.deadMail > 0 || attention.openReview > 0) ? (
        <p class="notice" role="status" data-attention-alert>
          <a href={`/o/${org.slug}/attention`}>{t(locale, 'attentionAlert', { mail: formatNumber(attention.deadMail, locale), review: formatNumber(attention.openReview, locale) })}</a>
        </p>
      ) : null}
      <section aria-labelledby="counts-h">
        <h2 id="counts-h">{t(locale, 'dashboard')}</h2>
        <div class="cards">
          {Object.entries(counts).map(([k, v]) => (
            <div class="card" data-count={k}>
              <div class="n">{k === 'raised' ? formatMoney(BigInt(v), org.baseCurrency, locale) : typeof v === 'number' ? formatNumber(v, locale) : v}</div>
              <div class="l">{labels[k] ?? k}</div>
            </div>
          ))}
        </div>
      </section>
    </Layout>,
  );
});
