import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { STAFF_READ } from '../http/routes';
import { Layout } from '../ui/layout';
import { formatDate, formatDateTime, formatMoney, formatNumber, localized, pick, roleLabel, t, type Locale } from '../ui/i18n';
import { dashboardTodo, type TodoItem } from './todo';
import { dashboardCounts } from './dashboard';
import { orgNavItems } from '../ui/nav';
import { attentionSummary } from '../attention/attention';
import { publicCentres } from '../giving/campaigns';
import type { Db } from '../db/types';

const FRONT = {
  title: { vi: 'Ủng hộ trẻ em cùng các trung tâm', en: 'Give to children through their centres' },
  intro: {
    vi: 'Các trung tâm công tác xã hội và quỹ bảo trợ trẻ em vận động cho trẻ em có hoàn cảnh đặc biệt. Chọn một trung tâm để xem các chương trình đang vận động và ủng hộ.',
    en: 'Social-work centres and child-protection funds raise support for children in special circumstances. Choose a centre to see what it is raising for and give.',
  },
  centres: { vi: 'Các trung tâm', en: 'Centres' },
  running: { vi: '{n} chương trình đang vận động', en: 'campaigns running now: {n}' },
  noneRunning: { vi: 'chưa có chương trình đang vận động', en: 'no campaign running now' },
  staff: { vi: 'Nhân viên trung tâm: đăng nhập', en: 'Centre staff: sign in' },
};

/** What a visitor who is not signed in sees at the root: the centres and what they raise for. */
async function FrontPage(props: { db: Db; locale: Locale }) {
  const { locale } = props;
  const centres = await publicCentres(props.db);
  return (
    <Layout title={pick(locale, FRONT.title)} locale={locale} path="/">
      <h1>{pick(locale, FRONT.title)}</h1>
      <p>{pick(locale, FRONT.intro)}</p>
      <h2>{pick(locale, FRONT.centres)}</h2>
      <ul>
        {centres.map((o) => (
          <li data-centre={o.slug}>
            <a href={`/c/${o.slug}`}>{o.name}</a>{' '}
            <span class="muted">
              ({o.activeCampaigns ? pick(locale, FRONT.running, { n: formatNumber(o.activeCampaigns, locale) }) : pick(locale, FRONT.noneRunning)})
            </span>
          </li>
        ))}
      </ul>
      <p>
        <a href="/login">{pick(locale, FRONT.staff)}</a>
      </p>
    </Layout>
  );
}

const TODO = {
  title: { vi: 'Việc cần làm', en: 'To do' },
  none: { vi: 'Không có việc nào đang chờ.', en: 'Nothing is waiting.' },
  bankLines: { vi: '{n} dòng sao kê ngân hàng chờ đối soát', en: 'Bank statement lines waiting to be matched: {n}' },
  toMatch: { vi: '{n} suất quà đã có người ủng hộ, chờ ghép với trẻ', en: 'Packages paid for, waiting to be matched to a child: {n}' },
  toDeliver: { vi: '{n} suất quà đã ghép, chờ trao', en: 'Packages matched, waiting to be handed over: {n}' },
  report: {
    vi: 'Báo cáo định kỳ “{grant}” (đến {period}) chờ xem trước và gửi; tự gửi từ {after}',
    en: 'Scheduled report “{grant}” (to {period}) waiting for a preview and sending; it goes by itself from {after}',
  },
};

/** What is waiting, and which drive or grant it belongs to. */
function todoText(item: TodoItem, locale: Locale): { what: string; of?: string } {
  const fill = (text: { vi: string; en: string }, vars: Record<string, string>) => Object.entries(vars).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), pick(locale, text));
  const n = formatNumber(item.count, locale);
  switch (item.kind) {
    case 'bank_lines':
      return { what: fill(TODO.bankLines, { n }) };
    case 'units_to_match':
      return { what: fill(TODO.toMatch, { n }), of: localized(locale, item.driveTitle, item.driveTitleEn) };
    case 'units_to_deliver':
      return { what: fill(TODO.toDeliver, { n }), of: localized(locale, item.driveTitle, item.driveTitleEn) };
    case 'report_to_send':
      return {
        what: fill(TODO.report, {
          grant: localized(locale, item.grantTitle, item.grantTitleEn),
          period: formatDate(`${item.periodTo}T00:00:00+07:00`, locale),
          after: formatDateTime(item.sendAfter, locale),
        }),
      };
  }
}

export const orgPages = new Hono<AppEnv>();

orgPages.get('/', (c) => {
  const principal = c.get('principal');
  const locale = c.get('locale');
  if (!principal) return c.html(<FrontPage db={c.get('db')} locale={locale} />);
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
  const todo = await dashboardTodo(c.get('db'), org, org.roles);
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
      <section aria-labelledby="todo-h">
        <h2 id="todo-h">{pick(locale, TODO.title)}</h2>
        {todo.length ? (
          <ul id="todo">
            {todo.map((item) => {
              const text = todoText(item, locale);
              return (
                <li data-todo={item.kind}>
                  <a href={item.href}>{text.what}</a>
                  {text.of ? <span class="muted"> · {text.of}</span> : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <p class="muted">{pick(locale, TODO.none)}</p>
        )}
      </section>
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
