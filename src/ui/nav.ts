import type { Role } from '../db/schema';
import { t, type Locale } from './i18n';

/** Top navigation for staff pages; capabilities add their entries here as they land. */
export function orgNavItems(locale: Locale, slug: string, roles: Role[]) {
  const has = (...r: Role[]) => roles.some((x) => r.includes(x));
  const items = [{ href: `/o/${slug}`, label: t(locale, 'dashboard') }];
  if (has('admin', 'finance', 'coordinator', 'viewer')) items.push({ href: `/o/${slug}/donors`, label: t(locale, 'donors') });
  if (has('admin', 'finance', 'coordinator', 'viewer')) items.push({ href: `/o/${slug}/donations`, label: t(locale, 'donations') });
  items.push({ href: `/o/${slug}/campaigns`, label: t(locale, 'campaigns') });
  if (has('admin', 'finance', 'coordinator', 'viewer')) items.push({ href: `/o/${slug}/packages`, label: t(locale, 'packages') });
  if (has('admin', 'finance')) items.push({ href: `/o/${slug}/reconciliation`, label: t(locale, 'reconciliation') });
  if (has('admin', 'finance')) items.push({ href: `/o/${slug}/attention`, label: t(locale, 'attention') });
  if (has('admin', 'finance', 'coordinator', 'viewer')) items.push({ href: `/o/${slug}/inkind`, label: t(locale, 'inkind') });
  items.push({ href: `/o/${slug}/cases`, label: t(locale, 'cases') });
  items.push({ href: `/o/${slug}/hotline`, label: t(locale, 'hotline') });
  items.push({ href: `/o/${slug}/outreach`, label: t(locale, 'outreach') });
  if (has('admin', 'finance', 'coordinator', 'viewer')) items.push({ href: `/o/${slug}/reports`, label: t(locale, 'reports') });
  return items;
}
