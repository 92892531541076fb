import { sql } from 'drizzle-orm';
import type { Role } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { MONEY_WRITE } from '../giving/api';
import { PACKAGES_MANAGE } from '../packages/api';
import { REPORT_WRITE } from '../reports/api';

/**
 * What is waiting for someone at the organisation, for the dashboard: work the reader's roles can
 * do, each with how many and where to do it. Every count is read from the records, scoped to the
 * organisation; nothing here names a child or a donor.
 */
export type TodoItem =
  | { kind: 'bank_lines'; count: number; href: string }
  | { kind: 'units_to_match'; count: number; href: string; driveTitle: string; driveTitleEn: string | null }
  | { kind: 'units_to_deliver'; count: number; href: string; driveTitle: string; driveTitleEn: string | null }
  | { kind: 'report_to_send'; count: 1; href: string; grantTitle: string; grantTitleEn: string | null; periodTo: string; sendAfter: Date };

const may = (roles: readonly Role[], allowed: readonly Role[]) => roles.some((r) => allowed.includes(r));

/** The drives listed at most, busiest first; the packages page has the rest. */
const DRIVES_SHOWN = 5;

export async function dashboardTodo(db: Db, org: { id: string; slug: string }, roles: readonly Role[]): Promise<TodoItem[]> {
  const base = `/o/${org.slug}`;
  const items: TodoItem[] = [];
  const [bank, units, reports] = await Promise.all([
    may(roles, MONEY_WRITE)
      ? queryRows<{ n: string }>(db, sql`select count(*)::text as n from bank_statement_lines where org_id = ${org.id} and status = 'pending'`)
      : Promise.resolve([]),
    may(roles, PACKAGES_MANAGE)
      ? queryRows<{ id: string; title_vi: string; title_en: string | null; funded: string; matched: string }>(
          db,
          sql`select d.id, d.title_vi, d.title_en,
                count(*) filter (where u.status = 'funded')::text as funded,
                count(*) filter (where u.status = 'matched')::text as matched
              from package_drives d join package_units u on u.drive_id = d.id and u.org_id = d.org_id
              where d.org_id = ${org.id} and d.status <> 'draft' and u.status in ('funded', 'matched')
              group by d.id, d.title_vi, d.title_en
              order by count(*) desc, d.title_vi
              limit ${DRIVES_SHOWN}`,
        )
      : Promise.resolve([]),
    may(roles, REPORT_WRITE)
      ? queryRows<{ id: string; title: string; title_en: string | null; period_to: string; send_after_ms: string }>(
          db,
          sql`select r.id, g.title, g.title_en, r.period_to::text as period_to, (extract(epoch from r.send_after) * 1000)::bigint::text as send_after_ms
              from report_deliveries r join grants g on g.id = r.grant_id and g.org_id = r.org_id
              where r.org_id = ${org.id} and r.status = 'preview'
              order by r.send_after`,
        )
      : Promise.resolve([]),
  ]);
  const waiting = Number(bank[0]?.n ?? 0);
  if (waiting > 0) items.push({ kind: 'bank_lines', count: waiting, href: `${base}/reconciliation` });
  for (const d of units) {
    const drive = { driveTitle: d.title_vi, driveTitleEn: d.title_en };
    if (Number(d.funded) > 0) items.push({ kind: 'units_to_match', count: Number(d.funded), href: `${base}/packages/drives/${d.id}/match`, ...drive });
    if (Number(d.matched) > 0) items.push({ kind: 'units_to_deliver', count: Number(d.matched), href: `${base}/packages/drives/${d.id}/deliver`, ...drive });
  }
  for (const r of reports) {
    items.push({ kind: 'report_to_send', count: 1, href: `${base}/report-deliveries/${r.id}`, grantTitle: r.title, grantTitleEn: r.title_en, periodTo: r.period_to, sendAfter: new Date(Number(r.send_after_ms)) });
  }
  return items;
}
