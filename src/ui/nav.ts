import type { Role } from '../db/schema';
import { t, type Locale } from './i18n';

/** Top navigation for staff pages; capabilities add their entries here as they land. */
export function orgNavItems(locale: Locale, slug: string, _roles: Role[]) {
  return [
    { href: `/o/${slug}`, label: t(locale, 'dashboard') },
    { href: `/o/${slug}/cases`, label: t(locale, 'cases') },
    { href: `/o/${slug}/hotline`, label: t(locale, 'hotline') },
    { href: `/o/${slug}/outreach`, label: t(locale, 'outreach') },
  ];
}
